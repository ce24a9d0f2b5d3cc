"""Optimizers without PyTorch: the contract, the textbook behaviour, validation.

Contract (docs/api.md): ``step()`` updates ``p.data`` from ``p.grad``, keeps per-parameter state
between calls and leaves ``p.grad`` unchanged; ``zero_grad()`` zeros every gradient; state
is float64; parameters are duck-typed (anything with ``.data`` and ``.grad``).
Behaviour: momentum accumulates, Adam's bias correction makes early steps about ``lr``,
AdamW decays decoupled from the gradient, every optimizer descends a quadratic bowl.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from nnlab.graders.judging.strategies import SEEDS, rng_array, shapes
from nnlab.reference.base import Parameter
from nnlab.reference.optimizers import SGD, Adadelta, Adagrad, Adam, AdamW, RMSprop

pytestmark = pytest.mark.filterwarnings("error")

CLOSE = {"rtol": 1e-12, "atol": 0.0}  # hand-derived updates hold up to round-off

# One catalogue: every optimizer with its state-using options switched on.
STATEFUL = [
    pytest.param(SGD, {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.1}, id="sgd-momentum"),
    pytest.param(SGD, {"lr": 0.1, "momentum": 0.9, "nesterov": True}, id="sgd-nesterov"),
    pytest.param(Adagrad, {"lr": 0.1, "lr_decay": 0.1, "weight_decay": 0.1}, id="adagrad"),
    pytest.param(RMSprop, {"centered": True, "momentum": 0.5, "weight_decay": 0.1}, id="rmsprop"),
    pytest.param(Adadelta, {"weight_decay": 0.1}, id="adadelta"),
    pytest.param(Adam, {"amsgrad": True, "weight_decay": 0.1}, id="adam"),
    pytest.param(AdamW, {"amsgrad": True}, id="adamw"),
]
STATELESS = [pytest.param(SGD, {"lr": 0.1}, id="sgd-plain")]
ALL = STATEFUL + STATELESS


def make_params(seed: int = 0) -> list[Parameter]:
    """Three parameters of different shapes with nonzero gradients."""
    params = [Parameter(rng_array(seed + i, shape)) for i, shape in enumerate([(3,), (2, 4), (1,)])]
    for i, p in enumerate(params):
        p.grad = rng_array(seed + 10 + i, p.shape)
    return params


# ----------------------------------------------------------------------------------------
# Contract
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("cls, hyper", ALL)
def test_step_leaves_grad_unchanged(cls, hyper) -> None:
    """Weight decay forms a new array: p.grad keeps its values (and identity)."""
    params = make_params()
    grads = [p.grad for p in params]
    before = [g.copy() for g in grads]
    optimizer = cls(params, **hyper)
    for _ in range(3):
        optimizer.step()
    for index, (p, g, b) in enumerate(zip(params, grads, before, strict=True)):
        assert p.grad is g, f"{cls.__name__}: step() replaced p.grad of parameter {index}"
        np.testing.assert_array_equal(g, b, err_msg=f"{cls.__name__} modified p.grad {index}")


@pytest.mark.parametrize("cls, hyper", ALL)
def test_step_moves_every_parameter_and_zero_grad_zeros_every_grad(cls, hyper) -> None:
    params = make_params()
    before = [p.data.copy() for p in params]
    optimizer = cls(params, **hyper)
    optimizer.step()
    for index, (p, b) in enumerate(zip(params, before, strict=True)):
        assert np.all(p.data != b), f"{cls.__name__}: parameter {index} did not move everywhere"
    optimizer.zero_grad()
    assert all(not p.grad.any() for p in params), "zero_grad left a nonzero gradient"


@pytest.mark.parametrize("cls, hyper", ALL)
def test_state_and_data_are_float64_even_for_float32_gradients(cls, hyper) -> None:
    params = make_params()
    for p in params:
        p.grad = p.grad.astype(np.float32)
    optimizer = cls(params, **hyper)
    optimizer.step()
    optimizer.step()
    assert all(p.data.dtype == np.float64 for p in params)
    for state in optimizer.state:
        for key, value in state.items():
            assert value is None or value.dtype == np.float64, f"state {key!r} is {value.dtype}"


@pytest.mark.parametrize("cls, hyper", ALL)
def test_duck_typed_parameters_work(cls, hyper) -> None:
    """Graders pass any object with .data and .grad, not necessarily base.Parameter."""
    real = make_params()
    ducks = [SimpleNamespace(data=p.data.copy(), grad=p.grad.copy()) for p in real]
    cls(real, **hyper).step()
    cls(ducks, **hyper).step()
    for p, duck in zip(real, ducks, strict=True):
        np.testing.assert_array_equal(duck.data, p.data)


@pytest.mark.parametrize("cls, hyper", ALL)
def test_state_persists_between_steps(cls, hyper) -> None:
    """Two steps of one optimizer differ from one step each of two fresh ones, unless the
    optimizer is memoryless (plain SGD), for which they coincide exactly."""
    kept, restarted = make_params(), make_params()
    second_grads = [rng_array(99 + i, p.shape) for i, p in enumerate(kept)]
    optimizer = cls(kept, **hyper)
    optimizer.step()
    cls(restarted, **hyper).step()
    for p, q, g in zip(kept, restarted, second_grads, strict=True):
        p.grad, q.grad = g.copy(), g.copy()
    optimizer.step()
    cls(restarted, **hyper).step()
    same = all(np.array_equal(p.data, q.data) for p, q in zip(kept, restarted, strict=True))
    memoryless = cls is SGD and not hyper.get("momentum")
    assert same == memoryless, f"{cls.__name__}({hyper}): state {'was not' if same else 'was'} carried between steps"


# ----------------------------------------------------------------------------------------
# Textbook behaviour
# ----------------------------------------------------------------------------------------


def test_plain_sgd_is_gradient_descent() -> None:
    p = Parameter([1.0, -2.0])
    p.grad = np.array([0.5, 4.0])
    SGD([p], lr=0.1).step()
    np.testing.assert_allclose(p.data, [0.95, -2.4], **CLOSE)


def test_sgd_momentum_accumulates_velocity() -> None:
    """b1 = g1 (no dampening at first), b2 = m b1 + (1 - d) g2; nesterov uses g2 + m b2."""
    g1, g2, lr, m, d = 1.0, 3.0, 0.1, 0.9, 0.5
    for nesterov, dampening in ((False, 0.0), (False, d), (True, 0.0)):
        p = Parameter([0.0])
        optimizer = SGD([p], lr=lr, momentum=m, dampening=dampening, nesterov=nesterov)
        p.grad[:] = g1
        optimizer.step()
        b1 = g1
        first = g1 + m * b1 if nesterov else b1
        np.testing.assert_allclose(p.data, [-lr * first], **CLOSE)
        p.grad[:] = g2
        optimizer.step()
        b2 = m * b1 + (1 - dampening) * g2
        second = g2 + m * b2 if nesterov else b2
        np.testing.assert_allclose(p.data, [-lr * (first + second)], **CLOSE)


@given(shape=shapes(max_dims=2), seed=SEEDS, log_scale=st.floats(-3, 3), lr=st.floats(1e-4, 1))
def test_adam_first_step_has_magnitude_lr_whatever_the_gradient_scale(shape, seed, log_scale, lr) -> None:
    """Bias correction: m_hat = g and v_hat = g^2 after one step, so |step| = lr |g|/(|g|+eps)."""
    for cls in (Adam, AdamW):
        p = Parameter(rng_array(seed, shape))
        start = p.data.copy()
        p.grad = 10.0**log_scale * np.sign(rng_array(seed + 1, shape))
        cls([p], lr=lr, weight_decay=0.0).step()
        np.testing.assert_allclose(np.abs(p.data - start), lr, rtol=1e-4)


def test_adam_steps_by_lr_each_step_under_a_constant_gradient() -> None:
    """With a constant gradient the corrected averages are exact: every step is ~lr."""
    p = Parameter([0.0, 0.0])
    p.grad = np.array([0.02, -50.0])
    optimizer = Adam([p], lr=0.01)
    for t in range(1, 6):
        optimizer.step()
        np.testing.assert_allclose(p.data, [-0.01 * t, 0.01 * t], rtol=1e-6)


def test_rmsprop_first_step_is_ten_times_lr_without_bias_correction() -> None:
    """v = (1 - alpha) g^2 after one step, so the step is lr / sqrt(0.01) = 10 lr."""
    p = Parameter([0.0])
    p.grad = np.array([3.0])
    RMSprop([p], lr=0.01).step()
    np.testing.assert_allclose(p.data, [-0.1], rtol=1e-6)  # eps shifts it by ~3e-8


def test_adagrad_steps_shrink_under_a_constant_gradient() -> None:
    """s = t g^2, so step t has size lr / sqrt(t)."""
    p = Parameter([0.0])
    p.grad = np.array([2.0])
    optimizer = Adagrad([p], lr=0.1)
    previous = 0.0
    for t in range(1, 6):
        optimizer.step()
        np.testing.assert_allclose(previous - p.data[0], 0.1 / np.sqrt(t), rtol=1e-9)
        previous = p.data[0]


def test_adamw_decay_is_decoupled_but_adams_l2_is_normalised() -> None:
    """Zero gradient: AdamW shrinks every weight by exactly (1 - lr wd) per step. Adam's L2
    term wd * p is divided by its own RMS, so a large and a small weight move alike (~lr)."""
    lr, wd = 0.01, 0.1
    decoupled, coupled = Parameter([100.0, 0.5]), Parameter([100.0, 0.5])
    AdamW([decoupled], lr=lr, weight_decay=wd).step()
    Adam([coupled], lr=lr, weight_decay=wd).step()
    np.testing.assert_allclose(decoupled.data, [100.0 * (1 - lr * wd), 0.5 * (1 - lr * wd)])
    np.testing.assert_allclose(coupled.data, [100.0 - lr, 0.5 - lr], rtol=1e-6)


QUADRATIC_A = np.array([[3.0, 1.0, 0.0], [1.0, 2.0, 0.5], [0.0, 0.5, 1.0]])  # SPD, eigs 0.7-3.6


@pytest.mark.parametrize(
    "cls, hyper, steps",
    [
        pytest.param(SGD, {"lr": 0.25}, 200, id="sgd"),
        pytest.param(SGD, {"lr": 0.05, "momentum": 0.9}, 200, id="sgd-momentum"),
        pytest.param(SGD, {"lr": 0.05, "momentum": 0.9, "nesterov": True}, 200, id="sgd-nesterov"),
        pytest.param(Adagrad, {"lr": 0.5}, 300, id="adagrad"),
        pytest.param(RMSprop, {"lr": 0.01}, 300, id="rmsprop"),
        pytest.param(Adadelta, {"rho": 0.99, "eps": 1e-4}, 300, id="adadelta"),
        pytest.param(Adam, {"lr": 0.05}, 300, id="adam"),
        pytest.param(AdamW, {"lr": 0.05, "weight_decay": 0.0}, 300, id="adamw"),
    ],
)
def test_descends_a_quadratic_bowl(cls, hyper, steps) -> None:
    """f(p) = p.A.p / 2 with A positive definite: the loss falls below 1e-3 of its start."""
    p = Parameter([2.0, -1.0, 1.5])

    def loss() -> float:
        return float(p.data @ QUADRATIC_A @ p.data / 2)

    start = loss()
    optimizer = cls([p], **hyper)
    for _ in range(steps):
        optimizer.zero_grad()
        p.grad += QUADRATIC_A @ p.data
        optimizer.step()
    assert loss() < 1e-3 * start, f"{cls.__name__}({hyper}): loss {start:.3g} -> {loss():.3g}"


@given(seed=SEEDS)
def test_sgd_converges_to_the_minimum_of_a_bowl(seed) -> None:
    """lr = 1 / largest curvature: every error component shrinks geometrically to ~0."""
    rng = np.random.default_rng(seed)
    Q = np.linalg.qr(rng.standard_normal((4, 4)))[0]
    A = Q @ np.diag(rng.uniform(1.0, 4.0, 4)) @ Q.T
    minimum = rng.standard_normal(4)
    p = Parameter(rng.standard_normal(4))
    optimizer = SGD([p], lr=0.25)
    for _ in range(150):
        optimizer.zero_grad()
        p.grad += A @ (p.data - minimum)
        optimizer.step()
    np.testing.assert_allclose(p.data, minimum, atol=1e-8)


# ----------------------------------------------------------------------------------------
# Validation
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cls, hyper, match",
    [
        pytest.param(SGD, {"lr": -0.1}, "learning rate", id="sgd-lr"),
        pytest.param(SGD, {"momentum": -0.1}, "momentum", id="sgd-momentum"),
        pytest.param(SGD, {"weight_decay": -1.0}, "weight_decay", id="sgd-weight_decay"),
        pytest.param(SGD, {"nesterov": True}, "Nesterov", id="sgd-nesterov-no-momentum"),
        pytest.param(
            SGD,
            {"momentum": 0.9, "dampening": 0.1, "nesterov": True},
            "zero dampening",
            id="sgd-nesterov-dampening",
        ),
        pytest.param(Adagrad, {"lr": float("nan")}, "learning rate", id="adagrad-nan-lr"),
        pytest.param(Adagrad, {"lr_decay": -1.0}, "lr_decay", id="adagrad-lr_decay"),
        pytest.param(
            Adagrad,
            {"initial_accumulator_value": -1.0},
            "initial_accumulator_value",
            id="adagrad-initial_accumulator_value",
        ),
        pytest.param(Adagrad, {"eps": -1.0}, "eps", id="adagrad-eps"),
        pytest.param(RMSprop, {"alpha": -0.5}, "alpha", id="rmsprop-alpha"),
        pytest.param(RMSprop, {"momentum": -0.5}, "momentum", id="rmsprop-momentum"),
        pytest.param(Adadelta, {"rho": 1.1}, "rho", id="adadelta-rho"),
        pytest.param(Adam, {"betas": (1.0, 0.999)}, "index 0", id="adam-beta1"),
        pytest.param(Adam, {"betas": (0.9, 1.5)}, "index 1", id="adam-beta2"),
        pytest.param(Adam, {"betas": (0.9,)}, "pair", id="adam-betas-length"),
        pytest.param(AdamW, {"lr": -1.0}, "AdamW: invalid learning rate", id="adamw-lr"),
        pytest.param(AdamW, {"weight_decay": -0.01}, "weight_decay", id="adamw-weight_decay"),
    ],
)
def test_invalid_hyper_parameters_raise_value_error(cls, hyper, match) -> None:
    with pytest.raises(ValueError, match=match):
        cls([Parameter(np.zeros(2))], **hyper)


@pytest.mark.parametrize("cls", [SGD, Adagrad, RMSprop, Adadelta, Adam, AdamW])
def test_empty_parameter_list_is_rejected(cls) -> None:
    with pytest.raises(ValueError, match="empty parameter list"):
        cls([])
