"""PyTorch as an independent oracle: run the same computation in torch float64.

Import this module only from tests marked ``@pytest.mark.torch`` (conftest skips them when
torch is missing); it imports torch at module level.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import torch

torch.set_default_dtype(torch.float64)

RTOL = 1e-6  # the bar: float64 agreement with torch to rtol 1e-6
ATOL = 1e-9  # entries that should be 0 but come out as round-off of O(1e-16 * magnitude)


def tensor(array: np.ndarray, requires_grad: bool = False) -> torch.Tensor:
    return torch.tensor(np.asarray(array, dtype=np.float64), requires_grad=requires_grad)


def torch_forward_backward(
    fn: Callable[..., torch.Tensor],
    x: np.ndarray,
    grad_y: np.ndarray | None = None,
    params: Mapping[str, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """``y = fn(x, **params)`` in torch, then backpropagate ``grad_y`` (ones for a scalar).

    Returns ``(y, dL/dx, {name: dL/dparam})`` as float64 numpy arrays.
    """
    tx = tensor(x, requires_grad=True)
    tparams = {name: tensor(value, requires_grad=True) for name, value in (params or {}).items()}
    ty = fn(tx, **tparams)
    upstream = torch.ones_like(ty) if grad_y is None else tensor(grad_y)
    ty.backward(upstream)
    grads = {name: (t.grad.numpy().copy() if t.grad is not None else np.zeros(t.shape)) for name, t in tparams.items()}
    x_grad = tx.grad.numpy().copy() if tx.grad is not None else np.zeros(x.shape)
    return ty.detach().numpy().copy(), x_grad, grads


def assert_close(actual: np.ndarray, expected: np.ndarray, what: str, rtol: float = RTOL) -> None:
    """Assert agreement to ``rtol``, naming what differs, the shapes and the worst entry."""
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape}, expected {expected.shape}"
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=ATOL, err_msg=what)
