"""The worker: the only place where a submission's code runs.

The grader drives student objects from outside, one small operation at a time
(``new``, ``call``, ``get``, ``set``, ...). Objects stay here and are named by handles;
results go back as plain data (see :mod:`plain`). The worker decides nothing: it holds no
expected values and computes no score, so nothing a submission does in this process can
change a grade except the values it returns.

In a worker process forked by the zygote (zygote.py), :func:`serve` reads length-prefixed
requests from one pipe and answers on another; the student's prints go to stdout/stderr,
which the grader captures separately. The grader's own tests can also use a
:class:`Worker` in-process (trusted code only).
"""

from __future__ import annotations

import ast
import functools
import linecache
import os
import struct
import sys
import textwrap
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from . import doubles, plain
from .loader import PACKAGE, SUPPORT_MODULE, get_component, load_submission
from .sandbox import ACTIVE

MAX_COLLECTED_ITEMS = 100_000  # a generator that never ends must not hang a `collect`
# Every message on the pipes between the grader and a worker: its length (8 bytes, big-endian), then its bytes.
FRAME = struct.Struct(">Q")
# A worker's exit code as the zygote reports it to the grader (negative: killed by that signal).
STATUS = struct.Struct(">i")


def send(fd: int, message: bytes) -> None:
    """Write ``message`` framed to ``fd``: one write where the pipe takes it all (one wake-up of the reader)."""
    view = memoryview(FRAME.pack(len(message)) + message)
    while view:
        view = view[os.write(fd, view) :]


class Worker:
    """Executes grader requests against the submission's objects."""

    def __init__(self) -> None:
        self.objects: dict[int, Any] = {}
        self.ids: dict[int, int] = {}  # id(obj) -> handle id: one object, one handle
        self.next_id = 1
        self.folder: Path | None = None

    # ------------------------------------------------------------------ handles
    def _handle(self, obj: Any) -> plain.Handle:
        handle_id = self.ids.get(id(obj))
        if handle_id is None or self.objects.get(handle_id) is not obj:
            handle_id = self.next_id
            self.next_id += 1
            self.objects[handle_id] = obj  # kept alive, so id(obj) is never reused
            self.ids[id(obj)] = handle_id
        return plain.Handle(handle_id, type(obj).__name__)

    def _plain(self, value: Any) -> Any:
        return plain.to_plain(value, self._handle)

    def _resolve(self, value: Any, unbox: bool = False) -> Any:
        """Replace handles by their objects, recursively (arguments from the grader).

        With ``unbox``, a handle to an :class:`doubles.ArrayBox` stands for the array it
        holds *itself*, so a check can see afterwards whether the student modified it.
        """
        if isinstance(value, plain.Handle):
            obj = self.objects[value.id]
            return obj.value if unbox and isinstance(obj, doubles.ArrayBox) else obj
        if isinstance(value, list):
            return [self._resolve(v, unbox) for v in value]
        if isinstance(value, tuple):
            return tuple(self._resolve(v, unbox) for v in value)
        if isinstance(value, dict):
            return {k: self._resolve(v, unbox) for k, v in value.items()}
        if isinstance(value, np.ndarray):
            return value.copy()  # the student may modify its argument; the grader's stays intact
        return value

    def _target(self, target: Any) -> Any:
        if isinstance(target, plain.Handle):
            return self.objects[target.id]
        if isinstance(target, str):
            return get_component(target)
        raise TypeError(f"bad target {target!r}")

    # ------------------------------------------------------------------ operations
    def op_load(
        self, folder: str, support_source: str | None = None, modules: list[str] | None = None
    ) -> dict[str, Any]:
        self.folder = Path(folder).resolve()
        statuses = load_submission(folder, support_source, modules)
        return {name: status.as_plain() for name, status in statuses.items()}

    def op_new(self, qualname: str, args: list, kwargs: dict) -> Any:
        cls = get_component(qualname)
        return self._plain(cls(*self._resolve(args), **self._resolve(kwargs)))

    def op_call(
        self, target: Any, method: str | None, args: list, kwargs: dict, collect: bool = False, unbox: bool = False
    ) -> Any:
        obj = self._target(target)
        fn = obj if method is None else _getpath(obj, method)
        result = fn(*self._resolve(args, unbox), **self._resolve(kwargs, unbox))
        if collect:
            result = _collect(result)
        return self._plain(result)

    def op_map(self, target: Any, method: str, args_list: list) -> list:
        fn = _getpath(self._target(target), method)
        return [self._plain(fn(*self._resolve(args))) for args in args_list]

    def op_get(self, target: Any, path: str) -> Any:
        return self._plain(_getpath(self._target(target), path))

    def op_set(self, target: Any, path: str, value: Any) -> None:
        """``obj.path = value``; where the attribute is read-only (a property without a setter,
        a slot) but holds an array of the same shape, the value is written into that array."""
        obj = self._target(target)
        head, _, last = path.rpartition(".")
        owner = _getpath(obj, head) if head else obj
        value = self._resolve(value)
        try:
            setattr(owner, last, value)
        except AttributeError as error:
            current = getattr(owner, last, None)
            if not (isinstance(current, np.ndarray) and np.shape(value) == current.shape and current.flags.writeable):
                raise AttributeError(
                    f"the grader sets `{path}` to run its checks (the attributes in docs/api.md are plain, assignable "
                    f"ones) and could not: {error}"
                ) from None
            current[...] = value

    def op_setitem(self, target: Any, path: str, value: Any) -> None:
        """``obj.path[...] = value``: write into an existing array (keeps views valid)."""
        _getpath(self._target(target), path)[...] = self._resolve(value)

    def op_harness(self, name: str, args: list, kwargs: dict) -> Any:
        factory = getattr(doubles, name)
        return self._plain(factory(*self._resolve(args), **self._resolve(kwargs)))

    def op_signature(self, qualname: str) -> list[list[Any]]:
        """``[[name, kind, default], ...]`` of a class's constructor or a function; ``default``
        is ``"<required>"`` when there is none, ``"<not plain>"`` when it is not plain data."""
        import inspect

        target = get_component(qualname)
        signature = inspect.signature(target)
        rows = []
        for parameter in signature.parameters.values():
            default = parameter.default
            if default is inspect.Parameter.empty:
                default = "<required>"
            else:
                try:
                    default = plain.to_plain(default)
                except plain.NotPlain:
                    default = "<not plain>"
            rows.append([parameter.name, parameter.kind.name, default])
        return rows

    def op_release(self, ids: list[int]) -> None:
        for i in ids:
            self.objects.pop(i, None)

    def op_ping(self) -> str:
        return "pong"

    def op_seed(self, value: int) -> None:
        """Seed what a submission may draw from without being given a generator: ``np.random`` and the
        support module's default generator (``base.manual_seed``). Before every row, so that code that
        ignores the ``rng`` it is given (or is given none) still gets the same feedback for the same seed."""
        np.random.seed(value)
        support = sys.modules.get(f"{PACKAGE}.{SUPPORT_MODULE}")
        manual_seed = getattr(support, "manual_seed", None)
        if callable(manual_seed):
            manual_seed(value)

    def op_protections(self) -> list[str]:
        """What the sandbox achieved in this process (empty when not sandboxed)."""
        return list(ACTIVE)

    def execute(self, request: dict[str, Any]) -> dict[str, Any]:
        """Run one request; an exception of the student's becomes an error answer."""
        op = request.pop("op")
        if op == "batch":
            return {"ok": [self.execute(dict(r)) for r in request["requests"]]}
        try:
            value = getattr(self, f"op_{op}")(**request)
        except BaseException as error:  # noqa: BLE001 (the student's SystemExit too)
            if isinstance(error, KeyboardInterrupt) and os.environ.get("NNLAB_WORKER_CHILD") != "1":
                raise
            return {"error": self.describe(error)}
        return {"ok": value}

    def describe(self, error: BaseException) -> dict[str, Any]:
        """What went wrong, in plain data: type, message, and the line in the student's file."""
        where, source = "", ""
        for frame in traceback.extract_tb(error.__traceback__):
            if self.folder is not None and frame.filename.startswith(str(self.folder)):
                where = f"{Path(frame.filename).name}, line {frame.lineno}, in {frame.name}"
                source = _statement(frame)  # what raised: crashes.read_crash reads the mistake in it
        message = str(error)
        if len(message) > 500:
            message = message[:500] + "..."
        return {
            "type": type(error).__name__,
            "message": message,
            "where": where,
            "source": source,
            "not_implemented": isinstance(error, NotImplementedError),
        }


# Statements with a body: when one of them raised on its header (``if x > 0:`` with an array x), the
# header's first line is what raised, never the body below it.
_COMPOUND = (
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    getattr(ast, "Match", ast.If),
    getattr(ast, "TryStar", ast.Try),
)


@functools.lru_cache(maxsize=16)
def _parsed(source: str) -> ast.Module:
    """A student file's syntax tree, parsed once however many crashes it has (keyed by its text)."""
    return ast.parse(source)


def _statement(frame: traceback.FrameSummary) -> str:
    """The whole statement that raised, when it spans several lines (a call broken over lines, as code
    formatters write it); the frame's own line otherwise. The crash readers look for the mistake in it,
    and a formatted ``np.sum(\n    x, axis=0,\n    keepdims=True\n)`` has it on another line than the first."""
    first = frame.line or ""
    try:
        lines = linecache.getlines(frame.filename)
        span = _statement_span("".join(lines), frame.lineno or 0)
    except Exception:  # noqa: BLE001 (a file gone or rewritten since it was loaded: the line is enough)
        return first
    if span is None:
        return first
    return textwrap.dedent("".join(lines[span[0] - 1 : span[1]])).strip()


@functools.lru_cache(maxsize=256)
def _statement_span(source: str, lineno: int) -> tuple[int, int] | None:
    """The first and last line of the simple statement that spans several lines around ``lineno``; None for
    a one-line or compound statement. Cached: a mistake crashes on the same line in case after case."""
    enclosing = [
        node
        for node in ast.walk(_parsed(source))
        if isinstance(node, ast.stmt) and node.lineno <= lineno <= (node.end_lineno or node.lineno)
    ]
    if not enclosing:
        return None
    innermost = max(enclosing, key=lambda node: node.lineno)  # nested statements start later
    if isinstance(innermost, _COMPOUND) or innermost.end_lineno in (None, innermost.lineno):
        return None
    return innermost.lineno, innermost.end_lineno


def _getpath(obj: Any, path: str) -> Any:
    for part in path.split(".") if path else ():
        obj = getattr(obj, part)
    return obj


def _collect(result: Any) -> Any:
    """An iterator's (or any other iterable object's, e.g. a re-iterable batch list) items, as a list."""
    if isinstance(result, (list, tuple, np.ndarray, str, bytes, dict)) or not isinstance(result, Iterable):
        return result
    items = []
    for item in result:
        items.append(item)
        if len(items) > MAX_COLLECTED_ITEMS:
            raise RuntimeError(f"the iterator yielded more than {MAX_COLLECTED_ITEMS} items")
    return items


# ---------------------------------------------------------------------- child process
def _read_exact(fd: int, size: int) -> bytes:
    chunks = []
    while size:
        chunk = os.read(fd, size)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def serve(in_fd: int, out_fd: int) -> None:
    """Answer requests until the grader closes the pipe."""
    sys.setrecursionlimit(10_000)  # recursive student code gets room; the time limit still applies
    worker = Worker()
    while True:
        try:
            size = FRAME.unpack(_read_exact(in_fd, FRAME.size))[0]
            request = plain.loads(_read_exact(in_fd, size))
        except EOFError:
            return
        try:
            answer = plain.dumps(worker.execute(request))
        except Exception as error:  # a result that is not plain data
            answer = plain.dumps(
                {
                    "error": {
                        "type": type(error).__name__,
                        "message": str(error)[:500],
                        "where": "",
                        "not_implemented": False,
                    }
                }
            )
        send(out_fd, answer)
