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
        kwargs: constructor keyword arguments (positional ones are given as keywords); for a
            function (minibatches, fit), the keyword arguments of the call.
        input_shape: shape of ``x`` (modules, numerical_gradient's point), of the logits/predictions
            (losses) or of ``X`` (minibatches, fit: ``(N, D)``).
        scale: inputs are standard normal times this.
        mode: "train" or "eval".
        target: for losses, overrides the component's kind of target ("soft": in [0, 1]).
        target_shape: shape of ``y`` where the check makes the data (minibatches, fit); None: the
            kind's own.
        inputs: how the check makes the inputs, where its kind has several ways (relative_error:
            "random", "zeros" (entries below the 1e-8 floor), "equal", "opposite", "nearly-equal"
            (relative errors of 1e-8 and below, which float64 resolves and float32 rounds away);
            modules: "after-relu", the output of a ReLU, about half of its entries exactly 0;
            numerical_gradient: "zero-entry", x with one entry exactly 0).
        losses: what a scripted double reports, in order (early stopping: the validation loss
            after each epoch).
        param_draws: how this case draws parameters, in place of the component's ``param_draws``
            (PReLU's slopes above 1, which a typical draw never reaches).
    """

    id: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    input_shape: tuple[int, ...] = (4, 5)
    scale: float = 1.0
    mode: str = "train"
    target: str | None = None
    target_shape: tuple[int, ...] | None = None
    inputs: str = ""
    losses: tuple[float, ...] = ()
    param_draws: tuple[tuple[str, Draw], ...] = ()


@dataclass(frozen=True)
class Draw:
    """Seeded values for a parameter or buffer: ``mean + std * normal`` or ``uniform(low, high)``."""

    distribution: str = "normal"  # "normal" or "uniform"
    mean: float = 0.0
    std: float = 0.5
    low: float = 0.0
    high: float = 1.0


@dataclass(frozen=True)
class Invariant:
    """One statement the properties family tries on hypothesis inputs (elementwise activations).

    Attributes:
        statement: what the rubric line says, e.g. "sigmoid(-x) = 1 - sigmoid(x)".
        relation: the law, one of graders/judging/checks/properties.py's ``RELATIONS``: "f(x) = x",
            "f(x) = [x > 0]", "f(-x) = 1 - f(x)", "f(-x) = -f(x)", "f(c x) = c f(x)",
            "f(x) = k x for x > 0", "f(x) - f(-x) = x", "f(x) sums to 1 along dim",
            "exp f(x) sums to 1 along dim", "f(x + c) = f(x)".
        message: the failure sentence; empty for the relation's own.
        factor: the ``k`` of "f(x) = k x for x > 0".
    """

    statement: str
    relation: str
    message: str = ""
    factor: float = 1.0


@dataclass(frozen=True)
class Domain:
    """Where the properties family draws an elementwise component's inputs.

    Attributes:
        low, high: drawn inputs are clipped to ``[low, high]`` (Softplus: below its threshold,
            where ``f(x) - f(-x) = x`` holds exactly).
        min_ndim: an input with fewer dimensions is given as a column ``(N, 1)`` (PReLU needs a
            channel axis).
    """

    low: float = float("-inf")
    high: float = float("inf")
    min_ndim: int = 1


# The input of "stable at extreme inputs" unless an entry gives its own (rows of a 2-D array).
EXTREME_INPUT = ((-1e4, -1000.0, -50.0, -1.5), (1.5, 50.0, 1000.0, 1e4))
# A function that is x (or a small multiple of x) on a side is finite up to the largest float (1.8e308):
# its extremes reach 1e308, where an intermediate larger than the result (x + |x|) overflows.
NEAR_MAX = 1e308
EXTREME_INPUT_TO_MAX = ((-NEAR_MAX, *EXTREME_INPUT[0]), (*EXTREME_INPUT[1], NEAR_MAX))


@dataclass(frozen=True)
class Extremes:
    """What "stable at extreme inputs" tries: no nan or inf far from 0, and the known limits.

    Attributes:
        inputs: the rows of the extreme input.
        limits: ``(x, f(x))`` pairs every correct implementation reaches (``|x| = 1000``).
        settings: constructor arguments tried besides the first case's (a formula of its own).
        sums_to_one: the outputs along the last axis sum to 1 (Softmax), at the extremes too.
    """

    inputs: tuple[tuple[float, ...], ...] = EXTREME_INPUT
    limits: tuple[tuple[float, float], ...] = ()
    settings: tuple[dict[str, Any], ...] = ()
    sums_to_one: bool = False


@dataclass(frozen=True)
class Layer:
    """One layer of a convergence network: the reference's, or the submission's when ``name``
    is the component under test."""

    name: str
    args: tuple[Any, ...] = ()
    kwargs: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Descent:
    """An optimizer's convergence run: ``steps`` steps with ``kwargs`` on ``task``, one of the
    convergence family's tasks ("a quadratic bowl", "the Rosenbrock function", "a small MLP").

    The hyper-parameters are chosen so the reference ends at least 1000 times below the start on
    the bowl, 6 times on Rosenbrock (the curved valley is slow for every first-order method) and
    10 times on the MLP (worst of seeds 0-9); small budgets, since a loop-based optimizer takes one
    round trip per step.
    """

    task: str
    kwargs: dict[str, Any]
    steps: int


def _descents(bowl: dict[str, Any], rosenbrock: dict[str, Any], mlp: dict[str, Any]) -> tuple[Descent, ...]:
    """The three convergence runs every optimizer takes (100, 300 and 150 steps)."""
    return (
        Descent("a quadratic bowl", bowl, 100),
        Descent("the Rosenbrock function", rosenbrock, 300),
        Descent("a small MLP", mlp, 150),
    )


@dataclass(frozen=True)
class Scenario:
    """The convergence family's task: a small network holding the component, its data and training.

    Attributes:
        data: "spirals" (fit the 300 training points), "xor", "digits" (8x8 images) or "digits-flat".
        network: the layers in order; every layer named like the component is the submission's.
        epochs, batch_size, lr: Adam's training (``batch_size`` None: full batch).
        loss: the loss after the network, a key of graders/judging/checks/convergence.py's ``LOSSES``
            ("cross-entropy", "nll-of-probabilities", "nll-of-log-probabilities"); a loss under
            test is its own loss.
        description: the network in words, for the rubric line.
        targets: "class" (integer labels) or "column" (float ``(N, 1)`` targets).
        threshold: single-output predictions are class 1 above it (0.5 for probabilities).
    """

    data: str
    network: tuple[Layer, ...]
    epochs: int
    batch_size: int | None
    lr: float
    loss: str = "cross-entropy"
    description: str = ""
    targets: str = "class"
    threshold: float = 0.0


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
        invariants: statements the properties family tries on hypothesis inputs (activations).
        domain: where those inputs are drawn.
        extremes: what "stable at extreme inputs" tries (activations); None: not tried.
        laws: structural properties the properties family tries (keys of
            graders/judging/checks/properties.py's law checks): "affine", "size formula",
            "translation equivariant", "max commutes with shifts", "row-major", "best piece".
        geometry: how the law checks configure it on random problems: "dense" (in_features,
            out_features), "conv" (channels, kernel, stride, padding, bias) or "pool" (kernel, stride).
        param_draws: how parameters are drawn for comparisons (default: 0.5 times standard normal).
        filled: ``(parameter, argument)`` for a parameter docs/api.md fills at construction with a
            constructor argument's value (PReLU's ``weight`` with ``init``); other initial values are free.
        buffers: buffers set, drawn, on both sides for eval-mode cases (BatchNorm's running statistics).
        kink_params: ``(a, b)`` when the kink sits at ``kwargs[a] / kwargs[b]`` (Softplus:
            ``threshold / beta``; defaults from the signature) rather than at ``kinks``.
        ties_in: with ``ties``, where a tie would be: "input" (the input itself, max pooling's
            windows) or "pieces" (the affine pieces ``x . weight[k] + bias[k]``, Maxout).
        margin_param: for a class-target loss with a margin (hinge), the constructor parameter
            holding it; inputs keep ``x[n, j] - x[n, y] + margin`` away from 0.
        convergence: the network it is trained in by the convergence family; None: not trained.
        builds_on: ``(component, how)`` when its reference builds on another component the
            student also writes (SiLU keeps a Sigmoid): the report says where to start fixing.
        formula: the formula family whose known mistakes the diagnosis simulates for it, a key
            of the diagnosis tables in graders/judging/checks ("sigmoid", "adam", "cross-entropy");
            components computing the same formula share one. "": none simulated (a course's own
            component may name a built-in formula to borrow its diagnosis).
        descents: for optimizers, the convergence runs (task, hyper-parameters, steps).
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
    invariants: tuple[Invariant, ...] = ()
    domain: Domain = Domain()
    extremes: Extremes | None = Extremes()
    laws: tuple[str, ...] = ()
    geometry: str = ""
    param_draws: tuple[tuple[str, Draw], ...] = ()
    filled: tuple[tuple[str, str], ...] = ()
    buffers: tuple[tuple[str, Draw], ...] = ()
    kink_params: tuple[str, ...] = ()
    ties_in: str = "input"
    margin_param: str = ""
    convergence: Scenario | None = None
    builds_on: tuple[str, ...] = ()
    formula: str = ""
    descents: tuple[Descent, ...] = ()

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


# Full-batch Adam on the 300 spiral points: 150 steps reach 75-99% (by activation), far above
# what a wrong gradient reaches, in a third of a second.
SPIRAL_STEPS, SPIRAL_LR = 150, 0.03
# XOR: the 4 corners, full batch; 300 Adam steps solve it from any reasonable start.
XOR_STEPS, XOR_LR = 300, 0.05
# The small CNN and MLP on 8x8 digits: 4 epochs of minibatches of 50.
DIGITS_EPOCHS, DIGITS_BATCH, DIGITS_LR = 4, 50, 0.01


def _spirals(network: tuple[Layer, ...], description: str, loss: str = "cross-entropy") -> Scenario:
    return Scenario("spirals", network, SPIRAL_STEPS, None, SPIRAL_LR, loss, description)


def _digits(data: str, network: tuple[Layer, ...], description: str) -> Scenario:
    return Scenario(data, network, DIGITS_EPOCHS, DIGITS_BATCH, DIGITS_LR, description=description)


def _hidden(name: str) -> Scenario:
    """An MLP 2-32-3 with the activation between its layers, on the spirals."""
    network = (Layer("layers.Linear", (2, 32)), Layer(name), Layer("layers.Linear", (32, 3)))
    return _spirals(network, "an MLP 2-32-3 with your activation on the spirals")


def _output(name: str, loss: str) -> Scenario:
    """An MLP on the spirals whose last layer is the activation (Softmax, LogSoftmax)."""
    network = (Layer("layers.Linear", (2, 32)), Layer("activations.Tanh"), Layer("layers.Linear", (32, 3)), Layer(name))
    return _spirals(network, f"an MLP on the spirals whose output is your {name.partition('.')[2]}", loss)


def _cnn(pool: str = "layers.MaxPool2d", batchnorm: bool = False) -> tuple[Layer, ...]:
    """Conv2d(1, 4, 3, padding=1) [BatchNorm2d] ReLU pool(2) Flatten Linear(64, 10)."""
    norm = (Layer("layers.BatchNorm2d", (4,)),) if batchnorm else ()
    return (
        Layer("layers.Conv2d", (1, 4, 3), (("padding", 1),)),
        *norm,
        Layer("activations.ReLU"),
        Layer(pool, (2,)),
        Layer("layers.Flatten"),
        Layer("layers.Linear", (64, 10)),
    )


def _mlp_digits(*middle: Layer) -> tuple[Layer, ...]:
    return (Layer("layers.Linear", (64, 32)), *middle, Layer("layers.Linear", (32, 10)))


def _xor(*output: Layer) -> tuple[Layer, ...]:
    return (Layer("layers.Linear", (2, 8)), Layer("activations.Tanh"), Layer("layers.Linear", (8, 1)), *output)


# SELU's constants (docs/api.md), for its invariant and its limit.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
BIG = 1000.0  # where the extremes' limits are read

HOMOGENEOUS = Invariant("positively homogeneous", "f(c x) = c f(x)")
IDENTITY_FOR_POSITIVE = Invariant("y = x for x > 0", "f(x) = k x for x > 0")
ODD_PART_IS_X = Invariant("f(x) - f(-x) = x", "f(x) - f(-x) = x")
ZERO_BELOW = ((-BIG, 0.0), (BIG, BIG))  # ReLU-like: 0 far left, x far right
# PReLU's learned slopes past 1 (a trained network has some): every channel's, so no draw misses the range.
SLOPES_ABOVE_1 = Draw("uniform", low=1.25, high=2.5)
# Softmax's extreme input: large logits, and rows far from 0 with small differences.
LOGITS_EXTREMES = ((1000.0, 0.0, -1000.0), (1e4, 1e4 - 1, 1e4 - 2), (-1e4, -1e4, -1e4 + 3))


def _activation(name: str, signature=(), cases=None, **kw: Any) -> Component:
    """An activation; unless it says otherwise, trained as the hidden activation of an MLP."""
    qualname = f"activations.{name}"
    kw.setdefault("convergence", _hidden(qualname))
    return Component(qualname, "activation", tuple(signature), cases=cases or _elementwise(), **kw)


ACTIVATIONS = [
    # A network of Identity layers is linear, and Step has no gradient: neither is trained.
    _activation(
        "Identity",
        invariants=(Invariant("y = x", "f(x) = x", "y should equal x"),),
        convergence=None,
        formula="identity",
    ),
    _activation(
        "Step",
        formula="step",
        kinks=(0.0,),
        invariants=(Invariant("y = 1 where x > 0, else 0", "f(x) = [x > 0]", "step"),),
        convergence=None,
    ),
    _activation(
        "Sigmoid",
        formula="sigmoid",
        invariants=(
            Invariant("sigmoid(-x) = 1 - sigmoid(x)", "f(-x) = 1 - f(x)", "sigmoid(-x) should be 1 - sigmoid(x)"),
        ),
        extremes=Extremes(limits=((BIG, 1.0), (-BIG, 0.0))),
    ),
    _activation(
        "Tanh",
        formula="tanh",
        invariants=(Invariant("tanh is odd", "f(-x) = -f(x)", "tanh(-x) should be -tanh(x)"),),
        extremes=Extremes(limits=((BIG, 1.0), (-BIG, -1.0))),
    ),
    _activation(
        "ReLU",
        formula="relu",
        kinks=(0.0,),
        invariants=(HOMOGENEOUS, IDENTITY_FOR_POSITIVE),
        extremes=Extremes(inputs=EXTREME_INPUT_TO_MAX, limits=ZERO_BELOW),
    ),
    _activation(
        "LeakyReLU",
        [("negative_slope", 0.01)],
        # A slope above 1 is allowed too; max(x, slope * x) is only right below 1.
        _elementwise(
            Case("negative_slope=0.2", {"negative_slope": 0.2}, (5, 3)),
            Case("negative_slope=1.5", {"negative_slope": 1.5}, (3, 4)),
            # 0.0 is a valid slope (ReLU) and falsy: `self.negative_slope or 0.01` turns it into the default.
            Case("negative_slope=0", {"negative_slope": 0.0}, (3, 4)),
        ),
        kinks=(0.0,),
        invariants=(HOMOGENEOUS, IDENTITY_FOR_POSITIVE),
        extremes=Extremes(inputs=EXTREME_INPUT_TO_MAX),
        formula="leaky-relu",
    ),
    _activation(
        "PReLU",
        [("num_parameters", 1), ("init", 0.25)],
        (
            Case("one shared slope", {}, (4, 5)),
            Case("one slope per channel", {"num_parameters": 3}, (4, 3)),
            Case("per channel, images", {"num_parameters": 2, "init": 0.1}, (2, 2, 3, 4)),
            Case("per channel, sequences", {"num_parameters": 3}, (2, 3, 5)),
            Case("init 0 (starts as a ReLU)", {"num_parameters": 2, "init": 0.0}, (3, 2)),  # valid, not the default
            Case("batch of 1", {"num_parameters": 4}, (1, 4)),
            # A learned slope may pass 1: max(x, a * x) is PReLU only for slopes up to 1.
            Case("slopes above 1", {"num_parameters": 3}, (5, 3), param_draws=(("weight", SLOPES_ABOVE_1),)),
        ),
        params=("weight",),
        kinks=(0.0,),
        invariants=(HOMOGENEOUS, IDENTITY_FOR_POSITIVE),
        domain=Domain(min_ndim=2),
        extremes=Extremes(inputs=tuple((x,) for row in EXTREME_INPUT for x in row)),  # one channel: a column
        param_draws=(("weight", Draw("uniform", low=0.05, high=0.5)),),  # slopes a trained network has
        filled=(("weight", "init"),),
        formula="prelu",
    ),
    _activation(
        "ELU",
        [("alpha", 1.0)],
        _elementwise(
            Case("alpha=0.5", {"alpha": 0.5}, (5, 3), 3.0),
            # An alpha above 1 is allowed too (SELU's is 1.67); max(x, alpha (e^x - 1)) is only right up to 1.
            Case("alpha=1.5", {"alpha": 1.5}, (4, 4)),
            # 0.0 is a valid alpha (ReLU) and falsy: `float(alpha) or 1.0` turns it into the default.
            Case("alpha=0", {"alpha": 0.0}, (4, 5)),
        ),
        kinks=(0.0,),
        invariants=(IDENTITY_FOR_POSITIVE,),
        extremes=Extremes(inputs=EXTREME_INPUT_TO_MAX, limits=((-BIG, -1.0), (BIG, BIG))),
        formula="elu",
    ),
    _activation(
        "SELU",
        formula="selu",
        kinks=(0.0,),
        invariants=(Invariant("y = scale x for x > 0", "f(x) = k x for x > 0", factor=SELU_SCALE),),
        extremes=Extremes(limits=((-BIG, -SELU_SCALE * SELU_ALPHA), (BIG, SELU_SCALE * BIG))),
        builds_on=("activations.ELU", "is scale * ELU(x, alpha)"),
    ),
    _activation(
        "GELU",
        [("approximate", "none")],
        _elementwise(Case("tanh approximation", {"approximate": "tanh"}, (5, 4), 2.0)),
        invariants=(ODD_PART_IS_X,),
        # The tanh approximation is a formula of its own: it reaches the extremes too.
        extremes=Extremes(limits=ZERO_BELOW, settings=({"approximate": "tanh"},)),
        formula="gelu",
    ),
    _activation(
        "SiLU",
        formula="silu",
        invariants=(ODD_PART_IS_X,),
        extremes=Extremes(limits=ZERO_BELOW),
        builds_on=("activations.Sigmoid", "keeps a Sigmoid for x * sigmoid(x)"),
    ),
    _activation(
        "Softplus",
        [("beta", 1.0), ("threshold", 20.0)],
        _elementwise(
            Case("beta=2, threshold=5", {"beta": 2.0, "threshold": 5.0}, (5, 4), 3.0),
            # A beta below 1 too: a mistake in how beta enters can coincide with another at one beta (at 2,
            # dividing only the log term by beta gives what a known mistake gives), not at both.
            Case("beta=0.5, threshold=1", {"beta": 0.5, "threshold": 1.0}, (4, 5), 3.0),
            Case("past the threshold", {"beta": 1.0, "threshold": 2.0}, (4, 6), 4.0),
        ),
        kinks=(20.0, 2.5, 2.0),  # beta*x == threshold switches branch
        kink_params=("threshold", "beta"),
        invariants=(Invariant("f(x) - f(-x) = x below the threshold", "f(x) - f(-x) = x"),),
        domain=Domain(-15.0, 15.0),  # below the threshold, where f(x) = x is not taken literally
        extremes=Extremes(limits=ZERO_BELOW),
        builds_on=("activations.Sigmoid", "keeps a Sigmoid for its derivative"),
        formula="softplus",
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
            # One vector of logits, no batch axis (docs/api.md: along dim, of any x): y keeps x's shape.
            Case("a single vector", {}, (5,)),
        ),
        invariants=(
            Invariant("rows sum to 1", "f(x) sums to 1 along dim", "softmax should sum to 1 along dim"),
            Invariant("shift-invariant", "f(x + c) = f(x)", "softmax(x + c) should equal softmax(x)"),
        ),
        extremes=Extremes(inputs=LOGITS_EXTREMES, sums_to_one=True),
        convergence=_output("activations.Softmax", "nll-of-probabilities"),
        formula="softmax",
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
            Case("a single vector", {}, (5,)),  # one distribution, no batch axis: the output keeps shape (5,)
        ),
        invariants=(
            Invariant("exp sums to 1", "exp f(x) sums to 1 along dim", "exp(log_softmax) should sum to 1 along dim"),
            Invariant("shift-invariant", "f(x + c) = f(x)", "log_softmax(x + c) should equal log_softmax(x)"),
        ),
        extremes=Extremes(inputs=LOGITS_EXTREMES),
        convergence=_output("activations.LogSoftmax", "nll-of-log-probabilities"),
        formula="log-softmax",
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
        ties_in="pieces",
        laws=("best piece",),
        extremes=None,
        convergence=_spirals(
            (Layer("activations.Maxout", (2, 16, 2)), Layer("layers.Linear", (16, 3))),
            "a Maxout(2, 16) network on the spirals",
        ),
        formula="maxout",
    ),
]

# BatchNorm's scale is drawn around 1, its running statistics as a trained network's would be.
BATCHNORM_DRAWS = (("weight", Draw(mean=1.0, std=0.3)),)
RUNNING_STATISTICS = (("running_mean", Draw(std=0.5)), ("running_var", Draw("uniform", low=0.5, high=2.0)))

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
        laws=("affine",),
        geometry="dense",
        formula="linear",
        convergence=_spirals(
            (Layer("layers.Linear", (2, 32)), Layer("activations.Tanh"), Layer("layers.Linear", (32, 3))),
            "an MLP 2-32-3 of your Linear layers on the spirals",
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
                {"in_channels": 1, "out_channels": 2, "kernel_size": (2, 3), "padding": (2, 0)},
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
        laws=("affine", "size formula", "translation equivariant"),
        geometry="conv",
        formula="convolution",
        convergence=_digits("digits", _cnn(), "a small CNN on 8x8 digits"),
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
        laws=("size formula", "max commutes with shifts"),
        geometry="pool",
        formula="max-pool",
        convergence=_digits("digits", _cnn(), "a small CNN on 8x8 digits"),
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
            Case("after a ReLU (exact zeros)", {"kernel_size": 2}, (2, 2, 4, 6), inputs="after-relu"),
        ),
        laws=("affine", "size formula"),
        geometry="pool",
        formula="avg-pool",
        convergence=_digits("digits", _cnn("layers.AvgPool2d"), "a small CNN with average pooling on 8x8 digits"),
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
        laws=("row-major",),
        formula="flatten",
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
        formula="dropout",
        convergence=_digits(
            "digits-flat",
            _mlp_digits(Layer("activations.ReLU"), Layer("layers.Dropout", (0.2,))),
            "an MLP with dropout on 8x8 digits",
        ),
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
        param_draws=BATCHNORM_DRAWS,
        buffers=RUNNING_STATISTICS,
        formula="batch-norm",
        convergence=_digits(
            "digits-flat",
            _mlp_digits(Layer("layers.BatchNorm1d", (32,)), Layer("activations.ReLU")),
            "an MLP with batch normalisation on 8x8 digits",
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
            Case("momentum 0 (frozen running statistics)", {"num_features": 2, "momentum": 0.0}, (3, 2, 4, 5)),
        ),
        param_draws=BATCHNORM_DRAWS,
        buffers=RUNNING_STATISTICS,
        formula="batch-norm",
        convergence=_digits("digits", _cnn(batchnorm=True), "a small CNN with batch normalisation on 8x8 digits"),
    ),
]

# Losses are the component under test: the network around them is the reference's.
SPIRAL_CLASSIFIER = _spirals(
    (Layer("layers.Linear", (2, 32)), Layer("activations.ReLU"), Layer("layers.Linear", (32, 3))),
    "an MLP on the spirals with your loss",
)

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
        formula="mse",
        convergence=Scenario(
            "xor",
            _xor(),
            XOR_STEPS,
            None,
            XOR_LR,
            targets="column",
            threshold=0.5,
            description="an MLP on XOR with your loss (regression on 0/1 targets)",
        ),
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
        formula="bce",
        convergence=Scenario(
            "xor",
            _xor(Layer("activations.Sigmoid")),
            XOR_STEPS,
            None,
            XOR_LR,
            targets="column",
            threshold=0.5,
            description="an MLP with a sigmoid output on XOR with your loss",
        ),
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
        formula="bce-with-logits",
        convergence=Scenario(
            "xor",
            _xor(),
            XOR_STEPS,
            None,
            XOR_LR,
            targets="column",
            description="an MLP on XOR with your loss on its logits",
        ),
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
        formula="cross-entropy",
        convergence=SPIRAL_CLASSIFIER,
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
        margin_param="margin",
        formula="hinge",
        convergence=SPIRAL_CLASSIFIER,
    ),
]


def _optimizer(name: str, signature, cases: tuple[Case, ...], **kw: Any) -> Component:
    return Component(f"optimizers.{name}", "optimizer", (("params", REQUIRED), *signature), cases=cases, **kw)


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
        formula="sgd",
        descents=_descents(
            {"lr": 0.05, "momentum": 0.9}, {"lr": 0.0005, "momentum": 0.9}, {"lr": 0.1, "momentum": 0.9}
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
            # Weight decay without lr_decay: each option on its own as well as together.
            Case("weight decay, no lr_decay", {"lr": 0.1, "weight_decay": 0.05}),
            Case("lr_decay, no weight decay", {"lr": 0.1, "lr_decay": 0.05}),
        ),
        formula="adagrad",
        descents=_descents({"lr": 0.5}, {"lr": 0.3}, {"lr": 0.1}),
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
            # alpha = 0 is valid (v is this step's g^2), and weight decay without momentum.
            Case("alpha 0, weight decay", {"lr": 0.01, "alpha": 0.0, "weight_decay": 0.1}),
            Case("momentum, no weight decay", {"lr": 0.01, "momentum": 0.9}),
        ),
        formula="rmsprop",
        descents=_descents({"lr": 0.02}, {"lr": 0.002}, {"lr": 0.01}),
    ),
    _optimizer(
        "Adadelta",
        (("lr", 1.0), ("rho", 0.9), ("eps", 1e-6), ("weight_decay", 0.0)),
        (
            Case("defaults", {}),
            Case("rho 0.95, weight decay", {"lr": 0.5, "rho": 0.95, "weight_decay": 0.01}),
            Case("eps 1e-3", {"eps": 1e-3}),
            Case("rho 0", {"lr": 0.5, "rho": 0.0}),  # valid: no averaging, not the default
        ),
        formula="adadelta",
        descents=_descents({"lr": 10.0}, {"lr": 5.0}, {"lr": 5.0}),
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
            Case("beta1 0", {"lr": 0.01, "betas": (0.0, 0.99)}),  # valid: no momentum, not the default
        ),
        formula="adam",
        descents=_descents({"lr": 0.1}, {"lr": 0.02}, {"lr": 0.02}),
    ),
    _optimizer(
        "AdamW",
        (("lr", 0.001), ("betas", (0.9, 0.999)), ("eps", 1e-8), ("weight_decay", 0.01), ("amsgrad", False)),
        (
            Case("defaults", {}),
            Case("strong decoupled decay", {"lr": 0.01, "weight_decay": 0.5}),
            Case("amsgrad", {"lr": 0.01, "amsgrad": True}),
            Case("eps 1e-3, betas (0.8, 0.99)", {"lr": 0.01, "eps": 1e-3, "betas": (0.8, 0.99)}),
            Case("no decay", {"lr": 0.01, "weight_decay": 0.0}),  # valid, and not AdamW's default 0.01
        ),
        builds_on=("optimizers.Adam", "inherits Adam's step"),
        formula="adamw",
        descents=_descents({"lr": 0.1, "weight_decay": 0.01}, {"lr": 0.02}, {"lr": 0.02}),
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
        # Row i of X is 100 i + [0, 1, ...] and y is i (or [i, -i]): the batches say which samples they hold.
        cases=(
            Case("batch_size=None: one batch of everything", {"batch_size": None}, (9, 3), target_shape=(9,)),
            Case("batch_size=1: one sample per batch (SGD)", {"batch_size": 1}, (6, 2), target_shape=(6,)),
            Case(
                "batch_size=4 of 10 samples: 4, 4 and a last batch of 2",
                {"batch_size": 4},
                (10, 3),
                target_shape=(10, 2),
            ),
            Case("batch_size=5 of 10 samples: two full batches", {"batch_size": 5}, (10, 1), target_shape=(10,)),
            Case("batch_size=4 of 13 samples: a last batch of 1", {"batch_size": 4}, (13, 2), target_shape=(13,)),
            Case("batch_size larger than the data: one batch", {"batch_size": 8}, (5, 2), target_shape=(5, 1)),
        ),
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
        uses=("minibatches",),
        # A linear model on a recording rig, 3 inputs and 2 outputs; a shuffled case gets a seeded rng.
        cases=(
            Case(
                "full batch: per-epoch losses and final weights",
                {"epochs": 3, "batch_size": None, "shuffle": False},
                (10, 3),
                target_shape=(10, 2),
            ),
            Case(
                "mini-batches of 4 of 10 samples: losses weighted by batch size",
                {"epochs": 2, "batch_size": 4, "shuffle": False},
                (10, 3),
                target_shape=(10, 2),
            ),
            Case(
                "stochastic (batch_size=1)",
                {"epochs": 2, "batch_size": 1, "shuffle": False},
                (5, 3),
                target_shape=(5, 2),
            ),
            Case(
                "shuffled mini-batches from a given rng",
                {"epochs": 3, "batch_size": 3, "shuffle": True},
                (11, 3),
                target_shape=(11, 2),
            ),
            Case(
                "batch_size=None on 40 samples: one batch of all of them",
                {"epochs": 2, "batch_size": None, "shuffle": False},
                (40, 3),
                target_shape=(40, 2),
            ),
        ),
    ),
    Component(
        "gradcheck.numerical_gradient",
        "numerical_gradient",
        (("f", REQUIRED), ("x", REQUIRED), ("h", 1e-5)),
        # x of these shapes, for a smooth f that couples its entries; h the default unless given.
        cases=(
            Case("a vector", input_shape=(6,)),
            Case("a 3x4 matrix", input_shape=(3, 4), inputs="zero-entry"),
            Case("a 2x2x3 array", input_shape=(2, 2, 3)),
            Case("step h=0.01", {"h": 1e-2}, (2, 3)),
        ),
    ),
    Component(
        "gradcheck.relative_error",
        "relative_error",
        (("a", REQUIRED), ("b", REQUIRED)),
        cases=(
            Case("random arrays", inputs="random"),
            Case("zeros in both (the 1e-8 floor)", inputs="zeros"),
            Case("equal arrays give 0", inputs="equal"),
            Case("arrays of opposite signs", inputs="opposite"),
            Case("nearly equal arrays (errors below 1e-8)", inputs="nearly-equal"),
            Case("an entry below the 1e-8 floor gives the largest error", inputs="tiny"),
        ),
    ),
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
            # A 3-D kernel: every kernel axis is in the receptive field, not only kH and kW.
            Case("conv3d kernel (C_out, C_in, kD, kH, kW)", input_shape=(8, 5, 2, 3, 7)),
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
            # calculate_gain's gain-1 names are graded through Kaiming: sigmoid's gain is 1, not an unknown name.
            Case("nonlinearity sigmoid (gain 1), dense (200, 300)", {"nonlinearity": "sigmoid"}, (200, 300)),
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
            Case("mode fan_out, rectangular conv kernel (48, 32, 3, 5)", {"mode": "fan_out"}, (48, 32, 3, 5)),
            Case(
                "nonlinearity selu, mode fan_out, dense (160, 256)",
                {"nonlinearity": "selu", "mode": "fan_out"},
                (160, 256),
            ),
            Case("nonlinearity tanh, dense (200, 150)", {"nonlinearity": "tanh"}, (200, 150)),
            Case(
                "nonlinearity sigmoid (gain 1), conv kernel (32, 24, 3, 3)", {"nonlinearity": "sigmoid"}, (32, 24, 3, 3)
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
        # A scripted model whose validation loss after epoch k is losses[k - 1]: every decision is predictable.
        cases=(
            Case("patience 3: stops 3 epochs after the best", {"patience": 3}, losses=(5, 4, 3, 3.5, 3.2, 3.1, 2, 1)),
            Case("an improvement resets patience", {"patience": 2}, losses=(2, 3, 1.5, 4, 5, 6, 0.5)),
            Case(
                "a loss equal to the best is no improvement", {"patience": 2, "max_epochs": 5}, losses=(3, 3, 3, 3, 1)
            ),
            Case(
                "min_delta: smaller decreases do not count",
                {"patience": 2, "min_delta": 0.1},
                losses=(1.0, 0.95, 0.92, 0.5),
            ),
            Case("runs out of epochs at max_epochs", {"patience": 2, "max_epochs": 4}, losses=(5, 4, 3, 2, 1)),
            Case(
                "restore_best=False keeps the last weights",
                {"patience": 2, "restore_best": False},
                # an epoch without improvement before the best: the improvement resets the count here too
                losses=(5, 6, 4, 7, 8, 1),
            ),
        ),
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
