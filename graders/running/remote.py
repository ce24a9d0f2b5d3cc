"""A student's module as one layer of a network trained in the grader's process.

Convergence checks train a small network whose every other piece comes from the
reference, so a failure points at the one component under test. The student's object
stays in its worker; :class:`RemoteModule` mirrors its parameters locally (so reference
optimizers can update them) and forwards ``forward``/``backward`` in one round trip each:
the current parameter values go with ``forward``, the accumulated gradients come back
with ``backward``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from nnlab.reference.base import Parameter

from .puppet import Session, StudentError


def run_batch(session: Session, requests: list[dict[str, Any]]) -> list[Any]:
    """Several operations in one round trip; the first student error is raised."""
    values = []
    for answer in session.request("batch", requests=requests):
        if "error" in answer:
            e = answer["error"]
            raise StudentError(
                e["type"], e["message"], e.get("where", ""), bool(e.get("not_implemented")), e.get("source", "")
            )
        values.append(answer["ok"])
    return values


@dataclass(frozen=True)
class Fed:
    """A call into the student's object that raised during training: which one (``number``: 1 for the first call
    of ``method``) and the arrays it was given, which the training made (a crash reader must not read a refusal of
    them as a refusal of valid input once the training could have made them nan)."""

    method: str
    number: int
    arrays: dict[str, np.ndarray]


class _Counted:
    """Counts each method's calls; a call that raises carries :class:`Fed` (``StudentError.fed``)."""

    def __init__(self) -> None:
        self.calls: dict[str, int] = {}

    def _fed(self, method: str, arrays: dict[str, Any], call: Any, *args: Any) -> Any:
        """``call(*args)``, counted as a call of ``method``; a student error it raises carries the :class:`Fed` of
        that call and ``arrays``, what the training gave it (built only then: training calls it on every batch)."""
        self.calls[method] = self.calls.get(method, 0) + 1
        try:
            return call(*args)
        except StudentError as error:
            arrays = {k: np.asarray(v) for k, v in arrays.items()}
            error.fed = error.fed or Fed(method, self.calls[method], arrays)
            raise


class RemoteModule(_Counted):
    """Duck-typed module (docs/api.md) whose computation happens in the student's worker."""

    def __init__(self, session: Session, handle: Any, param_names: tuple[str, ...]) -> None:
        super().__init__()
        self.session = session
        self.handle = handle
        self.names = tuple(param_names)
        for name in self.names:
            setattr(self, name, Parameter(session.get(handle, f"{name}.data")))
        self.training = True

    def parameters(self) -> list[Parameter]:
        return [getattr(self, name) for name in self.names]

    def forward(self, x: np.ndarray) -> np.ndarray:
        requests = [
            {"op": "set", "target": self.handle, "path": f"{name}.data", "value": getattr(self, name).data}
            for name in self.names
        ]
        requests.append({"op": "call", "target": self.handle, "method": "forward", "args": [x], "kwargs": {}})
        return _array(self._fed("forward", {"x": x}, run_batch, self.session, requests)[-1], "forward")

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        requests = [
            {
                "op": "set",
                "target": self.handle,
                "path": f"{name}.grad",
                "value": np.zeros_like(getattr(self, name).data),
            }
            for name in self.names
        ]
        requests.append({"op": "call", "target": self.handle, "method": "backward", "args": [grad_y], "kwargs": {}})
        requests += [{"op": "get", "target": self.handle, "path": f"{name}.grad"} for name in self.names]
        values = self._fed("backward", {"grad_y": grad_y}, run_batch, self.session, requests)
        for name, grad in zip(self.names, values[len(self.names) + 1 :], strict=True):
            grad = _array(grad, f"{name}.grad")
            shape = getattr(self, name).data.shape
            if grad.shape != shape:
                raise StudentError(
                    "ValueError",
                    f"after backward, `{name}.grad` has shape {grad.shape}; it must keep the parameter's shape {shape}",
                )
            getattr(self, name).grad += grad
        return _array(values[len(self.names)], "backward")

    def train(self) -> RemoteModule:
        self.session.call(self.handle, "train")
        self.training = True
        return self

    def eval(self) -> RemoteModule:
        self.session.call(self.handle, "eval")
        self.training = False
        return self


class RemoteLoss(_Counted):
    """A student's loss, used to train a reference network in the grader's process."""

    def __init__(self, session: Session, handle: Any) -> None:
        super().__init__()
        self.session = session
        self.handle = handle

    def forward(self, input: np.ndarray, target: np.ndarray) -> float:  # noqa: A002 (PyTorch's name)
        arrays = {"input": input, "target": target}
        value = self._fed("forward", arrays, self.session.call, self.handle, "forward", input, target)
        if isinstance(value, np.ndarray) and value.size == 1:
            value = value.reshape(())[()]
        if not isinstance(value, (int, float, np.floating, np.integer)) or isinstance(value, bool):
            raise StudentError("TypeError", f"forward returned {type(value).__name__}, not a number")
        return float(value)

    def backward(self) -> np.ndarray:
        return _array(self._fed("backward", {}, self.session.call, self.handle, "backward"), "backward")


def _array(value: Any, where: str) -> np.ndarray:
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "biuf":
        raise StudentError("TypeError", f"{where} returned {type(value).__name__}, not an array of numbers")
    return value.astype(np.float64, copy=False)
