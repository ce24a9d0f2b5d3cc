"""Plain data: the only values that cross from student code to the grader.

Student code runs in a child process; what it returns reaches the grader as *plain data*:
None, bools, ints, floats, strings, lists, tuples, string-keyed dicts, numpy scalars and
numpy arrays of numeric or boolean dtype. Everything else stays in the child and is
referred to by a :class:`Handle`. Arrays are copied into fresh base-class ``ndarray``s, so
a subclass with a lying ``__eq__`` or ``__array__`` never reaches a comparison.

The wire format is JSON with arrays as base64 of their raw bytes: decoding it runs no code
of the sender (unlike pickle), and the dtype and shape are checked before use.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

import numpy as np

# dtype kinds that may cross: bool, signed/unsigned int, float, complex (reported, not used).
_ARRAY_KINDS = "biufc"
MAX_DEPTH = 20


@dataclass(frozen=True)
class Handle:
    """A reference to an object that lives in the student's process."""

    id: int
    type_name: str

    def __repr__(self) -> str:
        return f"<{self.type_name} #{self.id}>"


class NotPlain(TypeError):
    """A value could not be turned into plain data."""


def is_plain_array(value: Any) -> bool:
    return type(value) is np.ndarray and value.dtype.kind in _ARRAY_KINDS


def to_plain(value: Any, make_handle: Any = None, depth: int = 0) -> Any:
    """Copy ``value`` into plain data; objects become handles via ``make_handle(obj)``.

    Only exact types are trusted (``type(x) is float``, not ``isinstance``), so a subclass
    cannot smuggle behaviour through.
    """
    if depth > MAX_DEPTH:
        raise NotPlain("value nested too deeply")
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        return float(value)
    if isinstance(value, np.ndarray) and value.dtype.kind in _ARRAY_KINDS:
        # np.array(..., subok=False) drops subclasses; copy so later mutation in the child
        # (or a returned view of internal state) does not change what was recorded.
        return np.array(value, copy=True, subok=False)
    if isinstance(value, np.generic) and value.dtype.kind in _ARRAY_KINDS:
        return value.dtype.type(value.item())
    if kind in (list, tuple):
        items = [to_plain(item, make_handle, depth + 1) for item in value]
        return items if kind is list else tuple(items)
    if kind is dict:
        if not all(type(k) is str for k in value):
            raise NotPlain("dict keys must be strings")
        return {k: to_plain(v, make_handle, depth + 1) for k, v in value.items()}
    if make_handle is not None:
        return make_handle(value)
    raise NotPlain(f"{type(value).__name__} is not plain data")


# --------------------------------------------------------------------------- wire format


def _encode(value: Any) -> Any:
    if isinstance(value, Handle):
        return {"__handle__": value.id, "type": value.type_name}
    if isinstance(value, np.ndarray):
        array = np.ascontiguousarray(value)
        return {
            "__array__": base64.b64encode(array.tobytes()).decode("ascii"),
            "dtype": array.dtype.str,
            "shape": list(array.shape),
        }
    if isinstance(value, np.generic):
        return {"__scalar__": _encode(np.asarray(value))}
    if isinstance(value, float) and not np.isfinite(value):
        return {"__float__": repr(value)}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {"__dict__": {k: _encode(v) for k, v in value.items()}}
    return value


def _decode(value: Any, depth: int = 0) -> Any:
    if depth > MAX_DEPTH + 2:
        raise NotPlain("message nested too deeply")
    if isinstance(value, list):
        return [_decode(v, depth + 1) for v in value]
    if not isinstance(value, dict):
        if value is None or type(value) in (bool, int, float, str):
            return value
        raise NotPlain(f"unexpected {type(value).__name__} in message")
    if "__array__" in value:
        dtype = np.dtype(str(value["dtype"]))
        if dtype.kind not in _ARRAY_KINDS:
            raise NotPlain(f"dtype {dtype} is not allowed")
        shape = tuple(int(s) for s in value["shape"])
        raw = base64.b64decode(value["__array__"], validate=True)
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    if "__scalar__" in value:
        array = _decode(value["__scalar__"], depth + 1)
        return array.dtype.type(array.item())
    if "__float__" in value:
        text = str(value["__float__"])
        if text not in ("nan", "inf", "-inf"):
            raise NotPlain(f"bad float {text!r}")
        return float(text)
    if "__tuple__" in value:
        return tuple(_decode(v, depth + 1) for v in value["__tuple__"])
    if "__handle__" in value:
        return Handle(int(value["__handle__"]), str(value["type"]))
    if "__dict__" in value:
        return {str(k): _decode(v, depth + 1) for k, v in value["__dict__"].items()}
    raise NotPlain("unknown object in message")


def dumps(value: Any) -> bytes:
    return json.dumps(_encode(value), separators=(",", ":")).encode("utf-8")


def loads(data: bytes) -> Any:
    return _decode(json.loads(data.decode("utf-8")))
