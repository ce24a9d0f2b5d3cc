"""What a student sees: the notebooks' figures, as issue 9 promises them.

"Every plot uses matplotlib and draws from the student's own implementation: a wrong component
shows up in the picture. The same seed gives the same picture." The evidence, on the cheapest
notebooks that show it (a1-perceptron, about 5 s; a4-training, about 15 s, the one notebook with a
figure that is not reproducible by design):

* two executions of a notebook's source version in fresh kernels give byte-identical PNGs, cell by
  cell, except in the cells tagged ``nnlab:not-reproducible`` (only a4's wall-time figure);
* a planted bug in a solution cell (a mutant from the grader's catalogue) changes the experiment
  figures, not only the check and autograder cells;
* ``jupyter nbconvert --to html`` (the real tool) makes a page that embeds every figure, shows no
  error and no stderr, starts with the title and goals, and keeps the markdown's math for MathJax.

The kernels run with Jupyter's own inline backend: ``MPLBACKEND=Agg`` in a kernel's environment
makes ipykernel keep Agg, and then ``plt.show()`` draws nothing at all, so it is removed here.
"""

from __future__ import annotations

import base64
import html
import io
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nnlab.exercises.course import load_course
from nnlab.graders.mutants import catalogue

from nnlab.notebooks import build_source_notebook, write_nbgrader_course
from nnlab.notebooks.course_dir import student_notebook
from nnlab.notebooks.kernel import execute, isolated_jupyter

# One worker runs this module, so each notebook is executed once (the _executed cache), not once per worker.
pytestmark = pytest.mark.xdist_group("notebook-pictures")

KERNEL = "nnlab-pictures"
SEED = 8675309  # the autograder's seed in these tests
NOT_REPRODUCIBLE = "nnlab:not-reproducible"
MUTANT = "perceptron-bias-not-updated"  # a classic slip: the boundary is stuck through the origin
CHROMIUM = Path("/usr/bin/chromium")


# ------------------------------------------------------------------------------- helpers
@pytest.fixture(scope="module")
def jupyter_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Jupyter's folders in a temporary prefix, one kernel (this Python), and the inline backend."""
    env = isolated_jupyter(tmp_path_factory.mktemp("jupyter"), KERNEL)
    env["PYTHONWARNINGS"] = "ignore"
    return env


_executed: dict[tuple[str, str], nbformat.NotebookNode] = {}


def executed(
    name: str, env: dict[str, str], folder: Path, run: str = "first", mutant: str | None = None
) -> nbformat.NotebookNode:
    """The source version of a built-in notebook, executed top to bottom in a fresh kernel.

    ``mutant`` plants that mutant's old -> new edit in the solution cell of its component. Runs are
    kept for the module (``run`` names them), so tests that need the same run share it.
    """
    key = (name, f"{run}/{mutant}")
    if key in _executed:
        return _executed[key]
    course = load_course()
    write_nbgrader_course(course, [course.assignment(name)], folder, seed=SEED)
    where = folder / "nbgrader" / "source" / name  # the release modules and the checker beside it
    notebook = nbformat.read(str(where / f"{name}.ipynb"), as_version=4)
    if mutant is not None:
        (planted,) = [m for m in catalogue() if m.id == mutant]
        cells = [c for c in notebook.cells if c.metadata.get("nnlab", {}).get("component") == planted.component]
        (cell,) = [c for c in cells if planted.old in c.source]
        cell.source = cell.source.replace(planted.old, planted.new, 1)
    _executed[key] = execute(notebook, where, env, KERNEL)
    return _executed[key]


def pngs(cell: nbformat.NotebookNode) -> list[bytes]:
    return [base64.b64decode(o.data["image/png"]) for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]


def pixels(png: bytes) -> np.ndarray:
    import matplotlib.image

    return matplotlib.image.imread(io.BytesIO(png), format="png")


def same_picture(a: bytes, b: bytes) -> bool:
    """Byte-identical PNGs, or (if only the PNG's metadata or compression differ) identical pixels."""
    if a == b:
        return True
    first, second = pixels(a), pixels(b)
    return first.shape == second.shape and bool(np.array_equal(first, second))


def is_experiment(cell: nbformat.NotebookNode) -> bool:
    """An ordinary code cell of notebook.py (not setup, solution, check or autograder cell)."""
    return cell.cell_type == "code" and "nbgrader" not in cell.metadata and "nnlab" not in cell.metadata


def raised(notebook: nbformat.NotebookNode) -> dict[str, str]:
    return {
        c.id: f"{o.ename}: {o.evalue}" for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"
    }


# ------------------------------------------------------------------------------- same seed, same picture
def test_only_a4s_wall_time_figure_is_marked_not_reproducible():
    """The mark is a cell tag in notebook.py (``# %% tags=["nnlab:not-reproducible"]``) that the builder keeps."""
    course = load_course()
    marked = {}
    for assignment in course.assignments:
        source = build_source_notebook(course, assignment, seed=SEED)
        for cell in source.cells:
            if NOT_REPRODUCIBLE in cell.metadata.get("tags", []):
                marked[(assignment.name, cell.id)] = cell.source
        student = student_notebook(source)
        assert [c.id for c in student.cells if NOT_REPRODUCIBLE in c.metadata.get("tags", [])] == [
            cell_id for (name, cell_id) in marked if name == assignment.name
        ], f"{assignment.name}: the student version keeps the tag"
    assert len(marked) == 1 and next(iter(marked))[0] == "a4-training", list(marked)
    (text,) = marked.values()
    assert "wall time" in text and "second_axis" in text, text  # it plots seconds, and only seconds
    assert "epoch_axis" not in text and "update_axis" not in text, "the deterministic views stay comparable"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["a1-perceptron", "a4-training"])
def test_the_same_seed_gives_the_same_pictures_cell_by_cell(name, tmp_path, jupyter_env):
    first = executed(name, jupyter_env, tmp_path / "first", run="first")
    second = executed(name, jupyter_env, tmp_path / "second", run="second")
    assert not raised(first) and not raised(second), (raised(first), raised(second))
    compared, excluded, different = [], [], []
    for a, b in zip(first.cells, second.cells, strict=True):
        assert a.id == b.id
        if not pngs(a) and not pngs(b):
            continue
        if NOT_REPRODUCIBLE in a.metadata.get("tags", []):
            excluded.append(a.id)  # wall time: depends on the machine and its load, by design
            continue
        compared.append(a.id)
        if len(pngs(a)) != len(pngs(b)) or not all(map(same_picture, pngs(a), pngs(b))):
            different.append(a.id)
    assert not different, f"{name}: figures that differ between two runs with the same seed: {different}"
    expected = {"a1-perceptron": (4, 0), "a4-training": (4, 1)}[name]  # figure cells compared, excluded
    assert (len(compared), len(excluded)) == expected, (compared, excluded)


# ------------------------------------------------------------------------------- a wrong component shows
@pytest.mark.slow
def test_a_planted_bug_in_the_perceptron_shows_in_the_experiment_figures(tmp_path, jupyter_env):
    right = executed("a1-perceptron", jupyter_env, tmp_path / "right", run="first")
    wrong = executed("a1-perceptron", jupyter_env, tmp_path / "wrong", run="mutant", mutant=MUTANT)
    assert list(raised(wrong)) == ["check-models-Perceptron"], raised(wrong)  # the experiments still draw
    changed, figures = [], 0
    for a, b in zip(right.cells, wrong.cells, strict=True):
        if not is_experiment(a) or not pngs(a):
            continue
        figures += 1
        assert len(pngs(b)) == len(pngs(a)), f"{a.id}: the buggy run draws the same figures"
        if not all(map(same_picture, pngs(a), pngs(b))):
            changed.append(a.id)
    assert figures == 4
    assert changed, f"{MUTANT}: no experiment figure differs from the correct run's"
    # Each of a1's four experiments trains the Perceptron: a boundary stuck at the origin shows in all.
    assert len(changed) == figures, f"{MUTANT}: only {changed} of the {figures} experiment figures changed"


# ------------------------------------------------------------------------------- what a person sees
class Page(HTMLParser):
    """What an nbconvert HTML page shows: outputs by MIME type, images, headings, text, cell order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.outputs: list[str] = []  # data-mime-type of every output area
        self.images: list[str] = []  # base64 of every embedded PNG
        self.events: list[tuple[str, str]] = []  # ("h1", text) / ("code-cell", "") / ("markdown-cell", ""), in order
        self.text: list[str] = []
        self.scripts: list[str] = []
        self.before_code: str | None = None  # the page's text above its first code cell
        self._heading: list[str] | None = None
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if "jp-OutputArea-output" in classes:
            self.outputs.append(attributes.get("data-mime-type") or "")
        if tag == "img" and (attributes.get("src") or "").startswith("data:image/png;base64,"):
            self.images.append(attributes["src"].split(",", 1)[1])
        if "jp-CodeCell" in classes:
            self.events.append(("code-cell", ""))
            if self.before_code is None:
                self.before_code = "".join(self.text)
        if "jp-MarkdownCell" in classes:
            self.events.append(("markdown-cell", ""))
        if tag in ("h1", "h2"):
            self._heading = []
        if tag == "script":
            self._in_script = True
            self.scripts.append(attributes.get("src") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2") and self._heading is not None:
            self.events.append((tag, "".join(self._heading).rstrip("¶").strip()))
            self._heading = None
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)
        if self._in_script:
            self.scripts.append(data)
        else:
            self.text.append(data)


def nbconvert_html(notebook: nbformat.NotebookNode, folder: Path, env: dict[str, str]) -> Page:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "page.ipynb"
    nbformat.write(notebook, str(path))
    command = [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", str(path)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    page = Page()
    page.feed((folder / "page.html").read_text(encoding="utf-8"))
    return page


def stderr_outputs(page: Page) -> int:
    """Error tracebacks and stderr streams both render as ``application/vnd.jupyter.stderr`` output areas."""
    return page.outputs.count("application/vnd.jupyter.stderr")


def test_the_page_check_sees_an_error_and_stderr_when_there_are_some(tmp_path, jupyter_env):
    """A control for the test below: nbconvert's page marks a traceback and a stderr stream the way it reads them."""
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1 / 0")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text="UserWarning: careful\n"),
        nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero", traceback=["boom"]),
        nbformat.v4.new_output("stream", name="stdout", text="fine\n"),
    ]
    notebook.cells = [cell]
    page = nbconvert_html(notebook, tmp_path, jupyter_env)
    assert stderr_outputs(page) == 2 and page.outputs.count("text/plain") == 1, page.outputs


@pytest.mark.slow
def test_the_executed_notebook_as_an_html_page_shows_every_figure_no_error_and_the_math(tmp_path, jupyter_env):
    course = load_course()
    assignment = course.assignment("a1-perceptron")
    notebook = executed("a1-perceptron", jupyter_env, tmp_path / "run", run="first")
    page = nbconvert_html(notebook, tmp_path / "html", jupyter_env)

    # Every figure is embedded in the page, as the image itself.
    figures = [base64.b64encode(png).decode() for cell in notebook.cells for png in pngs(cell)]
    assert len(figures) == 4 and sorted(page.images) == sorted(figures), (len(figures), len(page.images))
    # No traceback, no stderr.
    assert stderr_outputs(page) == 0, page.outputs
    # The title and the goals come first: the first cell on the page is their markdown, before any code.
    assert page.events[:2] == [("markdown-cell", ""), ("h1", assignment.title)], page.events[:3]
    assert page.before_code is not None and "Goals" in page.before_code
    assert assignment.goals and all(" ".join(g.split()) in " ".join(page.before_code.split()) for g in assignment.goals)
    text = "".join(page.text)
    # The markdown's math reaches the page verbatim, for MathJax to typeset (no emphasis eaten out of it).
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    math = re.findall(r"\$\$.+?\$\$|\$[^$\n]+\$", markdown, flags=re.DOTALL)
    assert len(math) > 20
    missing = [m for m in math if " ".join(m.split()) not in " ".join(html.unescape(text).split())]
    assert not missing, f"math that does not reach the page verbatim: {missing[:5]}"
    assert any("mathjax" in s.lower() for s in page.scripts), "the page loads MathJax"


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.is_file(), reason="no /usr/bin/chromium: the page is not rendered in a browser")
def test_headless_chromium_renders_the_page_with_its_figures(tmp_path, jupyter_env):
    """Optional: where Chromium is installed (not in CI's install), the page renders to a non-blank screenshot."""
    notebook = executed("a1-perceptron", jupyter_env, tmp_path / "run", run="first")
    nbconvert_html(notebook, tmp_path, jupyter_env)
    shot = tmp_path / "page.png"
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    command += [f"--screenshot={shot}", "--window-size=1280,16000", (tmp_path / "page.html").as_uri()]  # whole page
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert shot.is_file(), result.stderr[-3000:]
    image = np.round(pixels(shot.read_bytes())[..., :3] * 255)
    # a1's decision regions are shaded #cfe2f3 and #f9d9c4: colours that only its figures draw on the page.
    for colour in ((0xCF, 0xE2, 0xF3), (0xF9, 0xD9, 0xC4)):
        share = (np.abs(image - colour).max(axis=-1) <= 5).mean()
        assert share > 0.01, f"the rendered page shows the figures' region colour {colour} on {share:.2%} of it"
    if os.environ.get("NNLAB_KEEP_SCREENSHOT"):
        shutil.copy(shot, os.environ["NNLAB_KEEP_SCREENSHOT"])
