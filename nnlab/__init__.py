"""nnlab: a deep-learning course kit (reference, exercises, graders)."""

from pathlib import Path

__version__ = "0.1.0"


def api_doc() -> Path:
    """``docs/api.md``, the student API: in the source tree, or inside the installed package."""
    here = Path(__file__).resolve().parent
    installed = here / "docs" / "api.md"
    return installed if installed.is_file() else here.parent / "docs" / "api.md"


def examples() -> Path:
    """The example courses (``huber-course``: a component of the course's own), to copy and edit:
    ``examples/`` in the source tree, or inside the installed package."""
    here = Path(__file__).resolve().parent
    installed = here / "examples"
    return installed if installed.is_dir() else here.parent / "examples"
