"""The component catalogue: every gradable component of the API and the cases it is tried on.

One entry per component of ``docs/api.md``: its kind (which check families apply), the
names of its parameters, the kinks and ties to keep inputs away from, and a small table of
cases (constructor arguments, input shape, mode) chosen the way a teaching assistant would:
the default, a batch of one, non-square shapes, stride and padding, rectangular kernels,
channel counts that differ. The graders and nnlab's own tests share this table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Case:
    """One way to construct a component and feed it.

    Attributes:
        id: short human name, used in test names ("stride 2, padding 1").
        kwargs: constructor keyword arguments (positional ones are given as keywords).
        input_shape: shape of ``x`` (modules) or of the logits/predictions (losses).
        scale: inputs are standard normal times this.
        mode: "train" or "eval".
        target: for losses, overrides the component's kind of target ("soft": in [0, 1]).
    """

    id: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    input_shape: tuple[int, ...] = (4, 5)
    scale: float = 1.0
    mode: str = "train"
    target: str | None = None


@dataclass(frozen=True)
class Component:
    """A gradable component.

    Attributes:
        name: ``module.Class`` as in docs/api.md, e.g. ``layers.Conv2d``.
        kind: "activation", "layer", "loss", "optimizer", "perceptron", "sequential",
            "minibatches", "fit", "numerical_gradient", "relative_error", "fans",
            "initializer" or "early_stopping".
        params: names of its Parameter attributes (``weight``, ``bias``), given the kwargs.
        signature: the constructor parameters and defaults of docs/api.md, in order.
        cases: where it is compared with the reference and checked.
        kinks: input values where the derivative jumps; inputs are kept away from them.
        ties: inputs must have a unique maximum per window (max pooling, Maxout).
        random: forward depends on a random source (Dropout), so no reference comparison.
        target: for losses, the kind of target ("same", "binary", "probability", "class").
        positive_input: for losses taking probabilities, inputs are in (0, 1).
        rule: for initialisers, the variance rule: "xavier" (``gain^2 * 2 / (fan_in + fan_out)``)
            or "kaiming" (``gain^2 / fan``); a case's ``input_shape`` is the weight's shape.
        distribution: for initialisers, "uniform" or "normal".
        uses: helpers of the same module the component calls (``init.fan_in_and_fan_out``,
            ``training.fit``); the checks put a correct one in their place while they run it.
        properties: for a course's own component, the release checker's properties it must
            have (keys of graders/selfcheck/properties.py); nnlab's list theirs in nnlab/fixtures.
    """

    name: str
    kind: str
    signature: tuple[tuple[str, Any], ...] = ()
    params: tuple[str, ...] = ()
    cases: tuple[Case, ...] = ()
    kinks: tuple[float, ...] = ()
    ties: bool = False
    random: bool = False
    target: str = ""
    positive_input: bool = False
    rule: str = ""
    distribution: str = ""
    uses: tuple[str, ...] = ()
    properties: tuple[str, ...] = ()

    @property
    def module(self) -> str:
        return self.name.split(".")[0]

    @property
    def class_name(self) -> str:
        return self.name.split(".")[1]

    def params_for(self, kwargs: dict[str, Any]) -> tuple[str, ...]:
        if "bias" in self.params and kwargs.get("bias", True) is False:
            return tuple(p for p in self.params if p != "bias")
        return self.params


class _Required:
    """The default of a constructor parameter that has none: one object, also after pickling."""

    def __repr__(self) -> str:
        return "REQUIRED"

    def __reduce__(self) -> str:
        return "REQUIRED"  # pickled by name: a course's own entries reach grading processes intact


REQUIRED = _Required()  # a constructor parameter without a default


def _elementwise(*extra: Case) -> tuple[Case, ...]:
    return (
        Case("batch of 4, 5 features", input_shape=(4, 5)),
        Case("batch of 1", input_shape=(1, 7)),
        Case("images (N, C, H, W)", input_shape=(2, 3, 4, 5)),
        Case("large inputs", input_shape=(3, 6), scale=6.0),
        *extra,
    )


def _activation(name: str, signature=(), cases=None, **kw: Any) -> Component:
    return Component(f"activations.{name}", "activation", tuple(signature), cases=cases or _elementwise(), **kw)


ACTIVATIONS = [
    _activation("Identity"),
    _activation("Step", kinks=(0.0,)),
    _activation("Sigmoid"),
    _activation("Tanh"),
    _activation("ReLU", kinks=(0.0,)),
    _activation(
        "LeakyReLU",
        [("negative_slope", 0.01)],
        # A slope above 1 is allowed too; max(x, slope * x) is only right below 1.
        _elementwise(
            Case("negative_slope=0.2", {"negative_slope": 0.2}, (5, 3)),
            Case("negative_slope=1.5", {"negative_slope": 1.5}, (3, 4)),
        ),
        kinks=(0.0,),
    ),
    _activation(
        "PReLU",
        [("num_parameters", 1), ("init", 0.25)],
        (
            Case("one shared slope", {}, (4, 5)),
            Case("one slope per channel", {"num_parameters": 3}, (4, 3)),
            Case("per channel, images", {"num_parameters": 2, "init": 0.1}, (2, 2, 3, 4)),
            Case("per channel, sequences", {"num_parameters": 3}, (2, 3, 5)),
            Case("batch of 1", {"num_parameters": 4}, (1, 4)),
        ),
        params=("weight",),
        kinks=(0.0,),
    ),
    _activation("ELU", [("alpha", 1.0)], _elementwise(Case("alpha=0.5", {"alpha": 0.5}, (5, 3), 3.0)), kinks=(0.0,)),
    _activation("SELU", kinks=(0.0,)),
    _activation(
        "GELU",
        [("approximate", "none")],
        _elementwise(Case("tanh approximation", {"approximate": "tanh"}, (5, 4), 2.0)),
    ),
    _activation("SiLU"),
    _activation(
        "Softplus",
        [("beta", 1.0), ("threshold", 20.0)],
        _elementwise(
            Case("beta=2, threshold=5", {"beta": 2.0, "threshold": 5.0}, (5, 4), 3.0),
            Case("past the threshold", {"beta": 1.0, "threshold": 2.0}, (4, 6), 4.0),
        ),
        kinks=(20.0, 2.5, 2.0),  # beta*x == threshold switches branch
    ),
    _activation(
        "Softmax",
        [("dim", -1)],
        (
            Case("rows of logits", {}, (4, 5)),
            Case("batch of 1", {}, (1, 6)),
            Case("dim=1 of images", {"dim": 1}, (2, 3, 2, 2)),
            Case("dim=0", {"dim": 0}, (4, 3)),
            Case("dim=-2 of a 3-D input", {"dim": -2}, (2, 3, 4)),
            Case("large logits", {}, (3, 5), 30.0),
        ),
    ),
    _activation(
        "LogSoftmax",
        [("dim", -1)],
        (
            Case("rows of logits", {}, (4, 5)),
            Case("batch of 1", {}, (1, 6)),
            Case("dim=1 of images", {"dim": 1}, (2, 3, 2, 2)),
            Case("dim=0", {"dim": 0}, (4, 3)),
            Case("last axis of a 3-D input", {}, (2, 3, 4)),
            Case("dim=-2 of a 3-D input", {"dim": -2}, (2, 3, 4)),
            Case("large logits", {}, (3, 5), 30.0),
        ),
    ),
    _activation(
        "Maxout",
        [("in_features", REQUIRED), ("out_features", REQUIRED), ("pieces", 2)],
        (
            Case("2 pieces", {"in_features": 4, "out_features": 3}, (5, 4)),
            Case("3 pieces, batch of 1", {"in_features": 3, "out_features": 2, "pieces": 3}, (1, 3)),
            Case("wide", {"in_features": 2, "out_features": 5, "pieces": 4}, (3, 2)),
        ),
        params=("weight", "bias"),
        ties=True,
    ),
]

LAYERS = [
    Component(
        "layers.Linear",
        "layer",
        (("in_features", REQUIRED), ("out_features", REQUIRED), ("bias", True)),
        ("weight", "bias"),
        (
            Case("4 -> 3", {"in_features": 4, "out_features": 3}, (5, 4)),
            Case("batch of 1", {"in_features": 6, "out_features": 2}, (1, 6)),
            Case("no bias", {"in_features": 3, "out_features": 4, "bias": False}, (4, 3)),
            Case("one output", {"in_features": 5, "out_features": 1}, (3, 5)),
        ),
    ),
    Component(
        "layers.Conv2d",
        "layer",
        (
            ("in_channels", REQUIRED),
            ("out_channels", REQUIRED),
            ("kernel_size", REQUIRED),
            ("stride", 1),
            ("padding", 0),
            ("bias", True),
        ),
        ("weight", "bias"),
        (
            Case("3x3", {"in_channels": 2, "out_channels": 3, "kernel_size": 3}, (2, 2, 5, 6)),
            Case(
                "stride 2, padding 1",
                {"in_channels": 2, "out_channels": 2, "kernel_size": 3, "stride": 2, "padding": 1},
                (2, 2, 6, 5),
            ),
            Case(
                "rectangular kernel",
                {"in_channels": 1, "out_channels": 2, "kernel_size": (2, 3), "padding": (1, 0)},
                (2, 1, 4, 5),
            ),
            Case("batch of 1, 1x1 kernel", {"in_channels": 3, "out_channels": 4, "kernel_size": 1}, (1, 3, 3, 3)),
            Case(
                "stride (2, 1), no bias",
                {"in_channels": 2, "out_channels": 3, "kernel_size": 2, "stride": (2, 1), "bias": False},
                (1, 2, 5, 4),
            ),
            Case(
                "padding 2, stride 3",
                {"in_channels": 1, "out_channels": 1, "kernel_size": 3, "stride": 3, "padding": 2},
                (2, 1, 5, 7),
            ),
        ),
    ),
    Component(
        "layers.MaxPool2d",
        "layer",
        (("kernel_size", REQUIRED), ("stride", None)),
        (),
        (
            Case("2x2", {"kernel_size": 2}, (2, 3, 4, 6)),
            Case("3x3 stride 1 (overlapping)", {"kernel_size": 3, "stride": 1}, (1, 2, 5, 5)),
            Case("odd size, stride 2", {"kernel_size": 2, "stride": 2}, (2, 1, 5, 7)),
            Case("rectangular window", {"kernel_size": (1, 3), "stride": (1, 2)}, (2, 2, 3, 7)),
            Case("2x3 window", {"kernel_size": (2, 3)}, (2, 2, 4, 7)),
        ),
        ties=True,
    ),
    Component(
        "layers.AvgPool2d",
        "layer",
        (("kernel_size", REQUIRED), ("stride", None)),
        (),
        (
            Case("2x2", {"kernel_size": 2}, (2, 3, 4, 6)),
            Case("3x3 stride 1 (overlapping)", {"kernel_size": 3, "stride": 1}, (1, 2, 5, 5)),
            Case("odd size, stride 2", {"kernel_size": 2, "stride": 2}, (2, 1, 5, 7)),
            Case("rectangular window", {"kernel_size": (2, 3), "stride": (1, 2)}, (2, 2, 4, 7)),
        ),
    ),
    Component(
        "layers.Flatten",
        "layer",
        (),
        (),
        (
            Case("images", {}, (2, 3, 4, 5)),
            Case("batch of 1", {}, (1, 2, 3)),
            Case("already flat", {}, (4, 6)),
        ),
    ),
    Component(
        "layers.Dropout",
        "layer",
        (("p", 0.5),),
        (),
        (
            Case("p=0.5", {}, (40, 50)),
            Case("p=0.2", {"p": 0.2}, (30, 40)),
            Case("p=0.8, images", {"p": 0.8}, (8, 3, 10, 10)),
        ),
        random=True,
    ),
    Component(
        "layers.BatchNorm1d",
        "layer",
        (("num_features", REQUIRED), ("eps", 1e-5), ("momentum", 0.1)),
        ("weight", "bias"),
        (
            Case("train", {"num_features": 4}, (6, 4)),
            Case("eval (running statistics)", {"num_features": 3}, (5, 3), mode="eval"),
            Case("momentum 0.3, eps 1e-3", {"num_features": 5, "momentum": 0.3, "eps": 1e-3}, (4, 5)),
            Case("momentum 0 (frozen running statistics)", {"num_features": 3, "momentum": 0.0}, (4, 3)),
            Case("batch of 2", {"num_features": 3}, (2, 3)),
            Case("sequences (N, C, L)", {"num_features": 3}, (4, 3, 5)),
        ),
    ),
    Component(
        "layers.BatchNorm2d",
        "layer",
        (("num_features", REQUIRED), ("eps", 1e-5), ("momentum", 0.1)),
        ("weight", "bias"),
        (
            Case("train", {"num_features": 3}, (2, 3, 4, 5)),
            Case("eval (running statistics)", {"num_features": 2}, (3, 2, 3, 3), mode="eval"),
            Case("batch of 1", {"num_features": 2}, (1, 2, 3, 4)),
            Case("momentum 0.3, eps 1e-3", {"num_features": 2, "momentum": 0.3, "eps": 1e-3}, (2, 2, 3, 3)),
        ),
    ),
]

LOSSES = [
    Component(
        "losses.MSELoss",
        "loss",
        cases=(
            Case("(N, D)", input_shape=(6, 3)),
            Case("batch of 1", input_shape=(1, 4)),
            Case("vector", input_shape=(7,)),
        ),
        target="same",
    ),
    Component(
        "losses.BCELoss",
        "loss",
        cases=(
            Case("(N, 1)", input_shape=(6, 1)),
            Case("(N, D)", input_shape=(4, 3)),
            Case("vector", input_shape=(5,)),
            Case("soft targets", input_shape=(4, 3), target="soft"),
        ),
        target="binary",
        positive_input=True,
    ),
    Component(
        "losses.BCEWithLogitsLoss",
        "loss",
        cases=(
            Case("(N, 1)", input_shape=(6, 1)),
            Case("(N, D)", input_shape=(4, 3), scale=3.0),
            Case("vector", input_shape=(5,)),
            Case("soft targets", input_shape=(4, 3), scale=2.0, target="soft"),
        ),
        target="binary",
    ),
    Component(
        "losses.CrossEntropyLoss",
        "loss",
        cases=(
            Case("5 classes", input_shape=(6, 5)),
            Case("batch of 1", input_shape=(1, 3)),
            Case("2 classes, large logits", input_shape=(4, 2), scale=20.0),
        ),
        target="class",
    ),
    Component(
        "losses.HingeLoss",
        "loss",
        (("margin", 1.0),),
        cases=(
            Case("4 classes", input_shape=(6, 4)),
            Case("margin 0.5", {"margin": 0.5}, (5, 3)),
            Case("margin 0", {"margin": 0.0}, (5, 3)),
            Case("batch of 1", input_shape=(1, 5)),
        ),
        kinks=(0.0,),
        target="class",
    ),
]


def _optimizer(name: str, signature, cases: tuple[Case, ...]) -> Component:
    return Component(f"optimizers.{name}", "optimizer", (("params", REQUIRED), *signature), cases=cases)


OPTIMIZERS = [
    _optimizer(
        "SGD",
        (("lr", 0.001), ("momentum", 0.0), ("dampening", 0.0), ("nesterov", False), ("weight_decay", 0.0)),
        (
            Case("plain", {"lr": 0.1}),
            Case("momentum", {"lr": 0.05, "momentum": 0.9}),
            Case("nesterov", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
            Case("dampening, weight decay", {"lr": 0.05, "momentum": 0.8, "dampening": 0.3, "weight_decay": 0.01}),
            Case("dampening", {"lr": 0.05, "momentum": 0.9, "dampening": 0.5}),
            Case("nesterov, weight decay", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.05}),
            # Without momentum, weight decay still applies and dampening does not.
            Case("weight decay, no momentum", {"lr": 0.1, "weight_decay": 0.1}),
            Case("dampening, no momentum", {"lr": 0.1, "dampening": 0.5}),
        ),
    ),
    _optimizer(
        "Adagrad",
        (("lr", 0.01), ("lr_decay", 0.0), ("weight_decay", 0.0), ("initial_accumulator_value", 0.0), ("eps", 1e-10)),
        (
            Case("defaults", {}),
            Case("lr_decay, weight decay", {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.05}),
            Case("initial accumulator", {"lr": 0.05, "initial_accumulator_value": 0.1}),
            Case("eps 1e-3", {"lr": 0.05, "eps": 1e-3}),
        ),
    ),
    _optimizer(
        "RMSprop",
        (("lr", 0.01), ("alpha", 0.99), ("eps", 1e-8), ("weight_decay", 0.0), ("momentum", 0.0), ("centered", False)),
        (
            Case("defaults", {}),
            Case("centered", {"lr": 0.01, "centered": True}),
            Case("momentum, weight decay", {"lr": 0.01, "momentum": 0.9, "weight_decay": 0.01, "alpha": 0.9}),
            Case(
                "centered, momentum, weight decay",
                {"lr": 0.01, "centered": True, "momentum": 0.5, "weight_decay": 0.1, "eps": 1e-3},
            ),
        ),
    ),
    _optimizer(
        "Adadelta",
        (("lr", 1.0), ("rho", 0.9), ("eps", 1e-6), ("weight_decay", 0.0)),
        (
            Case("defaults", {}),
            Case("rho 0.95, weight decay", {"lr": 0.5, "rho": 0.95, "weight_decay": 0.01}),
            Case("eps 1e-3", {"eps": 1e-3}),
        ),
    ),
    _optimizer(
        "Adam",
        (("lr", 0.001), ("betas", (0.9, 0.999)), ("eps", 1e-8), ("weight_decay", 0.0), ("amsgrad", False)),
        (
            Case("defaults", {}),
            Case("lr 0.01, betas (0.8, 0.99)", {"lr": 0.01, "betas": (0.8, 0.99)}),
            Case("amsgrad", {"lr": 0.01, "amsgrad": True}),
            Case("L2 weight decay", {"lr": 0.01, "weight_decay": 0.1}),
            Case("eps 1e-3, amsgrad, weight decay", {"lr": 0.01, "eps": 1e-3, "amsgrad": True, "weight_decay": 0.1}),
        ),
    ),
    _optimizer(
        "AdamW",
        (("lr", 0.001), ("betas", (0.9, 0.999)), ("eps", 1e-8), ("weight_decay", 0.01), ("amsgrad", False)),
        (
            Case("defaults", {}),
            Case("strong decoupled decay", {"lr": 0.01, "weight_decay": 0.5}),
            Case("amsgrad", {"lr": 0.01, "amsgrad": True}),
            Case("eps 1e-3, betas (0.8, 0.99)", {"lr": 0.01, "eps": 1e-3, "betas": (0.8, 0.99)}),
        ),
    ),
]

OTHERS = [
    Component(
        "models.Sequential",
        "sequential",
        cases=(Case("3 layers", input_shape=(4, 3)), Case("batch of 1", input_shape=(1, 5))),
    ),
    Component(
        "models.Perceptron",
        "perceptron",
        (("n_features", REQUIRED), ("lr", 1.0)),
        cases=(Case("2 features", {"n_features": 2}), Case("lr 0.5, 5 features", {"n_features": 5, "lr": 0.5})),
    ),
    Component(
        "training.minibatches",
        "minibatches",
        (("X", REQUIRED), ("y", REQUIRED), ("batch_size", None), ("shuffle", False), ("rng", None)),
    ),
    Component(
        "training.fit",
        "fit",
        (
            ("model", REQUIRED),
            ("loss_fn", REQUIRED),
            ("optimizer", REQUIRED),
            ("X", REQUIRED),
            ("y", REQUIRED),
            ("epochs", 10),
            ("batch_size", None),
            ("shuffle", False),
            ("rng", None),
        ),
    ),
    Component("gradcheck.numerical_gradient", "numerical_gradient", (("f", REQUIRED), ("x", REQUIRED), ("h", 1e-5))),
    Component("gradcheck.relative_error", "relative_error", (("a", REQUIRED), ("b", REQUIRED))),
]


def _initializer(name: str, signature, cases: tuple[Case, ...]) -> Component:
    rule, distribution = name.split("_")
    return Component(
        f"init.{name}",
        "initializer",
        (("shape", REQUIRED), *signature, ("rng", None)),
        cases=cases,
        rule=rule,
        distribution=distribution,
        uses=("fan_in_and_fan_out",),
    )


_KAIMING = (("a", 0.0), ("mode", "fan_in"), ("nonlinearity", "leaky_relu"))
SQRT5 = 5**0.5  # PyTorch's default for Linear and Conv2d: kaiming_uniform(a=sqrt(5))

# Initialisers are judged by the statistics of one large draw per case (settings.INIT_SIGMAS):
# every case has >= 20 000 entries, and fan_in != fan_out, so that a swap shows.
INITIALIZERS = [
    Component(
        "init.fan_in_and_fan_out",
        "fans",
        (("shape", REQUIRED),),
        cases=(
            Case("dense (out, in)", input_shape=(3, 5)),
            Case("one input", input_shape=(7, 1)),
            Case("conv kernel (C_out, C_in, kH, kW)", input_shape=(8, 3, 3, 3)),
            Case("rectangular conv kernel", input_shape=(4, 3, 2, 5)),
            Case("1x1 conv kernel", input_shape=(6, 4, 1, 1)),
            Case("conv1d kernel (C_out, C_in, k)", input_shape=(6, 2, 3)),
        ),
    ),
    _initializer(
        "xavier_uniform",
        (("gain", 1.0),),
        (
            Case("dense (256, 384)", input_shape=(256, 384)),
            Case("gain 5/3 (tanh), dense (500, 120)", {"gain": 5 / 3}, (500, 120)),
            Case("conv kernel (64, 32, 5, 5)", input_shape=(64, 32, 5, 5)),
            Case("gain 0.5, rectangular conv kernel (48, 20, 3, 7)", {"gain": 0.5}, (48, 20, 3, 7)),
        ),
    ),
    _initializer(
        "xavier_normal",
        (("gain", 1.0),),
        (
            Case("dense (300, 200)", input_shape=(300, 200)),
            Case("gain 2, dense (128, 400)", {"gain": 2.0}, (128, 400)),
            Case("conv kernel (32, 16, 7, 7)", input_shape=(32, 16, 7, 7)),
            Case("conv1d kernel (96, 24, 9)", input_shape=(96, 24, 9)),
        ),
    ),
    _initializer(
        "kaiming_uniform",
        _KAIMING,
        (
            Case("default (ReLU gain), dense (256, 300)", input_shape=(256, 300)),
            Case("a=sqrt(5) (PyTorch's Linear default), dense (128, 500)", {"a": SQRT5}, (128, 500)),
            Case("mode fan_out, conv kernel (128, 32, 3, 3)", {"mode": "fan_out"}, (128, 32, 3, 3)),
            Case("nonlinearity tanh, dense (300, 200)", {"nonlinearity": "tanh"}, (300, 200)),
            Case("leaky_relu a=0.5, rectangular conv kernel (64, 24, 3, 5)", {"a": 0.5}, (64, 24, 3, 5)),
        ),
    ),
    _initializer(
        "kaiming_normal",
        _KAIMING,
        (
            Case("default (ReLU gain), dense (400, 150)", input_shape=(400, 150)),
            Case(
                "mode fan_out, nonlinearity relu, dense (300, 120)",
                {"mode": "fan_out", "nonlinearity": "relu"},
                (300, 120),
            ),
            Case("conv kernel (64, 16, 5, 5)", input_shape=(64, 16, 5, 5)),
            Case("a=sqrt(5), conv kernel (96, 32, 3, 3)", {"a": SQRT5}, (96, 32, 3, 3)),
            Case(
                "nonlinearity selu, mode fan_out, dense (160, 256)",
                {"nonlinearity": "selu", "mode": "fan_out"},
                (160, 256),
            ),
        ),
    ),
]

REGULARISATION = [
    Component(
        "early_stopping.fit_early_stopping",
        "early_stopping",
        (
            ("model", REQUIRED),
            ("loss_fn", REQUIRED),
            ("optimizer", REQUIRED),
            ("X", REQUIRED),
            ("y", REQUIRED),
            ("X_val", REQUIRED),
            ("y_val", REQUIRED),
            ("max_epochs", 100),
            ("patience", 5),
            ("batch_size", None),
            ("shuffle", False),
            ("rng", None),
            ("restore_best", True),
            ("min_delta", 0.0),
        ),
        uses=("fit",),
    ),
]

CATALOGUE: dict[str, Component] = {
    c.name: c for c in [*ACTIVATIONS, *LAYERS, *LOSSES, *OPTIMIZERS, *OTHERS, *INITIALIZERS, *REGULARISATION]
}


def component(name: str) -> Component:
    """Look a component up by ``module.Class``, with a one-line error naming the known ones."""
    try:
        return CATALOGUE[name]
    except KeyError:
        raise KeyError(f"unknown component {name!r}; expected one of: {', '.join(CATALOGUE)}") from None


# Components whose reference builds on another one the student also writes: a mistake in
# the latter shows in the former too. The report says so (it does not change the scores).
BUILDS_ON = {
    "activations.SiLU": ("activations.Sigmoid", "keeps a Sigmoid for x * sigmoid(x)"),
    "activations.Softplus": ("activations.Sigmoid", "keeps a Sigmoid for its derivative"),
    "activations.SELU": ("activations.ELU", "is scale * ELU(x, alpha)"),
    "optimizers.AdamW": ("optimizers.Adam", "inherits Adam's step"),
}
