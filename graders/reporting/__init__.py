"""Renderings of a :class:`~nnlab.graders.results.Report`: one module per format, and how they are written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file beside it, so a failure leaves no half-written file.

    Text the encoding cannot hold (a student's stray surrogate) is written escaped, not refused.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(text)
        # mkstemp creates the file private (0600); a report is an ordinary file (0644 less the umask).
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
