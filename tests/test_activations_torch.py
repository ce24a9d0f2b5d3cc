"""PyTorch as the oracle for ``nnlab.reference.activations``.

Every activation runs on the same float64 input in numpy and in ``torch.nn.functional``
with the same random upstream gradient; outputs, input gradients and parameter gradients
(PReLU's slopes, Maxout's weight and bias) must agree to rtol 1e-6.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

pytest.importorskip("torch", reason="PyTorch (the test-only oracle) is not installed: pip install torch==2.13.0")

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402, N812 (torch's convention)
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from nnlab.graders.judging.strategies import (  # noqa: E402
    SEEDS,
    arrays,
    dense_shapes,
    off_kinks,
    rng_array,
    shapes,
)
from nnlab.reference.activations import (  # noqa: E402
    ELU,
    GELU,
    SELU,
    Identity,
    LeakyReLU,
    LogSoftmax,
    Maxout,
    PReLU,
    ReLU,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Step,
    Tanh,
)
from nnlab.reference.base import Module, Parameter  # noqa: E402
from oracle import assert_close, torch_forward_backward  # noqa: E402

pytestmark = pytest.mark.torch


@dataclass(frozen=True)
class TorchCase:
    """An activation and its PyTorch equivalent ``fn(x, **parameters)``."""

    name: str
    make: Callable[[tuple[int, ...]], Module]
    fn: Callable[..., torch.Tensor]
    kinks: tuple[float, ...] = ()
    min_dims: int = 0


def case(
    name: str,
    make: Callable[[tuple[int, ...]], Module],
    fn: Callable[..., torch.Tensor],
    kinks: tuple[float, ...] = (),
    min_dims: int = 0,
) -> pytest.param:
    return pytest.param(TorchCase(name, make, fn, kinks, min_dims), id=name)


CASES = [
    case("Identity", lambda s: Identity(), lambda x: x.clone()),
    # (x > 0) has no gradient in torch; adding 0 * x gives the zero gradient a graph
    case("Step", lambda s: Step(), lambda x: (x > 0).to(x.dtype) + 0.0 * x, kinks=(0.0,)),
    case("Sigmoid", lambda s: Sigmoid(), torch.sigmoid),
    case("Tanh", lambda s: Tanh(), torch.tanh),
    case("ReLU", lambda s: ReLU(), F.relu, kinks=(0.0,)),
    case("LeakyReLU", lambda s: LeakyReLU(), F.leaky_relu, kinks=(0.0,)),
    case(
        "LeakyReLU-0.3",
        lambda s: LeakyReLU(negative_slope=0.3),
        lambda x: F.leaky_relu(x, negative_slope=0.3),
        kinks=(0.0,),
    ),
    case("PReLU", lambda s: PReLU(), F.prelu, kinks=(0.0,)),
    case("PReLU-channels", lambda s: PReLU(num_parameters=s[1]), F.prelu, kinks=(0.0,), min_dims=2),
    case("ELU", lambda s: ELU(), F.elu, kinks=(0.0,)),
    case("ELU-0.5", lambda s: ELU(alpha=0.5), lambda x: F.elu(x, alpha=0.5), kinks=(0.0,)),
    case("SELU", lambda s: SELU(), F.selu, kinks=(0.0,)),
    case("GELU", lambda s: GELU(), F.gelu),
    case("GELU-tanh", lambda s: GELU(approximate="tanh"), lambda x: F.gelu(x, approximate="tanh")),
    case("SiLU", lambda s: SiLU(), F.silu),
    case("Softplus", lambda s: Softplus(), F.softplus),
    case(
        "Softplus-beta2-threshold1",
        lambda s: Softplus(beta=2.0, threshold=1.0),
        lambda x: F.softplus(x, beta=2.0, threshold=1.0),
        kinks=(0.5,),
    ),
    case("Softplus-beta0.5", lambda s: Softplus(beta=0.5), lambda x: F.softplus(x, beta=0.5)),
    case("Softmax", lambda s: Softmax(), lambda x: F.softmax(x, dim=-1), min_dims=1),
    case("Softmax-dim0", lambda s: Softmax(dim=0), lambda x: F.softmax(x, dim=0), min_dims=1),
    case("Softmax-dim1", lambda s: Softmax(dim=1), lambda x: F.softmax(x, dim=1), min_dims=2),
    case("LogSoftmax", lambda s: LogSoftmax(), lambda x: F.log_softmax(x, dim=-1), min_dims=1),
    case("LogSoftmax-dim0", lambda s: LogSoftmax(dim=0), lambda x: F.log_softmax(x, dim=0), min_dims=1),
    case("LogSoftmax-dim-2", lambda s: LogSoftmax(dim=-2), lambda x: F.log_softmax(x, dim=-2), min_dims=2),
]


def named_parameters(module: Module) -> dict[str, Parameter]:
    """The module's parameters by attribute name (``weight``, ``bias``), as torch names them."""
    params = module.parameters()
    return {name: value for name, value in vars(module).items() if any(value is p for p in params)}


def compare(module: Module, fn: Callable[..., torch.Tensor], x: np.ndarray, name: str, seed: int) -> None:
    """Forward, input gradient and every parameter gradient agree with torch."""
    params = named_parameters(module)
    for index, p in enumerate(params.values()):
        p.data = rng_array(seed + index + 1, p.data.shape)  # distinct, also negative, values
        p.grad = np.zeros_like(p.data)
    y = module.forward(x)
    grad_y = rng_array(seed + 99, y.shape)
    grad_x = module.backward(grad_y)
    t_y, t_grad_x, t_grads = torch_forward_backward(fn, x, grad_y, {key: p.data for key, p in params.items()})
    assert_close(y, t_y, f"{name} forward")
    assert_close(grad_x, t_grad_x, f"{name} input gradient")
    for key, p in params.items():
        assert_close(p.grad, t_grads[key], f"{name} {key} gradient")


@pytest.mark.parametrize("c", CASES)
@given(data=st.data())
def test_matches_torch(c: TorchCase, data: st.DataObject) -> None:
    """Same output and gradients as torch.nn.functional, on 0-d to 4-d inputs of scale 3."""
    shape = data.draw(shapes(min_dims=c.min_dims, max_dims=4, max_side=5))
    seed = data.draw(SEEDS)
    x = off_kinks(rng_array(seed, shape, scale=3.0), c.kinks)
    compare(c.make(shape), c.fn, x, c.name, seed)


# Saturation: exp underflows or overflows, tanh and erf round to +-1.
EXTREMES = np.array([-1e4, -1000.0, -50.0, -30.0, -5.0, -1e-3, 1e-3, 5.0, 30.0, 50.0, 1000.0, 1e4])


@pytest.mark.parametrize("c", CASES)
def test_matches_torch_in_saturation(c: TorchCase) -> None:
    """Outputs and gradients still agree with torch for inputs up to +-1e4."""
    x = np.stack([EXTREMES, EXTREMES[::-1]])
    compare(c.make(x.shape), c.fn, x, c.name, seed=11)


def torch_maxout(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    """Maxout from torch primitives: one linear map per piece, stacked, max over pieces."""
    pieces = torch.stack([F.linear(x, weight[k], bias[k]) for k in range(weight.shape[0])])
    return pieces.max(dim=0).values


@st.composite
def maxout_configs(draw: st.DrawFn) -> tuple[int, int, int, int, np.ndarray]:
    n, d = draw(dense_shapes())
    return n, d, draw(st.integers(1, 5)), draw(st.integers(1, 4)), draw(arrays((n, d)))


@given(config=maxout_configs(), seed=SEEDS)
def test_maxout_matches_torch(config: tuple[int, int, int, int, np.ndarray], seed: int) -> None:
    """Maxout's output, input gradient and weight and bias gradients agree with torch."""
    n, d, m, k, x = config
    compare(Maxout(d, m, pieces=k), torch_maxout, x, f"Maxout(d={d}, m={m}, pieces={k})", seed)
