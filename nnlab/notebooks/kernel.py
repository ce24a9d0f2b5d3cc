"""Run notebooks in a kernel of their own: independent of the machine's Jupyter set-up.

nnlab's tests and benchmarks execute notebooks with nbclient and nbgrader. Both look kernels
up through Jupyter's folders, which on a developer's machine hold whatever was installed there.
:func:`isolated_jupyter` makes a private set of folders with one kernel spec, this Python, so a
run depends on nothing but the running interpreter; :func:`execute` runs a notebook in it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat


def isolated_jupyter(prefix: Path, kernel: str) -> dict[str, str]:
    """An environment whose Jupyter folders are in ``prefix`` and whose one kernel is ``kernel``.

    The kernel is this Python (``ipykernel install --prefix``). ``MPLBACKEND`` is removed: a set
    backend would keep ipykernel from switching to its inline backend, and no figure would be drawn.
    """
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    env.update(
        JUPYTER_PATH=str(prefix / "share" / "jupyter"),
        JUPYTER_DATA_DIR=str(prefix / "data"),
        JUPYTER_CONFIG_DIR=str(prefix / "config"),
        JUPYTER_RUNTIME_DIR=str(prefix / "runtime"),
        IPYTHONDIR=str(prefix / "ipython"),
    )
    command = [sys.executable, "-m", "ipykernel", "install", "--prefix", str(prefix), "--name", kernel]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}): {result.stderr[-2000:]}")
    return env


def execute(
    notebook: nbformat.NotebookNode, folder: Path, env: dict[str, str], kernel: str, timeout: float = 300
) -> nbformat.NotebookNode:
    """Run ``notebook`` top to bottom in ``folder`` (its working directory); errors are recorded in
    the cells' outputs, not raised. ``env`` (from :func:`isolated_jupyter`) applies for the run only."""
    from nbclient import NotebookClient

    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)  # the kernel spec search and the kernel's own environment
    try:
        NotebookClient(
            notebook,
            timeout=timeout,
            kernel_name=kernel,
            allow_errors=True,
            resources={"metadata": {"path": str(folder)}},
        ).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return notebook
