"""What a worker does to itself before it runs any student code.

Always: resource limits (address space, file size, no core dumps), a private working
directory holding the copy of the submission, and (Linux) child-subreaper status, so that
processes the submission daemonises stay its descendants and are killed with it.

When the grader runs as root (as in Gradescope and CI containers), the worker also:
1. enters a private mount namespace, where it
   * covers nnlab's own sources (the reference, the graders, the course's hidden checks,
     our tests) and any extra paths the grader names (other students' submissions) with
     empty read-only file systems,
   * replaces /tmp by an empty one holding only its own working directory,
   * keeps the Python installation reachable even where it lives under a private
     directory such as /root (mode 700), exposing nothing else of it;
2. becomes an unprivileged user of its own (uid 200000 + its pid modulo 100000) that owns
   nothing but its working directory.

Each step that the machine refuses is skipped and reported by :func:`protections`.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys
from pathlib import Path
from typing import Any

CLONE_NEWNS = 0x00020000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_BIND, MS_MOVE, MS_REC, MS_PRIVATE = 1, 2, 4, 4096, 8192, 16384, 1 << 18
PR_SET_CHILD_SUBREAPER = 36
SHARED_TMPFS_BYTES = 64 * 1024**2  # each of /dev/shm, /var/tmp, /run/lock inside the sandbox
SANDBOX_UID_BASE = 200_000

_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


class SandboxError(OSError):
    pass


def _call(name: str, *args: Any) -> None:
    if _libc is None:
        raise SandboxError(f"{name} is not available on {sys.platform}")
    if getattr(_libc, name)(*args) != 0:
        errno = ctypes.get_errno()
        raise SandboxError(errno, f"{name}{args[:2]}: {os.strerror(errno)}")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    _call(
        "mount", source and source.encode(), target.encode(), fstype and fstype.encode(), flags, data and data.encode()
    )


def sandbox_uid(pid: int) -> int:
    return SANDBOX_UID_BASE + pid % 100_000


def python_roots() -> list[Path]:
    """Where the interpreter and its packages live (kept visible to the worker)."""
    roots = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), Path(sys.executable).resolve().parent}
    return sorted(roots)


def _private_ancestor(path: Path) -> Path | None:
    """The highest ancestor of ``path`` that others may not traverse (e.g. /root), if any."""
    for ancestor in reversed(path.parents):
        if ancestor != Path("/") and not os.stat(ancestor).st_mode & 0o001:
            return ancestor
    return None


def _expose_through(private: Path, keep: list[Path], stage: Path) -> None:
    """Replace ``private`` by an open tmpfs through which only ``keep`` are reachable."""
    keep = [p for p in keep if not any(p != q and p.is_relative_to(q) for q in keep)]  # outermost only
    staged = []
    for path in keep:
        holder = stage / f"keep{len(list(stage.iterdir()))}"
        holder.mkdir()
        _mount(str(path), str(holder), None, MS_BIND | MS_REC)
        staged.append((holder, path))
    _mount("tmpfs", str(private), "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755")
    for holder, path in staged:
        path.mkdir(parents=True, exist_ok=True)
        _mount(str(holder), str(path), None, MS_MOVE)


def _hide(path: Path) -> None:
    if path.is_dir():
        _mount("tmpfs", str(path), "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "mode=0555")
    elif path.exists():
        _mount("/dev/null", str(path), None, MS_BIND)


def _isolate_files(workdir: Path, hide: list[str]) -> None:
    _call("unshare", CLONE_NEWNS)
    _mount(None, "/", None, MS_REC | MS_PRIVATE)  # nothing we mount leaks back out
    workdir = workdir.resolve()
    stage = next(Path(p) for p in ("/dev/shm", "/run", "/var/tmp") if Path(p).is_dir()) / f".nnlab-{os.getpid()}"
    stage.mkdir(mode=0o700)
    try:
        # /tmp: only our own working directory (other sessions' copies live there too).
        tmp = Path("/tmp").resolve()
        if workdir.is_relative_to(tmp):
            # Keep the interpreter reachable if it lives there too (a virtualenv in /tmp).
            _expose_through(tmp, [workdir, *(r for r in python_roots() if r.is_relative_to(tmp))], stage)
            os.chmod(tmp, 0o1777)
        for target in hide:
            path = Path(target).resolve()
            if path.exists() and not any(root.is_relative_to(path) for root in python_roots()):
                _hide(path)
        privates: dict[Path, list[Path]] = {}
        for root in python_roots():
            private = _private_ancestor(root)
            if private is not None:
                privates.setdefault(private, []).append(root)
        for private, keep in privates.items():
            _expose_through(private, keep, stage)
    finally:
        for holder in stage.iterdir():
            holder.rmdir()
        stage.rmdir()
    # The other places anyone may write: private and empty in here.
    for shared in ("/dev/shm", "/var/tmp", "/run/lock"):
        if Path(shared).is_dir() and not Path(shared).is_symlink():
            # Sized: tmpfs lives in RAM, and unsized it may take half of it.
            _mount("tmpfs", shared, "tmpfs", MS_NOSUID | MS_NODEV, f"mode=1777,size={SHARED_TMPFS_BYTES}")


def _chown_tree(root: Path, uid: int) -> None:
    os.chown(root, uid, uid)
    for parent, dirs, files in os.walk(root):
        for name in dirs + files:
            os.lchown(os.path.join(parent, name), uid, uid)


ACTIVE: list[str] = []  # what enter_sandbox achieved in this process (the worker reports it)


def enter_sandbox(spec: dict[str, Any]) -> list[str]:
    """Apply every protection the machine allows; returns (and records) what is active."""
    active = ACTIVE
    workdir = Path(spec["workdir"])
    memory = int(spec["memory_bytes"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    file_size = int(spec["file_size_bytes"])
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writing too much fails; it does not kill
    active.append(f"memory limit {memory // 2**20} MiB, files up to {file_size // 2**20} MiB")
    if _libc is not None:
        try:
            _call("prctl", PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
            active.append("processes it starts are killed with it")
        except SandboxError:
            pass
    if os.geteuid() == 0 and spec.get("drop_privileges", True):
        uid = sandbox_uid(os.getpid())
        try:
            _isolate_files(workdir, list(spec.get("hide", [])))
            active.append("nnlab's sources, other submissions and other sessions' files hidden")
        except (SandboxError, OSError) as error:
            active.append(f"files NOT hidden ({error})")
        _chown_tree(workdir, uid)
        # Counted per user: the worker's own uid is used by nothing else, so this caps a fork bomb.
        nproc = int(spec.get("max_processes", 64))
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
        active.append(
            f"runs as unprivileged user {uid} (at most {nproc} processes), may write only its working directory"
        )
    else:
        active.append("runs as the grader's own user (not root): file access is not restricted")
    os.chdir(workdir)
    os.environ.update(spec.get("environment", {}))
    os.environ["HOME"] = os.environ["TMPDIR"] = str(workdir)
    return active
