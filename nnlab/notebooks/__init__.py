"""Notebooks: nbgrader source notebooks built from ``exercises/<name>/notebook.py``, the student
version, an nbgrader course directory, and notebook submissions read back into modules.

* :func:`build_source_notebook` (builder.py): one assignment's source notebook.
* :func:`write_nbgrader_course`, :func:`write_release_notebook` (course_dir.py): what
  ``nnlab generate`` writes.
* :func:`extract_modules` (graders/running/notebook_extract.py): a submitted notebook's cells to module
  files, beside the release's modules (exercises/release.py) they import.
* :func:`graded_folder` (graders/running/notebook_merge.py): a submission holding both modules and the
  notebook, graded per component from the version the student wrote.
* autograde.py: the autograder cells' side; grades the notebook file in a separate process
  when nbgrader runs the notebook.
"""

from __future__ import annotations

# Imported on first use (PEP 562): grading a notebook needs graders/running/notebook_extract.py only, not
# jupytext or nbformat. Reading a submitted notebook is the graders' (they grade notebooks in a batch
# too); a release's modules are the exercises'; here, building notebooks.
_WHERE = {
    "build_source_notebook": "nnlab.notebooks.builder",
    "write_nbgrader_course": "nnlab.notebooks.course_dir",
    "write_release_notebook": "nnlab.notebooks.course_dir",
    "extract_modules": "nnlab.graders.running.notebook_extract",
    "notebook_assignment": "nnlab.graders.running.notebook_extract",
    "submission_modules": "nnlab.graders.running.notebook_extract",
    "graded_folder": "nnlab.graders.running.notebook_merge",
    "NotebookError": "nnlab.graders.running.notebook_extract",
    "write_release_modules": "nnlab.exercises.release",
    "release_modules": "nnlab.exercises.release",
    "NotebookSourceError": "nnlab.exercises.release",
}


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_WHERE[name]), name)


__all__ = [
    "build_source_notebook",
    "write_nbgrader_course",
    "write_release_notebook",
    "extract_modules",
    "notebook_assignment",
    "submission_modules",
    "graded_folder",
    "write_release_modules",
    "release_modules",
    "NotebookError",
    "NotebookSourceError",
]
