"""Sessions: how the grader drives a submission's objects.

A check never touches student objects itself. It asks a session to ``new`` an object,
``call`` a method, ``get`` or ``set`` an attribute, and receives plain data (arrays,
numbers) or handles. :class:`ChildSession` runs the submission in a separate process with a
wall-clock limit, a memory limit and captured output; :class:`InProcessSession` runs it in
the grader's own process and is for trusted code only (the reference, our own tests).
Both answer identically, so every check runs unchanged on either.
"""

from __future__ import annotations

import os
import resource
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from . import plain, settings
from .worker import Worker

_HEADER = struct.Struct(">Q")


class StudentError(Exception):
    """The student's code raised, hung or crashed; carries a one-line description."""

    def __init__(self, type_name: str, message: str, where: str = "", not_implemented: bool = False) -> None:
        super().__init__(message)
        self.type_name = type_name
        self.message = message
        self.where = where
        self.not_implemented = not_implemented

    def describe(self) -> str:
        if self.not_implemented:
            return "not implemented (the stub still raises NotImplementedError)"
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
    def load(self, folder: str | Path) -> dict[str, Any]:
        return self.request("load", folder=str(folder))

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
        raise StudentError(e["type"], e["message"], e.get("where", ""), bool(e.get("not_implemented")))
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


def _limit_child(memory_bytes: int) -> None:
    """Run in the child before it executes Python: resource limits of its own."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    limit = settings.FILE_SIZE_LIMIT_BYTES
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writing too much fails, it does not kill


class ChildSession(Session):
    """Runs the submission in a child process with time and memory limits.

    Args:
        folder: the submission; it is copied into a private temporary working directory.
        time_budget: wall-clock seconds for everything this session runs.
        memory_bytes: the child's address-space limit.
    """

    def __init__(
        self,
        time_budget: float = settings.COMPONENT_TIME_LIMIT,
        memory_bytes: int = settings.MEMORY_LIMIT_BYTES,
    ) -> None:
        self.deadline = time.monotonic() + time_budget
        self.time_budget = time_budget
        self.memory_bytes = memory_bytes
        self.workdir = Path(tempfile.mkdtemp(prefix="nnlab-grade-"))
        self.process: subprocess.Popen | None = None
        self.dead: StudentError | None = None
        self.current = ""

    def _start(self) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        env = {k: v for k, v in os.environ.items() if not k.startswith("NNLAB_")}
        env.update(settings.CHILD_ENVIRONMENT)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "nnlab.graders.worker", str(to_child_r), str(from_child_w)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            pass_fds=(to_child_r, from_child_w),
            cwd=self.workdir,
            env=env,
            start_new_session=True,  # its own process group: killed as a whole, fork bombs too
            preexec_fn=lambda: _limit_child(self.memory_bytes),  # noqa: PLW0108
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self.to_child, self.from_child = to_child_w, from_child_r
        self.trap = _OutputTrap(self.process.stdout, settings.OUTPUT_LIMIT_BYTES)
        self.trap.start()

    def load(self, folder: str | Path) -> dict[str, Any]:
        target = self.workdir / "submission"
        shutil.copytree(folder, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))
        return self.request("load", folder=str(target))

    def request(self, op: str, **fields: Any) -> Any:
        if self.dead is not None:
            raise self.dead
        if self.process is None:
            self._start()
        self.current = str(fields.get("method") or fields.get("qualname") or op)
        message = plain.dumps({"op": op, **fields})
        try:
            os.write(self.to_child, _HEADER.pack(len(message)))
            view = memoryview(message)
            while view:
                view = view[os.write(self.to_child, view) :]
            size = _HEADER.unpack(self._read(_HEADER.size))[0]
            answer = plain.loads(self._read(size))
        except (BrokenPipeError, EOFError):
            raise self._died() from None
        except (ValueError, KeyError, plain.NotPlain) as error:
            self.dead = StudentCrash("BadAnswer", f"the submission's process sent a malformed answer ({error})")
            self._kill()
            raise self.dead from None
        if not isinstance(answer, dict):
            raise StudentCrash("BadAnswer", "the submission's process sent a malformed answer")
        return _raise_for(answer)

    def _read(self, size: int) -> bytes:
        chunks = []
        while size:
            remaining = self.deadline - time.monotonic()
            ready = select.select([self.from_child], [], [], max(remaining, 0))[0] if remaining > 0 else []
            if not ready:
                self._kill()
                self.dead = StudentTimeout(
                    "Timeout", f"timed out after {self.time_budget:g} s in {self.current}"
                )
                raise self.dead
            chunk = os.read(self.from_child, min(size, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def _died(self) -> StudentError:
        assert self.process is not None
        try:
            code = self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self._kill()
            code = self.process.returncode
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
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait()

    def output(self) -> str:
        """What the student's code printed; complete once the session is closed."""
        return self.trap.text() if self.process is not None else ""

    def close(self) -> None:
        if self.process is not None:
            for fd in (self.to_child, self.from_child):
                try:
                    os.close(fd)
                except OSError:
                    pass
            try:
                self.process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
            # Whatever the submission left running in its process group goes too.
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.process.wait()
            self.trap.join(timeout=1)
        shutil.rmtree(self.workdir, ignore_errors=True)
