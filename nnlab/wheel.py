"""The nnlab wheel an autograder installs, and the pinned requirements it installs with.

``nnlab generate`` must work where nnlab came from a wheel as well as from a source tree, so
the wheel is *rebuilt from the files of the running nnlab* rather than by a build backend:

* from a source tree (an editable install): the folders ``pyproject.toml`` maps to the
  ``nnlab`` packages (``package-dir``), every file but caches;
* from an installed wheel: the installed ``nnlab`` folder, every file but caches.

Both get the installed distribution's metadata (name, version, dependencies, the ``nnlab``
command). No build tool runs, nothing is written into the source tree, and it takes well
under a second. ``--wheel FILE`` hands generate a wheel built elsewhere instead.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import zipfile
from pathlib import Path

from nnlab.exercises.course import tomllib

SKIP_PARTS = {"__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", ".ipynb_checkpoints"}
SKIP_SUFFIXES = {".pyc", ".pyo"}
# Extras an autograder needs besides the core dependencies: nbformat reads notebook submissions.
AUTOGRADER_EXTRAS = ("nbformat",)
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # every entry the same date: the same files, the same wheel bytes


class WheelError(RuntimeError):
    """The running nnlab's files or metadata cannot be found."""


def package_files() -> dict[str, Path]:
    """``{path inside the wheel: file}`` for every file of the running nnlab."""
    here = Path(__file__).resolve().parent  # the nnlab package folder
    pyproject = here.parent / "pyproject.toml"
    roots: dict[str, Path] = {}
    if pyproject.is_file():  # a source tree
        config = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        if config.get("project", {}).get("name") == "nnlab":
            mapping = config.get("tool", {}).get("setuptools", {}).get("package-dir", {})
            roots = {package.replace(".", "/"): here.parent / folder for package, folder in mapping.items()}
    if not roots:
        roots = {"nnlab": here}
    files: dict[str, Path] = {}
    for prefix, root in sorted(roots.items()):
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root)
            if path.is_dir() or SKIP_PARTS & set(relative.parts) or path.suffix in SKIP_SUFFIXES:
                continue
            if any(part.endswith(".egg-info") for part in relative.parts):
                continue
            name = f"{prefix}/{relative.as_posix()}"
            # A mapped subpackage inside another's folder is listed under its own name only.
            if not any(name.startswith(other + "/") for other in roots if other != prefix and other.startswith(prefix)):
                files[name] = path
    return files


def _metadata() -> tuple[str, str, str]:
    """(version, METADATA text, entry_points.txt text) of the installed nnlab."""
    try:
        dist = importlib.metadata.distribution("nnlab")
    except importlib.metadata.PackageNotFoundError:
        raise WheelError("nnlab is not installed (pip install it first, or pass --wheel FILE)") from None
    metadata = dist.read_text("METADATA") or dist.read_text("PKG-INFO")
    if not metadata:
        raise WheelError("the installed nnlab has no metadata (reinstall it, or pass --wheel FILE)")
    return dist.version, metadata, dist.read_text("entry_points.txt") or "[console_scripts]\nnnlab = nnlab.cli:main\n"


def build_wheel(target_folder: Path) -> Path:
    """Write ``nnlab-<version>-py3-none-any.whl`` of the running nnlab into ``target_folder``."""
    version, metadata, entry_points = _metadata()
    info = f"nnlab-{version}.dist-info"
    path = target_folder / f"nnlab-{version}-py3-none-any.whl"
    contents = {name: file.read_bytes() for name, file in package_files().items()}
    contents[f"{info}/METADATA"] = metadata.encode()
    contents[f"{info}/entry_points.txt"] = entry_points.encode()
    contents[f"{info}/top_level.txt"] = b"nnlab\n"
    contents[f"{info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: nnlab\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    record = []
    for name, data in contents.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    contents[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            entry = zipfile.ZipInfo(name, _FIXED_TIME)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    return path


def pinned_requirements(extras: tuple[str, ...] = AUTOGRADER_EXTRAS) -> list[str]:
    """``name==version`` of every distribution nnlab needs, as installed here (transitively)."""
    try:
        from packaging.requirements import Requirement
    except ImportError:  # pragma: no cover - pip always vendors it
        from pip._vendor.packaging.requirements import Requirement

    def wanted(requirement: str) -> Requirement | None:
        parsed = Requirement(requirement)
        if parsed.marker is not None and not parsed.marker.evaluate({"extra": ""}):
            return None
        return parsed

    todo = [r for r in (importlib.metadata.requires("nnlab") or []) if wanted(r)] + list(extras)
    pins: dict[str, str] = {}
    while todo:
        requirement = wanted(todo.pop()) if isinstance(todo[-1], str) else None
        if requirement is None:
            continue
        key = requirement.name.lower().replace("_", "-")
        if key in pins:
            continue
        try:
            dist = importlib.metadata.distribution(requirement.name)
        except importlib.metadata.PackageNotFoundError:
            raise WheelError(f"nnlab needs {requirement.name}, which is not installed here") from None
        pins[key] = f"{dist.metadata['Name']}=={dist.version}"
        for sub in dist.requires or []:
            parsed = wanted(sub)
            if parsed is not None:
                todo.append(sub)
    return sorted(pins.values(), key=str.lower)
