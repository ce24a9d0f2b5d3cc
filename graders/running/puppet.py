"""Sessions: how the grader drives a submission's objects.

A check never touches student objects itself. It asks a session to ``new`` an object,
``call`` a method, ``get`` or ``set`` an attribute, and receives plain data (arrays,
numbers) or handles. :class:`ChildSession` runs the submission in a separate process with a
wall-clock limit, a memory limit and captured output; :class:`InProcessSession` runs it in
the grader's own process and is for trusted code only (the reference, our own tests).
Both answer identically, so every check runs unchanged on either.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import select
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from nnlab.graders import settings
from nnlab.graders.results import printable

from . import plain
from .sandbox import sandbox_uid
from .worker import FRAME, STATUS, Worker, send


class StudentError(Exception):
    """The student's code raised, hung or crashed; carries a one-line description."""

    def __init__(
        self, type_name: str, message: str, where: str = "", not_implemented: bool = False, source: str = ""
    ) -> None:
        # Student text, cut to a size a report can hold (a class name can be megabytes long).
        type_name, message, where = (
            printable(str(text)[: settings.STUDENT_TEXT_CHARS]) for text in (type_name, message, where)
        )
        # The statement that raised may span lines (a formatted call): its line breaks are kept for the readers.
        source = printable(str(source).strip()[: settings.STUDENT_TEXT_CHARS], newlines=True)
        super().__init__(message)
        self.type_name = type_name
        self.message = message
        self.where = where
        self.not_implemented = not_implemented
        self.contract = ""  # what the failed call promised, when a check knew it (contracts.py)
        self.source = source  # the student's statement that raised (crashes.read_crash reads it)
        self.state = ""  # the state the object was in, when a check knew it ("in eval mode": contracts.during)
        self.diagnosis: Any = None  # a check's own reading of the crash (a diagnose.Diagnosis), before the runner's
        # The call that raised when a check fed it what the training made (remote.py): a remote.Fed, else None.
        self.fed: Any = None

    def describe(self) -> str:
        if self.not_implemented:
            return "not implemented (the stub still raises NotImplementedError)"
        if isinstance(self, (StudentTimeout, StudentCrash)):
            return self.message
        where = f" at {self.where}" if self.where else ""
        message = f": {self.message}" if self.message else ""
        return f"{self.type_name}{where}{message}"


class StudentTimeout(StudentError):
    pass


class StudentCrash(StudentError):
    pass


class Session:
    """The operations a check may perform on a submission."""

    def request(self, op: str, **fields: Any) -> Any:
        raise NotImplementedError

    # Convenience wrappers -------------------------------------------------------
    def load(self, folder: str | Path, modules: list[str] | None = None) -> dict[str, Any]:
        """Import the submission's API modules (only ``modules``, when given)."""
        return self.request("load", folder=str(folder), modules=modules)

    def new(self, qualname: str, *args: Any, **kwargs: Any) -> Any:
        return self.request("new", qualname=qualname, args=list(args), kwargs=kwargs)

    def call(self, target: Any, method: str | None, *args: Any, **kwargs: Any) -> Any:
        return self.request("call", target=target, method=method, args=list(args), kwargs=kwargs)

    def collect(self, target: Any, method: str | None, *args: Any, **kwargs: Any) -> Any:
        """Call and turn a returned iterator (a generator) into a list."""
        return self.request("call", target=target, method=method, args=list(args), kwargs=kwargs, collect=True)

    def call_unboxed(self, target: Any, method: str | None, *args: Any) -> Any:
        """Call with array boxes (``harness("array_box", x)``) passed as the arrays they hold."""
        return self.request("call", target=target, method=method, args=list(args), kwargs={}, unbox=True)

    def signature(self, qualname: str) -> list[list[Any]]:
        return self.request("signature", qualname=qualname)

    def map(self, target: Any, method: str, args_list: list[list[Any]]) -> list[Any]:
        return self.request("map", target=target, method=method, args_list=args_list)

    def get(self, target: Any, path: str) -> Any:
        return self.request("get", target=target, path=path)

    def set(self, target: Any, path: str, value: Any) -> None:
        self.request("set", target=target, path=path, value=value)

    def setitem(self, target: Any, path: str, value: Any) -> None:
        self.request("setitem", target=target, path=path, value=value)

    def harness(self, name: str, *args: Any, **kwargs: Any) -> Any:
        return self.request("harness", name=name, args=list(args), kwargs=kwargs)

    def close(self) -> None:
        pass

    def output(self) -> str:
        """What the student's code printed (truncated)."""
        return ""

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _raise_for(answer: dict[str, Any]) -> Any:
    if "error" in answer:
        e = answer["error"]
        raise StudentError(
            e["type"], e["message"], e.get("where", ""), bool(e.get("not_implemented")), e.get("source", "")
        )
    return answer["ok"]


class InProcessSession(Session):
    """Runs the submission in this process. Trusted code only: no isolation, no limits."""

    def __init__(self) -> None:
        self.worker = Worker()

    def request(self, op: str, **fields: Any) -> Any:
        from .loader import unload_submission

        if op == "load":
            unload_submission()
        answer = self.worker.execute({"op": op, **fields})
        # The same plain-data copy a child's answer gets: no object identity leaks through.
        return plain.to_plain(_raise_for(answer), make_handle=lambda obj: obj)

    def close(self) -> None:
        from .loader import unload_submission

        unload_submission()


class _OutputTrap(threading.Thread):
    """Drain the child's stdout/stderr, keeping the head and tail, so prints can never block it."""

    def __init__(self, stream: Any, limit: int) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.limit = limit
        self.head = bytearray()
        self.tail = bytearray()
        self.dropped = 0

    def run(self) -> None:
        while chunk := self.stream.read1(65536) if hasattr(self.stream, "read1") else self.stream.read(65536):
            room = self.limit - len(self.head)
            if room > 0:
                self.head += chunk[:room]
                chunk = chunk[room:]
            if chunk:
                self.tail += chunk
                if len(self.tail) > self.limit:
                    self.dropped += len(self.tail) - self.limit
                    del self.tail[: len(self.tail) - self.limit]

    def text(self) -> str:
        text = self.head.decode("utf-8", "replace")
        if self.dropped:
            text += f"\n... [{self.dropped} bytes of output not shown] ...\n"
        return text + self.tail.decode("utf-8", "replace")


def nnlab_sources() -> list[str]:
    """The folders a submission must not read: the reference, the graders, the course, our tests."""
    here = Path(__file__).resolve().parents[1]  # the graders package (this file is in graders/running)
    from nnlab import exercises, reference

    folders = {here, Path(reference.__file__).resolve().parent, Path(exercises.__file__).resolve().parent}
    # A source checkout also holds the tests, benchmarks and its git history (which has every
    # version of the reference in it).
    for name in ("tests", "benchmarks", ".git"):
        if (here.parent / name).is_dir():
            folders.add(here.parent / name)
    return sorted(str(f) for f in folders)


def _worker_spec(workdir: Path, memory_bytes: int, hide: list[str]) -> dict[str, Any]:
    return {
        "workdir": str(workdir),
        "memory_bytes": memory_bytes,
        "file_size_bytes": settings.FILE_SIZE_LIMIT_BYTES,
        "environment": settings.CHILD_ENVIRONMENT,
        "hide": [*nnlab_sources(), *hide],
    }


def _unsafe_entries(directory: str, names: list[str]) -> set[str]:
    """What a submission's copy leaves out: caches and hidden files, and anything that is not
    a plain file or folder or is too large. A symlink (to the reference, to another student's
    file, to /dev/zero) or a FIFO would otherwise be followed by the grader, outside the sandbox."""
    skipped = set(shutil.ignore_patterns("__pycache__", "*.pyc", ".*")(directory, names))
    for name in names:
        try:
            mode = os.lstat(os.path.join(directory, name))
        except OSError:
            skipped.add(name)
            continue
        if stat.S_ISREG(mode.st_mode):
            if mode.st_size > settings.SUBMISSION_FILE_BYTES:
                skipped.add(name)
        elif not stat.S_ISDIR(mode.st_mode):
            skipped.add(name)
    return skipped


def _child_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NNLAB_")}
    env.update(settings.CHILD_ENVIRONMENT)
    return env


class Zygote:
    """A process with numpy and the worker imported that forks one worker per session.

    One per grading run, shared by the threads grading components; see zygote.py.
    """

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "nnlab.graders.running.zygote", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            env=_child_environment(),
            start_new_session=True,
        )
        theirs.close()
        self.socket = ours
        self.owner = os.getpid()
        # Shared by the grading processes forked after it: one request and its reply at a time.
        self.lock = multiprocessing.get_context("fork").Lock()

    def fork(self, spec: dict[str, Any]) -> tuple[int, int, int, int, int]:
        """A new worker: ``(pid, to_child, from_child, output, status)`` descriptors."""
        requests_r, requests_w = os.pipe()
        answers_r, answers_w = os.pipe()
        output_r, output_w = os.pipe()
        status_r, status_w = os.pipe()
        theirs = [requests_r, answers_w, output_w, status_w]
        try:
            with self.lock:
                socket.send_fds(self.socket, [json.dumps(spec).encode()], theirs)
                reply = self.socket.recv(64)
        finally:
            for fd in theirs:
                os.close(fd)
        if not reply:
            raise RuntimeError("the grader's zygote process died")
        return int(reply), requests_w, answers_r, output_r, status_r

    def close(self) -> None:
        if self.owner != os.getpid():
            return  # a grading process forked from the owner: the owner closes it
        self.socket.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class ChildSession(Session):
    """Runs the submission in a child process, sandboxed (see sandbox.py), with a time limit.

    Args:
        time_budget: wall-clock seconds for everything this session runs.
        memory_bytes: the child's address-space limit.
        zygote: fork the child from this zygote; without one, the session starts its own.
        hide: more paths the submission must not read (other students' submissions).
    """

    def __init__(
        self,
        time_budget: float = settings.COMPONENT_TIME_LIMIT,
        memory_bytes: int = settings.MEMORY_LIMIT_BYTES,
        zygote: Zygote | None = None,
        hide: list[str] | None = None,
    ) -> None:
        self.hide = list(hide or [])
        self.deadline = time.monotonic() + time_budget
        self.time_budget = time_budget
        self.memory_bytes = memory_bytes
        self.zygote = zygote
        self.workdir = Path(tempfile.mkdtemp(prefix="nnlab-grade-"))
        self.own_zygote: Zygote | None = None
        self.pid: int | None = None
        self.status_fd: int | None = None
        self.exit_code: int | None = None
        self.dead: StudentError | None = None
        self.current = ""

    def _start(self) -> None:
        if self.zygote is None:  # a session of its own (tests, one-off checks)
            self.zygote = self.own_zygote = Zygote()
        spec = _worker_spec(self.workdir, self.memory_bytes, self.hide)
        self.pid, self.to_child, self.from_child, output_fd, self.status_fd = self.zygote.fork(spec)
        self.trap = _OutputTrap(os.fdopen(output_fd, "rb", buffering=0), settings.OUTPUT_LIMIT_BYTES)
        self.trap.start()

    def load(self, folder: str | Path, modules: list[str] | None = None) -> dict[str, Any]:
        target = self.workdir / "submission"
        shutil.copytree(folder, target, ignore=_unsafe_entries)
        return self.request("load", folder=str(target), support_source=_support_source(), modules=modules)

    def request(self, op: str, **fields: Any) -> Any:
        if self.dead is not None:
            raise self.dead
        if self.pid is None:
            self._start()
        self.current = str(fields.get("method") or fields.get("qualname") or op)
        message = plain.dumps({"op": op, **fields})
        try:
            send(self.to_child, message)
            size = FRAME.unpack(self._read(FRAME.size))[0]
            if size > settings.MAX_ANSWER_BYTES:  # announced, not sent yet: refuse before buffering it
                raise ValueError(f"an answer of {size} bytes, more than {settings.MAX_ANSWER_BYTES}")
            answer = plain.loads(self._read(size))
            if not isinstance(answer, dict):
                raise ValueError("not a message")
            return _raise_for(answer)
        except (BrokenPipeError, EOFError):
            raise self._died() from None
        except StudentError:
            raise
        except Exception as error:  # noqa: BLE001  (a forged frame: nested too deep, wrong types, missing keys)
            self.dead = StudentCrash(
                "BadAnswer", f"the submission's process sent a malformed answer ({type(error).__name__})"
            )
            self._kill()
            raise self.dead from None

    def _read(self, size: int) -> bytes:
        chunks = []
        while size:
            remaining = self.deadline - time.monotonic()
            ready = select.select([self.from_child], [], [], max(remaining, 0))[0] if remaining > 0 else []
            if not ready:
                self._kill()
                self.dead = StudentTimeout("Timeout", f"timed out after {self.time_budget:g} s in {self.current}")
                raise self.dead
            chunk = os.read(self.from_child, min(size, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def _wait(self, timeout: float) -> int | None:
        """The child's exit code (negative: killed by that signal), or None if still running."""
        if self.exit_code is not None:
            return self.exit_code
        if self.status_fd is not None:
            if not select.select([self.status_fd], [], [], timeout)[0]:
                return None
            data = os.read(self.status_fd, STATUS.size)
            self.exit_code = STATUS.unpack(data)[0] if len(data) == STATUS.size else -signal.SIGKILL
        return self.exit_code

    def _died(self) -> StudentError:
        code = self._wait(timeout=2)
        if code is None:
            self._kill()
            code = self._wait(timeout=2)
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            why = {
                "SIGKILL": "was killed (out of memory?)",
                "SIGSEGV": "crashed with a segmentation fault",
            }.get(name, f"was killed by {name}")
            text = f"the submission's process {why} in {self.current}"
        else:
            text = f"the submission's process exited with status {code} in {self.current}"
        self.dead = StudentCrash("Crash", text)
        return self.dead

    def _kill(self) -> None:
        """Kill the worker and everything it started, daemonised or not."""
        if self.pid is None:
            return
        for _ in range(5):  # a fork bomb may start more while we look
            victims = _descendants(self.pid) | _processes_of_uid(sandbox_uid(self.pid))
            for victim in victims:
                try:
                    os.kill(victim, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            if not victims:
                break
        self._wait(timeout=5)

    def output(self) -> str:
        """What the student's code printed; complete once the session is closed."""
        return self.trap.text() if self.pid is not None else ""

    def close(self) -> None:
        if self.pid is not None:
            for fd in (self.to_child, self.from_child):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self._wait(timeout=1)  # the worker ends when its request pipe closes
            # Whatever the submission left running in its process group goes too.
            self._kill()
            self.trap.join(timeout=1)
            if self.status_fd is not None:
                os.close(self.status_fd)
                self.status_fd = None
        if self.own_zygote is not None:
            self.own_zygote.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


def _proc_entries() -> list[int]:
    try:
        return [int(name) for name in os.listdir("/proc") if name.isdigit()]
    except OSError:  # no /proc (not Linux): only the process group is killed
        return []


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (daemonised ones included: the worker is their subreaper)."""
    children: dict[int, list[int]] = {}
    for entry in _proc_entries():
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(entry)
    found, frontier = set(), [pid]
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return found


def _processes_of_uid(uid: int) -> set[int]:
    """Processes running as the sandbox user of one worker (only ever that worker's)."""
    if os.geteuid() != 0:
        return set()
    found = set()
    for entry in _proc_entries():
        try:
            with open(f"/proc/{entry}/status", "rb") as handle:
                for line in handle:
                    if line.startswith(b"Uid:"):
                        if int(line.split()[1]) == uid:
                            found.add(entry)
                        break
        except OSError:
            continue
    return found


_SUPPORT: list[str] = []


def _support_source() -> str:
    """The support module, read once by the grader (the worker may not be able to read it)."""
    if not _SUPPORT:
        from .loader import _support_source as read

        _SUPPORT.append(read())
    return _SUPPORT[0]
