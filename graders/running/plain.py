"""Plain data: the only values that cross from student code to the grader.

Student code runs in a child process; what it returns reaches the grader as *plain data*:
None, bools, ints, floats, strings, lists, tuples, string-keyed dicts, numpy scalars and
numpy arrays of numeric or boolean dtype. Everything else stays in the child and is
referred to by a :class:`Handle`. Arrays are copied into fresh base-class ``ndarray``s, so
a subclass with a lying ``__eq__`` or ``__array__`` never reaches a comparison.

The wire format is a JSON header followed by the arrays' raw bytes: decoding it runs no
code of the sender (unlike pickle), and every dtype, shape and size is checked before use.
"""

from __future__ import annotations

import json
import struct
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
    cannot smuggle behaviour through; tuple subclasses (namedtuples) are read as tuples.
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
    if isinstance(value, tuple):
        # A namedtuple (or another tuple subclass) is a tuple: its items, read through
        # tuple's own methods so that no override runs, as a plain tuple.
        return tuple(to_plain(tuple.__getitem__(value, i), make_handle, depth + 1) for i in range(tuple.__len__(value)))
    if kind is dict:
        if not all(type(k) is str for k in value):
            raise NotPlain("dict keys must be strings")
        return {k: to_plain(v, make_handle, depth + 1) for k, v in value.items()}
    if make_handle is not None:
        return make_handle(value)
    raise NotPlain(f"{type(value).__name__} is not plain data")


# --------------------------------------------------------------------------- wire format
# A message is: 8 bytes (big-endian length of the header), a JSON header in which every
# array is replaced by {"__array__": i, "dtype": ..., "shape": ...}, then the raw bytes of
# the arrays in order. Decoding checks every dtype and that the sizes add up exactly.

_LENGTH = struct.Struct(">Q")


def _encode(value: Any, buffers: list[bytes]) -> Any:
    if isinstance(value, Handle):
        return {"__handle__": value.id, "type": value.type_name}
    if isinstance(value, np.ndarray):
        array = np.ascontiguousarray(value)
        buffers.append(array.tobytes())
        return {"__array__": len(buffers) - 1, "dtype": array.dtype.str, "shape": list(array.shape)}
    if isinstance(value, np.generic):
        return {"__scalar__": _encode(np.asarray(value), buffers)}
    if isinstance(value, float) and not np.isfinite(value):
        return {"__float__": repr(value)}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v, buffers) for v in value]}
    if isinstance(value, list):
        return [_encode(v, buffers) for v in value]
    if isinstance(value, dict):
        return {"__dict__": {k: _encode(v, buffers) for k, v in value.items()}}
    return value


class _Reader:
    def __init__(self, data: memoryview) -> None:
        self.data = data
        self.offset = 0
        self.index = 0

    def array(self, spec: dict[str, Any]) -> np.ndarray:
        if int(spec["__array__"]) != self.index:
            raise NotPlain("arrays out of order in message")
        self.index += 1
        dtype = np.dtype(str(spec["dtype"]))
        if dtype.kind not in _ARRAY_KINDS or dtype.hasobject:
            raise NotPlain(f"dtype {dtype} is not allowed")
        shape = tuple(int(s) for s in spec["shape"])
        if any(s < 0 for s in shape):
            raise NotPlain("negative array dimension")
        size = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
        end = self.offset + size
        if end > len(self.data):
            raise NotPlain("message shorter than its arrays")
        array = np.frombuffer(self.data[self.offset : end], dtype=dtype).reshape(shape).copy()
        self.offset = end
        return array


def _decode(value: Any, reader: _Reader, depth: int = 0) -> Any:
    if depth > MAX_DEPTH + 2:
        raise NotPlain("message nested too deeply")
    if isinstance(value, list):
        return [_decode(v, reader, depth + 1) for v in value]
    if not isinstance(value, dict):
        if value is None or type(value) in (bool, int, float, str):
            return value
        raise NotPlain(f"unexpected {type(value).__name__} in message")
    if "__array__" in value:
        return reader.array(value)
    if "__scalar__" in value:
        array = _decode(value["__scalar__"], reader, depth + 1)
        return array.dtype.type(array.item())
    if "__float__" in value:
        text = str(value["__float__"])
        if text not in ("nan", "inf", "-inf"):
            raise NotPlain(f"bad float {text!r}")
        return float(text)
    if "__tuple__" in value:
        return tuple(_decode(v, reader, depth + 1) for v in value["__tuple__"])
    if "__handle__" in value:
        return Handle(int(value["__handle__"]), str(value["type"]))
    if "__dict__" in value:
        return {str(k): _decode(v, reader, depth + 1) for k, v in value["__dict__"].items()}
    raise NotPlain("unknown object in message")


def dumps(value: Any) -> bytes:
    buffers: list[bytes] = []
    header = json.dumps(_encode(value, buffers), separators=(",", ":")).encode("utf-8")
    return b"".join([_LENGTH.pack(len(header)), header, *buffers])


def loads(data: bytes) -> Any:
    view = memoryview(data)
    if len(view) < _LENGTH.size:
        raise NotPlain("message too short")
    (length,) = _LENGTH.unpack(view[: _LENGTH.size])
    if _LENGTH.size + length > len(view):
        raise NotPlain("message shorter than its header")
    header = json.loads(bytes(view[_LENGTH.size : _LENGTH.size + length]).decode("utf-8"))
    reader = _Reader(view[_LENGTH.size + length :])
    value = _decode(header, reader)
    if reader.offset != len(reader.data):
        raise NotPlain("message longer than its arrays")
    return value
