"""Mutants of the reference activations: realistic student bugs (see __init__).

Grouped by the class of mistake rather than by component: a derivative taken at the
input instead of the output, a missing factor or term, a sign, the kink at 0 on the
wrong side, an unstable formula, a parameter gradient not summed or overwritten, the
wrong axis, the upstream gradient forgotten, the input modified in place.
"""

from . import Mutant, reference_folder


def span(module: str, *edits: tuple[str, str]) -> tuple[str, str]:
    """Several edits of one reference module as the single ``(old, new)`` edit a Mutant holds.

    ``old`` is the reference text from the first edit's old text to the end of the last
    one's (the edits in file order); ``new`` is that text with every edit applied. Each
    edit's old text must occur exactly once in the span. Used when one mistake touches two
    places (forward saves what a wrong backward uses), or to keep a class that reuses the
    mutated one (SiLU uses Sigmoid) correct, so the bug stays in its own component.
    """
    text = (reference_folder() / f"{module}.py").read_text(encoding="utf-8")
    start = text.index(edits[0][0])
    end = start
    for old, _ in edits:
        end = text.index(old, end) + len(old)
    old_span = text[start:end]
    new_span = old_span
    for old, new in edits:
        if new_span.count(old) != 1:
            raise ValueError(f"span edit: {old!r} occurs {new_span.count(old)} times in the span")
        new_span = new_span.replace(old, new)
    return old_span, new_span


# SiLU and SELU reuse Sigmoid and ELU; a mutant of those gives them their own correct code.
_SILU_OWN_SIGMOID = (
    "        self._s = self._sigmoid.forward(x)\n",
    "        self._s = np.exp(-np.logaddexp(0.0, -x))\n",
)
# The same for Softplus, whose slope is the sigmoid of beta x: a mutant of Sigmoid's forward leaves it alone.
_SOFTPLUS_OWN_SIGMOID = (
    "        self._s = self._sigmoid.forward(z)\n",
    "        self._s = np.exp(-np.logaddexp(0.0, -z))\n",
)
_SELU_OWN_ELU = [
    (
        "        return self.scale * self._elu.forward(x)\n",
        "        self._x = x\n        return self.scale * np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x,"
        " 0.0)))\n",
    ),
    (
        "        return self._elu.backward(self.scale * grad_y)\n",
        "        slope = np.where(self._x > 0, 1.0, self.alpha * np.exp(np.minimum(self._x, 0.0)))\n"
        "        return self.scale * grad_y * slope\n",
    ),
]

_SIGMOID_FORWARD = "        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n"
_SIGMOID_BACKWARD = "        return grad_y * self._y * (1.0 - self._y)\n"
# From the end of forward to the end of backward (elementwise classes): for edits of both.
_BETWEEN = (
    "        ### END SOLUTION\n\n    def backward(self, grad_y: np.ndarray) -> np.ndarray:\n"
    '        grad_y = as_float_array(grad_y, "grad_y")\n'
    "        ### BEGIN SOLUTION\n"
)
_TANH_FORWARD = "        self._y = np.tanh(x)\n        return self._y\n"
_TANH_BACKWARD = "        return grad_y * (1.0 - self._y * self._y)\n"

MUTANTS: list[Mutant] = [
    # ------------------------------------------------------------------ Identity, Step
    Mutant(
        "identity-backward-ones",
        "activations.Identity",
        "Identity's backward returns its local derivative (ones) instead of passing grad_y on.",
        '        grad_y = as_float_array(grad_y, "grad_y")\n        ### BEGIN SOLUTION\n        return grad_y\n',
        '        grad_y = as_float_array(grad_y, "grad_y")\n        ### BEGIN SOLUTION\n'
        "        return np.ones_like(grad_y)\n",
        ("ignores-upstream-gradient",),
    ),
    Mutant(
        "identity-backward-zeros",
        "activations.Identity",
        "Identity's backward returns zeros, as if the derivative of x were 0.",
        "        ### BEGIN SOLUTION\n        return grad_y\n",
        "        ### BEGIN SOLUTION\n        return np.zeros_like(grad_y)\n",
        ("identity-derivative-zero", "all-zero"),
    ),
    Mutant(
        "step-at-zero-is-one",
        "activations.Step",
        "Step uses x >= 0, so Step(0) = 1; the perceptron's step is 1 only for x > 0.",
        "        return (x > 0).astype(np.float64)\n",
        "        return (x >= 0).astype(np.float64)\n",
        ("kink-value",),
    ),
    Mutant(
        "step-rint-of-clamped-input",
        "activations.Step",
        "Step clamps x into [0, 1] with np.minimum / np.maximum and rounds with np.rint to get 0 or 1: every "
        "input in (0, 0.5] gives 0, a threshold at 0.5 where the step's is 0.",
        "        return (x > 0).astype(np.float64)\n",
        "        return np.rint(np.minimum(np.maximum(x, 0.0), 1.0))\n",
        ("threshold-half", "rounded-values"),
    ),
    Mutant(
        "step-backward-straight-through",
        "activations.Step",
        "Step's backward passes grad_y through unchanged (as if the derivative were 1).",
        "        return np.zeros_like(grad_y)\n",
        "        return grad_y\n",
        ("returned-the-upstream-gradient-grad_y",),
    ),
    # ------------------------------------------------------------------ Sigmoid
    Mutant(
        "sigmoid-naive-overflow",
        "activations.Sigmoid",
        "Sigmoid computed as e^x / (1 + e^x): inf / inf = nan for large x.",
        *span(
            "activations",
            (_SIGMOID_FORWARD, "        self._y = np.exp(x) / (1.0 + np.exp(x))\n"),
            _SILU_OWN_SIGMOID,
        ),
        ("overflow",),
    ),
    Mutant(
        "sigmoid-derivative-of-input",
        "activations.Sigmoid",
        "Sigmoid's backward evaluates y(1 - y) at the input x rather than at the output y.",
        _SIGMOID_FORWARD + "        return self._y\n" + _BETWEEN + _SIGMOID_BACKWARD,
        _SIGMOID_FORWARD
        + "        self._x = x\n        return self._y\n"
        + _BETWEEN
        + "        return grad_y * self._x * (1.0 - self._x)\n",
        ("sigmoid-derivative-of-input",),
    ),
    Mutant(
        "sigmoid-missing-factor",
        "activations.Sigmoid",
        "Sigmoid's derivative written as y instead of y(1 - y).",
        _SIGMOID_BACKWARD,
        "        return grad_y * self._y\n",
        ("sigmoid-missing-factor",),
    ),
    Mutant(
        "sigmoid-backward-sign",
        "activations.Sigmoid",
        "Sigmoid's derivative written as y(y - 1): the sign is flipped.",
        _SIGMOID_BACKWARD,
        "        return grad_y * self._y * (self._y - 1.0)\n",
        ("sign-flipped",),
    ),
    # ------------------------------------------------------------------ Tanh
    Mutant(
        "tanh-derivative-of-input",
        "activations.Tanh",
        "Tanh's backward uses 1 - x^2 (the input) instead of 1 - y^2 (the output).",
        _TANH_FORWARD + _BETWEEN + _TANH_BACKWARD,
        "        self._x = x\n" + _TANH_FORWARD + _BETWEEN + "        return grad_y * (1.0 - self._x * self._x)\n",
        ("tanh-derivative-of-input",),
    ),
    Mutant(
        "tanh-derivative-not-squared",
        "activations.Tanh",
        "Tanh's derivative written as 1 - y instead of 1 - y^2.",
        _TANH_BACKWARD,
        "        return grad_y * (1.0 - self._y)\n",
        ("tanh-derivative-not-squared",),
    ),
    # ------------------------------------------------------------------ ReLU
    Mutant(
        "relu-kink-ge",
        "activations.ReLU",
        "ReLU's mask is x >= 0, so ReLU'(0) = 1; PyTorch (and docs/api.md) take 0 at the kink.",
        "        self._mask = x > 0\n",
        "        self._mask = x >= 0\n",
        ("kink-derivative",),
    ),
    Mutant(
        "relu-modifies-input",
        "activations.ReLU",
        "ReLU zeroes the negative entries of its input array in place and returns it.",
        "        self._mask = x > 0\n        return np.where(self._mask, x, 0.0)\n",
        "        self._mask = x > 0\n        x[~self._mask] = 0.0\n        return x\n",
        ("modifies-input",),
    ),
    # ------------------------------------------------------------------ LeakyReLU
    Mutant(
        "leakyrelu-backward-no-slope",
        "activations.LeakyReLU",
        "LeakyReLU's backward is ReLU's: no gradient for negative inputs.",
        "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
        "        return np.where(self._x > 0, grad_y, 0.0)\n",
        ("negative-branch-ignored",),
    ),
    Mutant(
        "leakyrelu-kink-ge",
        "activations.LeakyReLU",
        "LeakyReLU's backward tests x >= 0, so the derivative at 0 is 1 instead of the slope.",
        "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
        "        return np.where(self._x >= 0, grad_y, self.negative_slope * grad_y)\n",
        ("kink-derivative",),
    ),
    # ------------------------------------------------------------------ PReLU
    Mutant(
        "prelu-weight-grad-mean",
        "activations.PReLU",
        "PReLU's slope gradient is averaged over the entries instead of summed.",
        "            self.weight.grad += contribution.sum()\n",
        "            self.weight.grad += contribution.mean()\n",
        ("prelu-grad-mean-not-sum",),
    ),
    Mutant(
        "prelu-weight-grad-overwritten",
        "activations.PReLU",
        "PReLU's per-channel slope gradient is assigned (=) instead of accumulated (+=).",
        "            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)))\n",
        "            self.weight.grad = contribution.sum(axis=(0, *range(2, contribution.ndim)))\n",
        ("grad-overwritten",),
    ),
    Mutant(
        "prelu-weight-grad-all-entries",
        "activations.PReLU",
        "PReLU's slope gradient sums grad_y * x over every entry, positive ones included.",
        "        contribution = np.where(negative, grad_y * self._x, 0.0)\n",
        "        contribution = grad_y * self._x\n",
        ("prelu-grad-all-entries",),
    ),
    # ------------------------------------------------------------------ ELU, SELU
    Mutant(
        "elu-derivative-is-output",
        "activations.ELU",
        "ELU's negative-branch derivative taken as alpha (e^x - 1), the function itself.",
        *span(
            "activations",
            (
                "        slope = self.alpha * np.exp(np.minimum(self._x, 0.0))\n",
                "        slope = self.alpha * np.expm1(np.minimum(self._x, 0.0))\n",
            ),
            *_SELU_OWN_ELU,
        ),
        ("derivative-is-output",),
    ),
    Mutant(
        "elu-forward-no-alpha",
        "activations.ELU",
        "ELU's forward forgets alpha on the negative branch: e^x - 1.",
        *span(
            "activations",
            (
                "        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
                "        return np.where(x > 0, x, np.expm1(np.minimum(x, 0.0)))\n",
            ),
            *_SELU_OWN_ELU,
        ),
        ("hyperparameter-ignored",),
    ),
    Mutant(
        "selu-forward-no-scale",
        "activations.SELU",
        "SELU's forward forgets the scale: it returns ELU(x, alpha).",
        "        return self.scale * self._elu.forward(x)\n",
        "        return self._elu.forward(x)\n",
        ("selu-missing-scale",),
    ),
    Mutant(
        "selu-backward-no-scale",
        "activations.SELU",
        "SELU's backward forgets the scale (forward has it).",
        "        return self._elu.backward(self.scale * grad_y)\n",
        "        return self._elu.backward(grad_y)\n",
        ("selu-missing-scale",),
    ),
    # ------------------------------------------------------------------ GELU, SiLU
    Mutant(
        "gelu-backward-cdf-only",
        "activations.GELU",
        "GELU's derivative taken as Phi(x) alone: the product rule's x phi(x) term is missing.",
        "        return grad_y * (self._cdf + xc * pdf)\n",
        "        return grad_y * self._cdf\n",
        ("product-rule-missing",),
    ),
    Mutant(
        "gelu-always-tanh",
        "activations.GELU",
        "GELU's Phi computed with the tanh approximation also for approximate='none'.",
        "        self._cdf = 0.5 * erfc(-x / math.sqrt(2.0))\n",
        "        self._cdf = 0.5 * (1.0 + np.tanh(SQRT_2_OVER_PI * (x + GELU_KAPPA * x**3)))\n",
        ("gelu-tanh-approximation",),
    ),
    Mutant(
        "silu-backward-sigmoid-only",
        "activations.SiLU",
        "SiLU's derivative taken as sigmoid(x): the product rule's x s (1 - s) term is missing.",
        "        return grad_y * (s + self._x * s * (1.0 - s))\n",
        "        return grad_y * s\n",
        ("product-rule-missing",),
    ),
    Mutant(
        "silu-backward-sign",
        "activations.SiLU",
        "SiLU's derivative written s - x s (1 - s): a sign error in the product rule.",
        "        return grad_y * (s + self._x * s * (1.0 - s))\n",
        "        return grad_y * (s - self._x * s * (1.0 - s))\n",
        ("product-rule-sign",),
    ),
    # ------------------------------------------------------------------ Softplus
    Mutant(
        "softplus-naive-no-threshold",
        "activations.Softplus",
        "Softplus computed as log(1 + e^(beta x)) / beta everywhere: ignores the threshold and "
        "overflows to inf for large x.",
        "        return np.where(self._linear, x, soft)\n",
        "        return np.log(1.0 + np.exp(z)) / self.beta\n",
        ("overflow", "hyperparameter-ignored"),
    ),
    Mutant(
        "softplus-backward-times-beta",
        "activations.Softplus",
        "Softplus's derivative multiplied by beta (the chain rule's beta cancels the 1/beta).",
        "        return np.where(self._linear, grad_y, grad_y * self._s)\n",
        "        return np.where(self._linear, grad_y, self.beta * grad_y * self._s)\n",
        ("softplus-grad-times-beta",),
    ),
    # ------------------------------------------------------------------ Softmax, LogSoftmax
    Mutant(
        "softmax-no-max-shift",
        "activations.Softmax",
        "Softmax exponentiates the logits without subtracting the maximum: e^1000 = inf, inf/inf = nan.",
        "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n",
        "        e = np.exp(x)\n",
        ("overflow",),
    ),
    Mutant(
        "softmax-ignores-dim",
        "activations.Softmax",
        "Softmax always normalises the last axis, whatever dim says.",
        "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n"
        "        self._y = e / np.sum(e, axis=self.dim, keepdims=True)\n",
        "        e = np.exp(x - np.max(x, axis=-1, keepdims=True))\n"
        "        self._y = e / np.sum(e, axis=-1, keepdims=True)\n",
        ("softmax-wrong-axis",),
    ),
    Mutant(
        "softmax-backward-diagonal",
        "activations.Softmax",
        "Softmax's backward uses only the diagonal of the Jacobian, y (1 - y).",
        "        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))\n",
        "        return grad_y * y * (1.0 - y)\n",
        ("softmax-diagonal-only",),
    ),
    Mutant(
        "logsoftmax-naive-log",
        "activations.LogSoftmax",
        "LogSoftmax computed as log(softmax(x)): a probability that underflows to 0 gives -inf.",
        "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n",
        "        e = np.exp(shifted)\n        y = np.log(e / np.sum(e, axis=self.dim, keepdims=True))\n",
        # the -inf is the log of an underflowed probability (set AI): the stable row now names that, not an overflow
        ("overflow", "log-of-softmax-underflow"),
    ),
    Mutant(
        "logsoftmax-backward-diagonal",
        "activations.LogSoftmax",
        "LogSoftmax's backward uses only the diagonal of the Jacobian: g (1 - softmax).",
        "        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
        "        return grad_y * (1.0 - self._p)\n",
        ("logsoftmax-diagonal-only",),
    ),
    # ------------------------------------------------------------------ Maxout
    Mutant(
        "maxout-grad-to-every-piece",
        "activations.Maxout",
        "Maxout's backward sends grad_y to every piece, not only the winning one.",
        "        grad_z = np.where(won, grad_y[:, None, :], 0.0)  # (N, K, M)\n",
        "        grad_z = np.broadcast_to(grad_y[:, None, :], won.shape)  # (N, K, M)\n",
        ("maxout-grad-to-every-piece",),
    ),
    Mutant(
        "maxout-bias-grad-mean",
        "activations.Maxout",
        "Maxout's bias gradient is averaged over the batch instead of summed.",
        "        self.bias.grad += grad_z.sum(axis=0)\n",
        "        self.bias.grad += grad_z.mean(axis=0)\n",
        ("divided-by-batch-size",),
    ),
    Mutant(
        "maxout-min",
        "activations.Maxout",
        "Maxout takes the smallest piece (argmin) instead of the largest.",
        "        self._argmax = np.argmax(z, axis=1)  # on a tie, the first maximal piece\n",
        "        self._argmax = np.argmin(z, axis=1)\n",
        ("maxout-min-not-max", "maxout-grad-to-wrong-piece"),
    ),
    Mutant(
        "maxout-grad-to-every-max",
        "activations.Maxout",
        "Maxout's backward routes grad_y to every piece equal to the maximum: all of them on a tie.",
        *span(
            "activations",
            (
                "        self._argmax = np.argmax(z, axis=1)  # on a tie, the first maximal piece\n",
                "        self._argmax = np.argmax(z, axis=1)\n        self._z = z\n",
            ),
            (
                "        won = self._argmax[:, None, :] == np.arange(self.pieces)[None, :, None]\n",
                "        won = self._z == self._z.max(axis=1, keepdims=True)\n",
            ),
        ),
        ("maxout-grad-to-every-max",),
    ),
    # Reuse: found by red-teaming (the same instance called again, two instances, backward twice;
    # graders/judging/checks/reuse.py). Each is right on a fresh instance called once.
    Mutant(
        "sigmoid-shared-class-cache",
        "activations.Sigmoid",
        "Sigmoid saves its output on the class (Sigmoid._cache), so every Sigmoid instance shares it: in a "
        "network with two Sigmoid layers the first one's backward uses the second one's output.",
        *span(
            "activations",
            (
                _SIGMOID_FORWARD + "        return self._y\n",
                "        Sigmoid._cache = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n"
                "        return Sigmoid._cache\n",
            ),
            (_SIGMOID_BACKWARD, "        return grad_y * Sigmoid._cache * (1.0 - Sigmoid._cache)\n"),
        ),
        ("shared-class-state",),
    ),
    Mutant(
        "relu-mutable-class-cache",
        "activations.ReLU",
        "ReLU keeps its mask in a dict declared in the class body (`cache = {}`), one dict for all instances.",
        *span(
            "activations",
            (
                '    again. Such *dead ReLUs* appear after a too-large learning rate step.\n    """\n',
                '    again. Such *dead ReLUs* appear after a too-large learning rate step.\n    """\n\n'
                "    cache: dict = {}  # what forward saves for backward\n",
            ),
            (
                "        self._mask = x > 0\n        return np.where(self._mask, x, 0.0)\n",
                '        self.cache["mask"] = x > 0\n        return np.where(self.cache["mask"], x, 0.0)\n',
            ),
            (
                "        return np.where(self._mask, grad_y, 0.0)\n",
                '        return np.where(self.cache["mask"], grad_y, 0.0)\n',
            ),
        ),
        ("shared-class-state",),
    ),
    Mutant(
        "sigmoid-backward-in-place-on-output",
        "activations.Sigmoid",
        "Sigmoid's backward computes y (1 - y) in place in the saved output, which is the array forward "
        "returned: the caller's output changes and a second backward is wrong.",
        _SIGMOID_BACKWARD,
        "        d = self._y\n        d *= 1.0 - d\n        return grad_y * d\n",
        ("backward-mutates-saved-state",),
    ),
    Mutant(
        "softmax-backward-in-place-on-output",
        "activations.Softmax",
        "Softmax's backward multiplies the saved output in place and returns it.",
        "        y = self._y\n        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))\n",
        "        y = self._y\n        y *= grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True)\n"
        "        return y\n",
        ("backward-mutates-saved-state",),
    ),
    Mutant(
        "logsoftmax-backward-in-place-on-probabilities",
        "activations.LogSoftmax",
        "LogSoftmax's backward scales the saved softmax in place (p *= sum(grad_y)) to save memory.",
        "        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
        "        p = self._p\n        p *= np.sum(grad_y, axis=self.dim, keepdims=True)\n        return grad_y - p\n",
        ("backward-mutates-saved-state",),
    ),
    Mutant(
        "sigmoid-backward-rebinds-saved-output",
        "activations.Sigmoid",
        "Sigmoid's backward stores the local derivative over the saved output (self._y = y (1 - y), a new array): "
        "nothing is written in place, but a second backward reads the derivative as if it were the output.",
        _SIGMOID_BACKWARD,
        "        self._y = self._y * (1.0 - self._y)\n        return grad_y * self._y\n",
        ("backward-mutates-saved-state",),
    ),
    Mutant(
        "tanh-backward-calls-forward-on-output",
        "activations.Tanh",
        "Tanh's backward writes tanh' = 1 - tanh^2 by calling its own forward on the saved output "
        "(1 - self.forward(self._y) ** 2): tanh is applied twice, and forward saves over self._y.",
        _TANH_BACKWARD,
        "        return grad_y * (1.0 - self.forward(self._y) ** 2)\n",
        ("derivative-at-output",),
    ),
    Mutant(
        "maxout-gradient-buffer-allocated-once",
        "activations.Maxout",
        "Maxout's backward allocates its (N, K, M) gradient buffer on the first call and reuses it: a later "
        "batch of another size does not fit.",
        "        grad_z = np.where(won, grad_y[:, None, :], 0.0)  # (N, K, M)\n",
        '        if getattr(self, "_grad_z", None) is None:  # allocated once, for speed\n'
        "            self._grad_z = np.zeros(won.shape)\n"
        "        grad_z = self._grad_z\n"
        "        grad_z[...] = np.where(won, grad_y[:, None, :], 0.0)\n",
        ("cached-first-call",),
    ),
]

# Found by red-teaming: inputs the catalogue had no case for (a slope above 1, PReLU on
# (N, C, L), the tanh form of GELU at large inputs).
MUTANTS += [
    Mutant(
        "leakyrelu-maximum-trick",
        "activations.LeakyReLU",
        "y = max(x, slope * x): right only for slopes below 1",
        "        return np.where(x > 0, x, self.negative_slope * x)\n",
        "        return np.maximum(x, self.negative_slope * x)\n",
        ("leaky-relu-maximum",),
    ),
    # The same trick on PReLU's learned slopes, spelt as a comparison: the larger branch wins.
    Mutant(
        "prelu-larger-branch-wins",
        "activations.PReLU",
        "y = x where x >= a * x, else a * x: max(x, a * x), right only while every slope is at most 1",
        "        return np.where(x > 0, x, self._a * x)\n",
        "        return np.where(x >= self._a * x, x, self._a * x)\n",
        ("leaky-relu-maximum",),
    ),
    Mutant(
        "prelu-slopes-shaped-for-images-only",
        "activations.PReLU",
        "the slopes are broadcast as [None, :] for 2-D input and [None, :, None, None] otherwise",
        "        self._a = self.weight.data.reshape(self._slope_shape(x.ndim))\n",
        "        if self.num_parameters == 1:\n            self._a = self.weight.data\n"
        "        elif x.ndim == 2:\n            self._a = self.weight.data[None, :]\n"
        "        else:\n            self._a = self.weight.data[None, :, None, None]\n",
        ("prelu-slope-broadcast", "exception"),
    ),
    Mutant(
        "gelu-tanh-output-from-clipped-input",
        "activations.GELU",
        "the tanh form multiplies the clipped input (used only inside tanh) into the output",
        "            return 0.5 * x * (1.0 + self._t)\n",
        "            return 0.5 * xc * (1.0 + self._t)\n",
        # added after reading output: the output is the formula at the clipped input, capped at 10 past x = 10
        ("wrong-limit", "output-clipped"),
    ),
]

# Round 2 red team: axes the cases did not use (dim=0, a negative dim other than -1).
_LOGSOFTMAX_BACKWARD = "        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)\n"
MUTANTS += [
    Mutant(
        "logsoftmax-backward-on-axis-1",
        "activations.LogSoftmax",
        "backward sums over axis 1 whatever dim is",
        _LOGSOFTMAX_BACKWARD,
        _LOGSOFTMAX_BACKWARD.replace("axis=self.dim", "axis=1"),
        ("softmax-backward-wrong-axis",),
    ),
    Mutant(
        "logsoftmax-dim-0-taken-as-unset",
        "activations.LogSoftmax",
        "`axis=self.dim or -1`: dim=0 is falsy, so it normalises the last axis",
        *span(
            "activations",
            (
                "        shifted = x - np.max(x, axis=self.dim, keepdims=True)\n",
                "        shifted = x - np.max(x, axis=self.dim or -1, keepdims=True)\n",
            ),
            (
                "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n",
                "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim or -1, keepdims=True))\n",
            ),
            (_LOGSOFTMAX_BACKWARD, _LOGSOFTMAX_BACKWARD.replace("axis=self.dim", "axis=self.dim or -1")),
        ),
        ("softmax-wrong-axis",),
    ),
    Mutant(
        "softmax-negative-dim-taken-as-last",
        "activations.Softmax",
        "a negative dim is taken to mean the last axis",
        *span(
            "activations",
            (
                "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n"
                "        self._y = e / np.sum(e, axis=self.dim, keepdims=True)\n",
                "        self._axis = self.dim if self.dim >= 0 else x.ndim - 1\n"
                "        e = np.exp(x - np.max(x, axis=self._axis, keepdims=True))\n"
                "        self._y = e / np.sum(e, axis=self._axis, keepdims=True)\n",
            ),
            (
                "        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))\n",
                "        return y * (grad_y - np.sum(grad_y * y, axis=self._axis, keepdims=True))\n",
            ),
        ),
        ("softmax-wrong-axis",),
    ),
]

# Red team, round 3 (the release's self-checker): each also fails the checker on its own component.
MUTANTS += [
    Mutant(
        "step-heaviside-half",
        "activations.Step",
        "np.heaviside(x, 0.5) for the step: 0.5 at x = 0, where the perceptron's step is 0",
        "        return (x > 0).astype(np.float64)",
        "        return np.heaviside(x, 0.5)",
        ("kink-value",),
    ),
    Mutant(
        "tanh-naive-exp",
        "activations.Tanh",
        "tanh from its definition (e^x - e^-x) / (e^x + e^-x): inf/inf = nan beyond |x| ~ 710",
        "        self._y = np.tanh(x)",
        "        self._y = (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))",
        ("overflow",),
    ),
    Mutant(
        "prelu-channel-grad-summed-over-all",
        "activations.PReLU",
        "one slope per channel, but the slope gradient summed over every entry (channels too)",
        "            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)))",
        "            self.weight.grad += contribution.sum()",
        ("prelu-grad-wrong-axes",),
    ),
    Mutant(
        "gelu-derivative-pdf-without-x",
        "activations.GELU",
        "GELU's derivative as Phi(x) + phi(x): the x of the product rule's x phi(x) forgotten",
        "        return grad_y * (self._cdf + xc * pdf)",
        "        return grad_y * (self._cdf + pdf)",
        ("gelu-pdf-without-x",),
    ),
    Mutant(
        "gelu-tanh-inner-slope-missing-3",
        "activations.GELU",
        "tanh GELU's inner derivative as sqrt(2/pi) (1 + 0.044715 x^2): the 3 of d(x^3)/dx forgotten",
        "            inner_slope = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_KAPPA * xc * xc)",
        "            inner_slope = SQRT_2_OVER_PI * (1.0 + GELU_KAPPA * xc * xc)",
        ("gelu-tanh-inner-slope",),
    ),
    Mutant(
        "silu-backward-missing-s",
        "activations.SiLU",
        "SiLU's derivative as x s (1 - s): the product rule's first term s forgotten",
        "        return grad_y * (s + self._x * s * (1.0 - s))",
        "        return grad_y * (self._x * s * (1.0 - s))",
        ("product-rule-missing",),
    ),
    Mutant(
        "softmax-global-max-shift",
        "activations.Softmax",
        "subtracts the maximum of the whole array, not of each slice along dim: a row far below it underflows to 0/0",
        "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))",
        "        e = np.exp(x - np.max(x))",
        ("overflow",),
    ),
    Mutant(
        "softmax-backward-last-axis",
        "activations.Softmax",
        "backward sums grad_y * y along the last axis whatever dim is (forward uses dim)",
        "        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))",
        "        return y * (grad_y - np.sum(grad_y * y, axis=-1, keepdims=True))",
        ("softmax-backward-wrong-axis",),
    ),
    Mutant(
        "logsoftmax-forgets-max",
        "activations.LogSoftmax",
        "y = x - log(sum(exp(x - m))): the shift m taken out of the exponent is not put back",
        "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))",
        "        y = x - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))",
        ("logsumexp-shift-not-restored",),
    ),
    Mutant(
        "maxout-bias-grad-to-every-piece",
        "activations.Maxout",
        "the bias gradient of every piece gets grad_y (the weight gradient goes to the winner only)",
        "        self.bias.grad += grad_z.sum(axis=0)",
        "        self.bias.grad += grad_y.sum(axis=0)",
        # grad_y.sum(axis=0) is grad_z summed over the batch and the pieces: the same numbers on every input
        ("maxout-grad-to-every-piece", "gradient-summed-over-wrong-axes"),
    ),
]

# Issue 11: classic backward mistakes the catalogue lacked (each named by a simulation of it), and
# the known gap softplus-threshold-on-x.
_RELU_BACKWARD = "        return np.where(self._mask, grad_y, 0.0)\n"
MUTANTS += [
    Mutant(
        "softplus-threshold-on-x",
        "activations.Softplus",
        "the threshold is compared with x instead of beta * x: with beta = 2 the identity starts too late",
        "        self._linear = z > self.threshold\n",
        "        self._linear = x > self.threshold\n",
        ("softplus-threshold-on-x",),
    ),
    Mutant(
        "softplus-backward-ignores-threshold",
        "activations.Softplus",
        "backward returns grad_y * sigmoid(beta x) everywhere, also past the threshold where forward is x",
        "        return np.where(self._linear, grad_y, grad_y * self._s)\n",
        "        return grad_y * self._s\n",
        ("softplus-threshold-ignored-in-backward",),
    ),
    Mutant(
        "relu-backward-times-output",
        "activations.ReLU",
        "ReLU's backward multiplies grad_y by the saved output max(0, x) instead of by the mask",
        *span(
            "activations",
            (
                "        self._mask = x > 0\n        return np.where(self._mask, x, 0.0)\n",
                "        self._mask = x > 0\n        self._y = np.where(self._mask, x, 0.0)\n        return self._y\n",
            ),
            (_RELU_BACKWARD, "        return grad_y * self._y\n"),
        ),
        ("derivative-is-output",),
    ),
    Mutant(
        "relu-mask-from-upstream",
        "activations.ReLU",
        "ReLU's backward keeps the positive entries of grad_y (the mask taken from grad_y, not from x)",
        _RELU_BACKWARD,
        "        return np.where(grad_y > 0, grad_y, 0.0)\n",
        ("mask-from-upstream",),
    ),
    Mutant(
        "leakyrelu-backward-branches-swapped",
        "activations.LeakyReLU",
        "LeakyReLU's backward gives the slope to x > 0 and 1 to x <= 0",
        "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
        "        return np.where(self._x > 0, self.negative_slope * grad_y, grad_y)\n",
        ("branches-swapped",),
    ),
    Mutant(
        "elu-backward-alpha-missing",
        "activations.ELU",
        "ELU's negative-branch derivative written e^x: alpha is forgotten (right only for alpha = 1)",
        *span(
            "activations",
            (
                "        slope = self.alpha * np.exp(np.minimum(self._x, 0.0))\n",
                "        slope = np.exp(np.minimum(self._x, 0.0))\n",
            ),
            *_SELU_OWN_ELU,
        ),
        ("hyperparameter-ignored",),
    ),
    Mutant(
        "sigmoid-derivative-at-output",
        "activations.Sigmoid",
        "Sigmoid's backward applies sigmoid to the saved output again: s(y) (1 - s(y)) instead of y (1 - y)",
        _SIGMOID_BACKWARD,
        "        s = 1.0 / (1.0 + np.exp(-self._y))\n        return grad_y * s * (1.0 - s)\n",
        ("derivative-at-output",),
    ),
    Mutant(
        "softmax-backward-sum-without-y",
        "activations.Softmax",
        "Softmax's backward sums grad_y alone where the sum of grad_y * y belongs",
        "        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))\n",
        "        return y * (grad_y - np.sum(grad_y, axis=self.dim, keepdims=True))\n",
        ("softmax-sum-missing-y",),
    ),
    Mutant(
        "logsoftmax-backward-uses-log-probabilities",
        "activations.LogSoftmax",
        "LogSoftmax's backward multiplies sum(grad_y) by the log-probabilities instead of the probabilities",
        _LOGSOFTMAX_BACKWARD,
        "        return grad_y - np.log(self._p) * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
        ("logsoftmax-used-log-probabilities",),
    ),
    Mutant(
        "prelu-weight-grad-without-x",
        "activations.PReLU",
        "PReLU's slope gradient sums grad_y over the negative entries, forgetting dy/da = x",
        "        contribution = np.where(negative, grad_y * self._x, 0.0)\n",
        "        contribution = np.where(negative, grad_y, 0.0)\n",
        ("prelu-grad-without-x",),
    ),
    Mutant(
        "maxout-grad-to-losing-piece",
        "activations.Maxout",
        "Maxout's backward routes grad_y to the smallest piece (argmin), while forward takes the largest",
        *span(
            "activations",
            (
                "        self._argmax = np.argmax(z, axis=1)  # on a tie, the first maximal piece\n",
                "        self._argmax = np.argmax(z, axis=1)  # on a tie, the first maximal piece\n"
                "        self._z = z\n",
            ),
            (
                "        won = self._argmax[:, None, :] == np.arange(self.pieces)[None, :, None]\n",
                "        won = np.argmin(self._z, axis=1)[:, None, :] == np.arange(self.pieces)[None, :, None]\n",
            ),
        ),
        ("maxout-grad-to-wrong-piece",),
    ),
    # ------------------------------------------------------------------ classes of mistake (issue 11)
    # A branch's derivative taken as the branch's value: here x, where ELU's derivative is 1.
    Mutant(
        "elu-backward-positive-branch-times-x",
        "activations.ELU",
        "ELU's backward multiplies grad_y by x for x > 0 (the branch's value) where its derivative is 1",
        *span(
            "activations",
            (
                "        return np.where(self._x > 0, grad_y, slope * grad_y)\n",
                "        return np.where(self._x > 0, self._x * grad_y, slope * grad_y)\n",
            ),
            *_SELU_OWN_ELU,
        ),
        ("derivative-is-output",),
    ),
    # A forward branch that lost a constant term: SELU written out, its - 1 forgotten (a jump at 0).
    Mutant(
        "selu-own-elu-without-minus-one",
        "activations.SELU",
        "SELU written out as scale * (x or alpha e^x): the - 1 of alpha (e^x - 1) forgotten",
        *span(
            "activations",
            (_SELU_OWN_ELU[0][0], _SELU_OWN_ELU[0][1].replace("np.expm1(", "np.exp(")),
            _SELU_OWN_ELU[1],
        ),
        ("branch-constant",),
    ),
    # A reduction over the whole array where it belongs along dim: samples mix.
    Mutant(
        "softmax-normalised-over-whole-array",
        "activations.Softmax",
        "Softmax shifts by and sums over the whole array (no axis): one distribution over the whole batch",
        "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n"
        "        self._y = e / np.sum(e, axis=self.dim, keepdims=True)\n",
        "        e = np.exp(x - np.max(x))\n        self._y = e / np.sum(e)\n",
        ("reduction-over-whole-array",),
    ),
    Mutant(
        "logsoftmax-backward-sums-whole-batch",
        "activations.LogSoftmax",
        "LogSoftmax's backward sums grad_y over the whole batch (np.sum without an axis)",
        "        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
        "        return grad_y - self._p * grad_y.sum()\n",
        ("reduction-over-whole-array",),
    ),
    # The slope's gradient from the branch it does not act on (the positive part of x).
    Mutant(
        "prelu-weight-grad-positive-part",
        "activations.PReLU",
        "PReLU's slope gradient sums grad_y * max(x, 0): the entries where the slope plays no part",
        "        contribution = np.where(negative, grad_y * self._x, 0.0)\n",
        "        contribution = grad_y * np.maximum(self._x, 0.0)\n",
        ("branches-swapped",),
    ),
    # The product rule with the x of x * h'(x) dropped, in GELU's tanh form.
    Mutant(
        "gelu-tanh-backward-x-dropped",
        "activations.GELU",
        "GELU (tanh) backward: the second term of the product rule lost its factor x",
        "            return grad_y * (0.5 * (1.0 + t) + 0.5 * xc * (1.0 - t * t) * inner_slope)\n",
        "            return grad_y * (0.5 * (1.0 + t) + 0.5 * (1.0 - t * t) * inner_slope)\n",
        ("product-rule-x-dropped",),
    ),
]

# Issue 11, round 3: classes of mistake generated from the formula's structure
# (graders/judging/checks/activation_forms.py), each pinned by one bug; the diagnosis simulates
# the whole class, not this edit.
MUTANTS += [
    # A derivative written from the saved output in another algebraic form.
    Mutant(
        "sigmoid-derivative-plus-square",
        "activations.Sigmoid",
        "Sigmoid's derivative expanded as y + y^2 where y - y^2 = y (1 - y) belongs",
        _SIGMOID_BACKWARD,
        "        return grad_y * (self._y + self._y**2)\n",
        ("derivative-wrong-form",),
    ),
    # Operator precedence: grad_y multiplies only the first term of the derivative.
    Mutant(
        "tanh-backward-precedence",
        "activations.Tanh",
        "Tanh's backward written grad_y * 1.0 - np.square(y): grad_y multiplies only the 1",
        _TANH_BACKWARD,
        "        return grad_y * 1.0 - np.square(self._y)\n",
        ("operator-precedence",),
    ),
    Mutant(
        "silu-backward-precedence",
        "activations.SiLU",
        "SiLU's backward grad_y * s + s (1 - s) x: the product rule's second term misses grad_y",
        "        return grad_y * (s + self._x * s * (1.0 - s))\n",
        "        return grad_y * s + s * (1.0 - s) * self._x\n",
        ("operator-precedence",),
    ),
    # A linear branch that returns its slope: the factor x is missing.
    Mutant(
        "prelu-negative-branch-returns-slope",
        "activations.PReLU",
        "PReLU's forward returns the slope a for x <= 0, not a * x",
        "        return np.where(x > 0, x, self._a * x)\n",
        "        return np.where(x <= 0, self._a, x)\n",
        ("factor-x-missing",),
    ),
    # The softmax Jacobian-vector product with one term edited.
    Mutant(
        "softmax-backward-parentheses-dropped",
        "activations.Softmax",
        "Softmax's backward y * grad_y - sum(grad_y * y): y * (...) written without its parentheses",
        "        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))\n",
        "        return y * grad_y - (grad_y * y).sum(axis=self.dim, keepdims=True)\n",
        ("jacobian-term-wrong",),
    ),
    # A named constant of a formula near-missed.
    Mutant(
        "gelu-density-exponent-without-half",
        "activations.GELU",
        "GELU's density written e^(-x^2) / sqrt(2 pi): the 1/2 of the exponent is missing",
        "        pdf = INV_SQRT_2PI * np.exp(-0.5 * xc * xc)\n",
        "        pdf = INV_SQRT_2PI * np.exp(-(xc**2))\n",
        ("formula-constant",),
    ),
    Mutant(
        "selu-constants-swapped",
        "activations.SELU",
        "SELU's alpha and scale swapped: scale = 1.6733 outside, alpha = 1.0507 inside",
        "    alpha = SELU_ALPHA\n    scale = SELU_SCALE\n\n    def __init__(self) -> None:\n"
        "        super().__init__()\n        self._elu = ELU(alpha=SELU_ALPHA)\n",
        "    alpha = SELU_SCALE\n    scale = SELU_ALPHA\n\n    def __init__(self) -> None:\n"
        "        super().__init__()\n        self._elu = ELU(alpha=SELU_SCALE)\n",
        ("selu-constants",),
    ),
    # One branch forgets grad_y (the chain rule applied on the other branch only).
    Mutant(
        "elu-negative-branch-without-upstream",
        "activations.ELU",
        "ELU's backward returns alpha e^x for x <= 0 without multiplying it by grad_y",
        *span(
            "activations",
            (
                "        return np.where(self._x > 0, grad_y, slope * grad_y)\n",
                "        return np.where(self._x > 0, grad_y, slope)\n",
            ),
            *_SELU_OWN_ELU,
        ),
        ("ignores-upstream-gradient",),
    ),
    # One branch's formula for every x: the np.where forgotten.
    Mutant(
        "elu-negative-formula-everywhere",
        "activations.ELU",
        "ELU's forward computes alpha (e^x - 1) for every x",
        *span(
            "activations",
            (
                "        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
                "        return self.alpha * (np.exp(x) - 1.0)\n",
            ),
            *_SELU_OWN_ELU,
        ),
        ("branch-formula-everywhere",),
    ),
    # The stabilising shift applied to one side of the fraction only.
    Mutant(
        "softmax-shift-in-numerator-only",
        "activations.Softmax",
        "Softmax divides e^(x - max) by the sum of the unshifted e^x",
        "        self._y = e / np.sum(e, axis=self.dim, keepdims=True)\n",
        "        self._y = e / np.exp(x).sum(axis=self.dim, keepdims=True)\n",
        ("logsumexp-shift-not-restored",),
    ),
]

# Crashes read from the line that raised (graders/judging/crashes.py, G6): a reduction that dropped its axis
# (no keepdims) meets the array it was taken from.
MUTANTS += [
    Mutant(
        "softmax-backward-sum-drops-axis",
        "activations.Softmax",
        "backward's sum of grad_y * y over dim drops keepdims: a (N,) vector meets (N, C)",
        "        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))\n",
        "        return y * (grad_y - np.sum(grad_y * y, axis=self.dim))\n",
        ("reduction-without-keepdims",),
    ),
    Mutant(
        "logsoftmax-max-drops-axis",
        "activations.LogSoftmax",
        "the stabilising max is taken as x.max(axis=dim), without keepdims",
        "        shifted = x - np.max(x, axis=self.dim, keepdims=True)\n",
        "        shifted = x - x.max(axis=self.dim)\n",
        ("reduction-without-keepdims",),
    ),
    Mutant(
        "softmax-formatted-sum-drops-axis",
        "activations.Softmax",
        "the sum is written as a formatter breaks a call over lines, and without keepdims: the line that raised is "
        "only the first of its statement (the grader reads the whole statement)",
        "        self._y = e / np.sum(e, axis=self.dim, keepdims=True)\n",
        "        self._y = e / np.sum(\n            e,\n            axis=self.dim,\n        )\n",
        ("reduction-without-keepdims",),
    ),
]

# Issue 11 round 4 (G1): classes of mistake taught from set C, each by an edit of its own.
MUTANTS += [
    Mutant(
        "softplus-stable-form-without-abs",
        "activations.Softplus",
        "the stable softplus exponentiates -z where -|z| belongs: for z < 0 it computes softplus(-z)",
        "        soft = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / self.beta\n",
        "        soft = (np.maximum(z, 0.0) + np.log1p(np.exp(-z))) / self.beta\n",
        ("abs-missing-in-stable-form",),
    ),
    Mutant(
        "softplus-log-of-exp-simplified",
        "activations.Softplus",
        "the 1 + of log(1 + e^-|z|) is lost and log(e^-|z|) simplified to -|z|",
        "        soft = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / self.beta\n",
        "        soft = (np.maximum(z, 0.0) - np.abs(z)) / self.beta\n",
        ("log1p-as-log",),
    ),
    Mutant(
        "logsoftmax-backward-sums-probabilities",
        "activations.LogSoftmax",
        "backward multiplies p by sum(p) (which is 1) where sum(grad_y) belongs: the factor sum(grad_y) is lost",
        "        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
        "        return grad_y - self._p * np.sum(self._p, axis=self.dim, keepdims=True)\n",
        ("logsoftmax-sum-dropped",),
    ),
    Mutant(
        "prelu-channel-grad-np-sum-axis-0",
        "activations.PReLU",
        "one slope per channel, but the slope gradient is summed over the batch only (np.sum(..., 0)) and the "
        "positions of an image or sequence are left unsummed",
        "            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)))",
        "            self.weight.grad += np.sum(contribution, 0)",
        ("prelu-grad-wrong-axes",),
    ),
    Mutant(
        "relu-mask-of-the-clipped-input",
        "activations.ReLU",
        "the mask is taken of max(x, 0), the output, with >= 0: true everywhere, so backward passes every gradient",
        "        self._mask = x > 0\n        return np.where(self._mask, x, 0.0)\n",
        "        self._mask = np.maximum(x, 0.0) >= 0.0\n        return np.maximum(x, 0.0)\n",
        ("mask-from-output",),
    ),
    Mutant(
        "relu-output-kept-negatives-zeroed-in-backward",
        "activations.ReLU",
        "forward keeps its output and backward zeroes the gradient where that output is negative (grad[y < 0] = 0): "
        "a ReLU's output never is, so every gradient passes, also where x <= 0 (no input tells this from no mask)",
        *span(
            "activations",
            (
                "        self._mask = x > 0\n        return np.where(self._mask, x, 0.0)\n",
                "        self.y = x * (x > 0)\n        return self.y\n",
            ),
            (
                "        return np.where(self._mask, grad_y, 0.0)\n",
                "        grad = grad_y.copy()\n        grad[self.y < 0] = 0.0\n        return grad\n",
            ),
        ),
        ("negative-branch-ignored",),
    ),
    Mutant(
        "maxout-argmax-last-axis",
        "activations.Maxout",
        "the winning piece is np.argmax(z, axis=-1), the last axis (the outputs), not axis 1 (the pieces)",
        "        self._argmax = np.argmax(z, axis=1)  # on a tie, the first maximal piece\n",
        "        self._argmax = np.argmax(z, axis=-1)\n",
        ("maxout-wrong-axis",),
    ),
]

# Issue 11 round 5 (G4): classes of mistake taught from set D, each by an edit of its own.
MUTANTS += [
    Mutant(
        "relu-backward-summed-to-a-number",
        "activations.ReLU",
        "backward sums the masked gradient, np.sum(...): one number where an array shaped like x belongs",
        "        return np.where(self._mask, grad_y, 0.0)\n",
        "        return np.sum(np.where(self._mask, grad_y, 0.0))\n",
        ("gradient-not-shaped-like-input",),
    ),
    Mutant(
        "tanh-backward-upstream-in-derivative",
        "activations.Tanh",
        "the derivative 1 - y * y is written 1 - grad_y * y: grad_y took the place of one y",
        "        return grad_y * (1.0 - self._y * self._y)\n",
        "        return grad_y * (1.0 - grad_y * self._y)\n",
        ("derivative-wrong-form",),
    ),
    Mutant(
        "gelu-tanh-inner-term-quadratic",
        "activations.GELU",
        "the tanh form is remembered with 0.044715 x^2, in forward and (as its derivative 2 * 0.044715 x) in backward",
        *span(
            "activations",
            ("GELU_KAPPA * xc**3))\n", "GELU_KAPPA * xc**2))\n"),
            ("(1.0 + 3.0 * GELU_KAPPA * xc * xc)", "(1.0 + 2.0 * GELU_KAPPA * xc)"),
        ),
        ("gelu-tanh-cubic-term",),
    ),
    Mutant(
        "softplus-beta-divides-max-only",
        "activations.Softplus",
        "the stable form divides max(z, 0) by beta but not the log term: the parentheses around the sum are missing",
        "        soft = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / self.beta\n",
        "        soft = np.maximum(z, 0.0) / self.beta + np.log1p(np.exp(-np.abs(z)))\n",
        ("operator-precedence",),
    ),
    Mutant(
        "logsoftmax-saves-shifted-exponentials",
        "activations.LogSoftmax",
        "forward saves exp(x - max), the stable exponentials before their sum divides them, as backward's softmax",
        "        self._p = np.exp(y)\n",
        "        self._p = np.exp(shifted)\n",
        ("logsoftmax-saved-unnormalised",),
    ),
    Mutant(
        "maxout-winners-compared-pieces-last",
        "activations.Maxout",
        "backward compares argmax[..., None] with arange(K): the winners' mask is (N, M, K), the pieces last",
        "        won = self._argmax[:, None, :] == np.arange(self.pieces)[None, :, None]\n",
        "        won = self._argmax[..., None] == np.arange(self.pieces)\n",
        ("axes-permuted",),
    ),
]

# Issue 11 round 6 (G1): classes of mistake taught from set E, each by an edit of its own.
MUTANTS += [
    Mutant(
        "relu-backward-mask-index-assigned",
        "activations.ReLU",
        "backward meant grad_x[mask] = grad_y[mask] but assigns grad_y[mask]: a flat vector of the active entries",
        "        return np.where(self._mask, grad_y, 0.0)\n",
        "        grad_x = np.zeros_like(grad_y)\n        grad_x = grad_y[self._mask]\n        return grad_x\n",
        ("gradient-not-shaped-like-input",),
    ),
    Mutant(
        "elu-backward-branch-on-upstream-sign",
        "activations.ELU",
        "ELU's backward picks the branch by the sign of grad_y instead of the sign of the saved input",
        *span(
            "activations",
            (
                "        return np.where(self._x > 0, grad_y, slope * grad_y)\n",
                "        return np.where(grad_y > 0, grad_y, slope * grad_y)\n",
            ),
            *_SELU_OWN_ELU,
        ),
        ("mask-from-upstream",),
    ),
    Mutant(
        "prelu-slope-grad-reuses-local-derivative",
        "activations.PReLU",
        "the local derivative dy/dx (a where x <= 0, else 1) is computed once and reused for the slope's gradient, "
        "where dy/da = x belongs",
        "        contribution = np.where(negative, grad_y * self._x, 0.0)\n",
        "        local = np.where(negative, self._a, 1.0)\n"
        "        contribution = np.where(negative, grad_y * local, 0.0)\n",
        ("prelu-grad-without-x",),
    ),
    Mutant(
        "gelu-cdf-centred",
        "activations.GELU",
        "Phi(x) is shifted down by 1/2, erfc(-x / sqrt 2) / 2 - 1/2 (that is erf(x / sqrt 2) / 2): the 1 + is lost",
        "        self._cdf = 0.5 * erfc(-x / math.sqrt(2.0))\n",
        "        self._cdf = 0.5 * erfc(-x / math.sqrt(2.0)) - 0.5\n",
        ("formula-constant",),
    ),
    Mutant(
        "silu-backward-sum-bracket-closed-early",
        "activations.SiLU",
        "the bracket of s + x s (1 - s) closes after x: grad_y * (s + x) * s * (1 - s)",
        "        return grad_y * (s + self._x * s * (1.0 - s))\n",
        "        return grad_y * (s + self._x) * s * (1.0 - s)\n",
        ("operator-precedence",),
    ),
    Mutant(
        "gelu-backward-sum-bracket-closed-early",
        "activations.GELU",
        "the bracket of Phi + x phi closes after x: grad_y * (Phi + x) * phi",
        "        return grad_y * (self._cdf + xc * pdf)\n",
        "        return grad_y * (self._cdf + xc) * pdf\n",
        ("operator-precedence",),
    ),
    Mutant(
        "softplus-linear-branch-divided-by-beta",
        "activations.Softplus",
        "past the threshold forward returns x / beta, as if every branch were divided by beta: that branch is x",
        "        return np.where(self._linear, x, soft)\n",
        "        return np.where(self._linear, x / self.beta, soft)\n",
        ("softplus-linear-branch-scaled",),
    ),
    Mutant(
        "logsoftmax-shift-after-exp",
        "activations.LogSoftmax",
        "inside log sum exp the maximum is subtracted after exponentiating: np.exp(x) - m",
        "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n",
        "        m = np.max(x, axis=self.dim, keepdims=True)\n"
        "        y = shifted - np.log(np.sum(np.exp(x) - m, axis=self.dim, keepdims=True))\n",
        ("operator-precedence",),
    ),
    Mutant(
        "elu-backward-clamp-maximum",
        "activations.ELU",
        "the derivative's stable clamp is written np.maximum(x, 0): alpha e^0 = alpha for every x <= 0",
        *span(
            "activations",
            (
                "        slope = self.alpha * np.exp(np.minimum(self._x, 0.0))\n",
                "        slope = self.alpha * np.exp(np.maximum(self._x, 0.0))\n",
            ),
            *_SELU_OWN_ELU,
        ),
        ("min-max-confused",),
    ),
    Mutant(
        "maxout-weight-grad-outer-summed-over-pieces",
        "activations.Maxout",
        "the weight gradient is the per-sample outer product grad_z x summed over axis 1 (the pieces), not 0",
        '        self.weight.grad += np.einsum("nkj,nd->kjd", grad_z, self._x)\n',
        "        self.weight.grad += (grad_z[..., None] * self._x[:, None, None, :]).sum(axis=1)\n",
        ("gradient-summed-over-wrong-axes",),
    ),
    Mutant(
        "softplus-stable-form-minimum",
        "activations.Softplus",
        "the stable form is typed np.minimum(z, 0) + log1p(e^-|z|): the max(z, 0) term becomes min(z, 0)",
        "        soft = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / self.beta\n",
        "        soft = (np.minimum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / self.beta\n",
        ("min-max-confused",),
    ),
    Mutant(
        "logsoftmax-shift-and-log-grouped",
        "activations.LogSoftmax",
        "log softmax is typed x - (m - log sum exp(x - m)): the parentheses flip the sign of the log term",
        "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n",
        "        m = np.max(x, axis=self.dim, keepdims=True)\n"
        "        y = x - (m - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True)))\n",
        ("operator-precedence",),
    ),
    Mutant(
        "gelu-cdf-half-without-parentheses",
        "activations.GELU",
        "Phi is typed 0.5 * 1.0 + erf(x / sqrt 2): the parentheses around 1 + erf are missing",
        "        self._cdf = 0.5 * erfc(-x / math.sqrt(2.0))\n",
        "        self._cdf = 0.5 * 1.0 + erf(x / math.sqrt(2.0))\n",
        ("operator-precedence",),
    ),
]

# Round 2 of set F's classes (each a different edit from the held-apart bugs): a constant branch returning x, a
# matrix product in an elementwise backward, a parameter gradient summed over a fixed set of axes, an outer
# constant moved inside the function, np.where's branches swapped past a threshold, one of softmax's two
# reductions along another axis, the shift taken off once too often, a square root left out of a constant.
MUTANTS += [
    Mutant(
        "step-forward-maximum",
        "activations.Step",
        "the step is written np.maximum(x, 0): ReLU's values, x for x > 0, where the step is 1",
        "        return (x > 0).astype(np.float64)\n",
        "        return np.maximum(x, 0.0)\n",
        ("step-returns-input",),
    ),
    Mutant(
        "tanh-backward-dot",
        "activations.Tanh",
        "backward multiplies grad_y by 1 - y^2 with np.dot, a matrix product, instead of entry by entry",
        _TANH_BACKWARD,
        "        return np.dot(grad_y, 1.0 - self._y * self._y)\n",
        ("matmul-for-elementwise",),
    ),
    Mutant(
        "prelu-channel-grad-sums-batch-and-axis-3",
        "activations.PReLU",
        "the per-channel slope gradient sums over axes (0, 3): the height axis of images is left over",
        "            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)))\n",
        "            self.weight.grad += contribution.sum(axis=(0, 3))\n",
        ("prelu-grad-wrong-axes", "fixed-number-of-axes"),
    ),
    Mutant(
        "selu-own-elu-of-scaled-input",
        "activations.SELU",
        "SELU computes its own ELU of z = scale * x (and its derivative at z, times scale): the scale is inside",
        *span(
            "activations",
            (
                "        return self.scale * self._elu.forward(x)\n",
                "        self._x = self.scale * x\n"
                "        return np.where(self._x > 0, self._x, self.alpha * np.expm1(np.minimum(self._x, 0.0)))\n",
            ),
            (
                "        return self._elu.backward(self.scale * grad_y)\n",
                "        slope = np.where(self._x > 0, 1.0, self.alpha * np.exp(np.minimum(self._x, 0.0)))\n"
                "        return self.scale * grad_y * slope\n",
            ),
        ),
        ("selu-scale-on-input",),
    ),
    Mutant(
        "softplus-forward-branches-swapped",
        "activations.Softplus",
        "forward returns the soft formula past the threshold and x below it: np.where's branches swapped",
        "        return np.where(self._linear, x, soft)\n",
        "        return np.where(self._linear, soft, x)\n",
        ("branches-swapped",),
    ),
    Mutant(
        "softmax-max-along-last-axis",
        "activations.Softmax",
        "the stabilising maximum is taken along the last axis, the normalising sum along dim",
        "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n",
        "        e = np.exp(x - x.max(axis=-1, keepdims=True))\n",
        ("softmax-wrong-axis",),
    ),
    Mutant(
        "logsoftmax-max-subtracted-twice",
        "activations.LogSoftmax",
        "the maximum is subtracted again from log softmax computed on the shifted values",
        "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n",
        "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n"
        "        y = y - np.max(x, axis=self.dim, keepdims=True)\n",
        ("logsumexp-shift-not-restored",),
    ),
    Mutant(
        "gelu-tanh-form-two-over-pi",
        "activations.GELU",
        "the tanh form's sqrt(2/pi) is written 2 / pi in forward: the square root is missing",
        "            self._t = np.tanh(SQRT_2_OVER_PI * (xc + GELU_KAPPA * xc**3))\n",
        "            self._t = np.tanh(2.0 / math.pi * (xc + GELU_KAPPA * xc**3))\n",
        ("sqrt-missing",),
    ),
]
MUTANTS += [
    Mutant(
        "elu-forward-alpha-in-exponent",
        "activations.ELU",
        "the negative branch is written e^(alpha x) - 1: alpha moved into the exponent",
        *span(
            "activations",
            (
                "        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
                "        return np.where(x > 0, x, np.expm1(self.alpha * np.minimum(x, 0.0)))\n",
            ),
            *_SELU_OWN_ELU,
        ),
        ("alpha-in-exponent",),
    ),
    Mutant(
        "softmax-sum-without-axis",
        "activations.Softmax",
        "the normalising sum has no axis (the whole batch) while the maximum is taken along dim",
        "        self._y = e / np.sum(e, axis=self.dim, keepdims=True)\n",
        "        self._y = e / np.sum(e)\n",
        ("reduction-over-whole-array",),
    ),
    Mutant(
        "step-where-keeps-x-below",
        "activations.Step",
        "the step is written np.where(x > 0, 1.0, x): x is left where 0 belongs",
        "        return (x > 0).astype(np.float64)\n",
        "        return np.where(x > 0, 1.0, x)\n",
        ("step-returns-input",),
    ),
    Mutant(
        "selu-scales-input-and-output",
        "activations.SELU",
        "forward computes scale * ELU(scale * x): the scale applied to the input as well",
        "        return self.scale * self._elu.forward(x)\n",
        "        return self.scale * self._elu.forward(self.scale * x)\n",
        ("selu-scale-twice",),
    ),
    Mutant(
        "gelu-density-root-over-two-only",
        "activations.GELU",
        "the density is divided by sqrt(2) * pi: the square root of sqrt(2 pi) covers the 2 only",
        "        pdf = INV_SQRT_2PI * np.exp(-0.5 * xc * xc)\n",
        "        pdf = np.exp(-0.5 * xc * xc) / (math.sqrt(2.0) * math.pi)\n",
        ("formula-constant",),
    ),
]

# Set G's classes (each a different edit from the held-apart bugs): numpy's reduction np.min where the element-wise
# np.minimum belongs, the branches' derivatives added where np.where selects, a branch's constant factored out
# of the np.where, an inner module's backward with no forward run, a constant of a function's argument after the
# call's parenthesis, the input x where the saved value belongs in a derivative, forward's 1/beta kept in backward.
MUTANTS += [
    Mutant(
        "elu-forward-min-for-minimum",
        "activations.ELU",
        "the negative branch clamps with np.min(x, 0), a reduction over axis 0, where np.minimum(x, 0) belongs",
        *span(
            "activations",
            (
                "        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
                "        return np.where(x > 0, x, self.alpha * np.expm1(np.min(x, 0)))\n",
            ),
            *_SELU_OWN_ELU,
        ),
        ("max-for-maximum",),
    ),
    Mutant(
        "prelu-backward-mask-plus-slope",
        "activations.PReLU",
        "the input gradient is grad_y * ((x > 0) + a): the slope is added on the positive branch too",
        "        return np.where(negative, self._a * grad_y, grad_y)\n",
        "        return grad_y * ((self._x > 0) + self._a)\n",
        ("derivative-wrong-form",),
    ),
    Mutant(
        "elu-backward-alpha-factored-out",
        "activations.ELU",
        "backward multiplies the whole np.where by alpha: the derivative for x > 0 becomes alpha instead of 1",
        *span(
            "activations",
            (
                "        slope = self.alpha * np.exp(np.minimum(self._x, 0.0))\n"
                "        return np.where(self._x > 0, grad_y, slope * grad_y)\n",
                "        slope = np.exp(np.minimum(self._x, 0.0))\n"
                "        return self.alpha * np.where(self._x > 0, grad_y, slope * grad_y)\n",
            ),
            *_SELU_OWN_ELU,
        ),
        ("alpha-on-both-branches",),
    ),
    Mutant(
        "selu-backward-new-elu",
        "activations.SELU",
        "backward delegates to a new ELU made on the spot, which never ran forward on the input",
        "        return self._elu.backward(self.scale * grad_y)\n",
        "        return ELU(alpha=self.alpha).backward(self.scale * grad_y)\n",
        ("inner-module-not-run",),
    ),
    Mutant(
        "gelu-density-half-outside-exp",
        "activations.GELU",
        "the density is typed np.exp(-x * x) / 2 / sqrt(2 pi): the 1/2 of the exponent is outside the exp",
        "        pdf = INV_SQRT_2PI * np.exp(-0.5 * xc * xc)\n",
        "        pdf = INV_SQRT_2PI * np.exp(-xc * xc) / 2.0\n",
        ("operator-precedence",),
    ),
    Mutant(
        "gelu-tanh-sech-t-times-x",
        "activations.GELU",
        "the tanh form's backward writes 1 - tanh^2(u) as 1 - t * x: the input x where the second t belongs",
        "            return grad_y * (0.5 * (1.0 + t) + 0.5 * xc * (1.0 - t * t) * inner_slope)\n",
        "            return grad_y * (0.5 * (1.0 + t) + 0.5 * xc * (1.0 - t * xc) * inner_slope)\n",
        ("derivative-wrong-form",),
    ),
    Mutant(
        "softplus-saves-sigmoid-over-beta",
        "activations.Softplus",
        "forward saves sigmoid(beta x) / beta, like its own 1/beta, so backward's derivative is divided by beta",
        "        self._s = self._sigmoid.forward(z)\n",
        "        self._s = self._sigmoid.forward(z) / self.beta\n",
        ("softplus-grad-divided-by-beta",),
    ),
]

# Set H's classes, each a different edit from the held-apart bugs: the math module on arrays, a shared slope's
# gradient summed over one axis, state saved on one path of forward only, a term of an inner derivative lost, beta
# in one term of the stable softplus only, log1p where log belongs, .T on a weight of three axes.
MUTANTS += [
    Mutant(
        "tanh-math-tanh",
        "activations.Tanh",
        "forward computes math.tanh(x): the math module takes one number, not an array",
        "        self._y = np.tanh(x)\n",
        "        self._y = math.tanh(x)\n",
        ("math-function-on-array",),
    ),
    Mutant(
        "gelu-backward-density-math-exp",
        "activations.GELU",
        "backward's density is INV_SQRT_2PI * math.exp(-x^2 / 2): the math module's exp on an array",
        "        pdf = INV_SQRT_2PI * np.exp(-0.5 * xc * xc)\n",
        "        pdf = INV_SQRT_2PI * math.exp(-0.5 * xc * xc)\n",
        ("math-function-on-array",),
    ),
    Mutant(
        "prelu-shared-slope-grad-over-last-axis",
        "activations.PReLU",
        "with one shared slope the gradient is summed over the last axis only, one value per sample left",
        "            self.weight.grad += contribution.sum()\n",
        "            self.weight.grad += contribution.sum(axis=-1)\n",
        ("prelu-grad-wrong-axes",),
    ),
    Mutant(
        "gelu-input-saved-after-tanh-return",
        "activations.GELU",
        "forward saves self._x after the tanh branch, whose return skips it: the tanh form's backward has no input",
        *span(
            "activations",
            (
                '        self._x = x\n        if self.approximate == "tanh":\n',
                '        if self.approximate == "tanh":\n',
            ),
            (
                "        self._cdf = 0.5 * erfc(-x / math.sqrt(2.0))\n",
                "        self._x = x\n        self._cdf = 0.5 * erfc(-x / math.sqrt(2.0))\n",
            ),
        ),
        ("saved-none",),
    ),
    Mutant(
        "gelu-tanh-inner-slope-x-not-squared",
        "activations.GELU",
        "the tanh form's inner derivative is sqrt(2/pi) (1 + 3 * 0.044715 x): d(x^3)/dx taken as 3x",
        "            inner_slope = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_KAPPA * xc * xc)\n",
        "            inner_slope = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_KAPPA * xc)\n",
        ("gelu-tanh-inner-slope",),
    ),
    Mutant(
        "softplus-log-term-of-x",
        "activations.Softplus",
        "the stable form's log term is log1p(e^-|x|) where z = beta x belongs; the max term uses z",
        "        soft = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / self.beta\n",
        "        soft = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(x)))) / self.beta\n",
        ("softplus-beta-missing",),
    ),
    Mutant(
        "logsoftmax-log1p-of-total",
        "activations.LogSoftmax",
        "the sum of exponentials is kept in a variable and its log taken with np.log1p: log(1 + sum)",
        "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n",
        "        total = np.sum(np.exp(shifted), axis=self.dim, keepdims=True)\n"
        "        y = shifted - np.log1p(total)\n",
        ("log1p-for-log",),
    ),
    Mutant(
        "maxout-dot-with-transposed-weight",
        "activations.Maxout",
        "z is np.dot(x, np.transpose(weight)) + bias: np.transpose reverses all three axes of the (K, M, D) weight",
        '        z = np.einsum("nd,kjd->nkj", x, self.weight.data) + self.bias.data\n',
        "        z = np.dot(x, np.transpose(self.weight.data)) + self.bias.data\n",
        ("axes-permuted",),
    ),
    # Set I's classes (issue 11), each with an edit of its own.
    Mutant(
        "relu-mask-not-equal-zero",
        "activations.ReLU",
        "the mask is x != 0, taken for 'x is active': true for every non-zero entry, negative ones included",
        "        self._mask = x > 0\n",
        "        self._mask = x != 0\n",
        ("nonzero-for-positive",),
    ),
    Mutant(
        "elu-alpha-stored-as-int",
        "activations.ELU",
        "the constructor stores int(alpha): 0.5 is truncated to 0, and the negative branch vanishes",
        *span(
            "activations", ("        self.alpha = float(alpha)\n", "        self.alpha = int(alpha)\n"), *_SELU_OWN_ELU
        ),
        ("int-truncates-hyperparameter",),
    ),
    Mutant(
        "silu-backward-s-squared-without-x",
        "activations.SiLU",
        "backward multiplies s + x s (1 - s) out as s + x s - s s: the x of the x s^2 term is lost",
        "        return grad_y * (s + self._x * s * (1.0 - s))\n",
        "        return grad_y * (s + self._x * s - s * s)\n",
        ("derivative-wrong-form",),
    ),
    Mutant(
        "silu-backward-sigmoid-slope-times-one-plus-x",
        "activations.SiLU",
        "backward writes the sigmoid's slope s (1 - s) times (1 + x): the product rule's first term is s itself",
        "        return grad_y * (s + self._x * s * (1.0 - s))\n",
        "        return grad_y * s * (1.0 - s) * (1.0 + self._x)\n",
        ("derivative-wrong-form",),
    ),
    Mutant(
        "softplus-threshold-on-both-sides",
        "activations.Softplus",
        "the linear branch is taken where beta x > threshold or beta x < -threshold: very negative inputs give x",
        "        self._linear = z > self.threshold\n",
        "        self._linear = (z > self.threshold) | (z < -self.threshold)\n",
        ("threshold-two-sided",),
    ),
    Mutant(
        "gelu-density-exponent-not-squared",
        "activations.GELU",
        "the density is written e^(-x / 2) / sqrt(2 pi): the square of x in the exponent is missing",
        "        pdf = INV_SQRT_2PI * np.exp(-0.5 * xc * xc)\n",
        "        pdf = INV_SQRT_2PI * np.exp(-0.5 * xc)\n",
        ("gelu-pdf-exponent",),
    ),
    Mutant(
        "maxout-weight-grad-einsum-inputs-before-units",
        "activations.Maxout",
        'the weight gradient is np.einsum("nkj,nd->kdj", ...): (K, D, M), the input axis before the unit axis',
        '        self.weight.grad += np.einsum("nkj,nd->kjd", grad_z, self._x)\n',
        '        self.weight.grad += np.einsum("nkj,nd->kdj", grad_z, self._x)\n',
        ("axes-permuted",),
    ),
    Mutant(
        "prelu-weight-ones-times-default",
        "activations.PReLU",
        "the weight is np.ones(num_parameters) * 0.25, PyTorch's default written in: init is never read",
        "        self.weight = Parameter(np.full(self.num_parameters, float(init)))\n",
        "        self.weight = Parameter(np.ones(self.num_parameters) * 0.25)\n",
        ("hyperparameter-ignored",),
    ),
    # ------------------------------------------------------------------ formulas misread (identities, casts, masks)
    Mutant(
        "silu-sigmoid-as-half-one-plus-tanh",
        "activations.SiLU",
        "the gate is written through tanh as (1 + tanh x) / 2, the identity without its x / 2: x sigmoid(2x)",
        _SILU_OWN_SIGMOID[0],
        "        self._s = 0.5 * (1.0 + np.tanh(x))  # sigmoid through tanh\n",
        ("identity-argument-halved",),
    ),
    Mutant(
        "relu-backward-bitwise-not-of-int-dead-mask",
        "activations.ReLU",
        "forward saves the dead entries as an int 0/1 array, backward passes grad_y where ~dead: ~0 = -1, ~1 = -2",
        *span(
            "activations",
            (
                "        self._mask = x > 0\n",
                "        self._mask = x > 0\n        self._dead = (x <= 0).astype(int)\n",
            ),
            ("        return np.where(self._mask, grad_y, 0.0)\n", "        return grad_y * ~self._dead\n"),
        ),
        ("bitwise-not-on-integers",),
    ),
    Mutant(
        "relu-mask-saved-as-sign",
        "activations.ReLU",
        "forward saves np.sign(x) as the mask ('1 where positive, 0 where not') and backward multiplies by it",
        *span(
            "activations",
            (
                "        self._mask = x > 0\n        return np.where(self._mask, x, 0.0)\n",
                "        self._mask = np.sign(x)\n        return np.maximum(x, 0.0)\n",
            ),
            ("        return np.where(self._mask, grad_y, 0.0)\n", "        return grad_y * self._mask\n"),
        ),
        ("derivative-is-sign",),
    ),
    Mutant(
        "gelu-backward-quick-gelu-derivative",
        "activations.GELU",
        "exact GELU's backward differentiates the sigmoid approximation x sigmoid(1.702 x), forward is exact",
        "        pdf = INV_SQRT_2PI * np.exp(-0.5 * xc * xc)\n        return grad_y * (self._cdf + xc * pdf)\n",
        "        s = 1.0 / (1.0 + np.exp(-1.702 * xc))\n        return grad_y * (s + 1.702 * xc * s * (1.0 - s))\n",
        ("gelu-sigmoid-approximation",),
    ),
    Mutant(
        "softmax-divides-by-mean",
        "activations.Softmax",
        "forward divides the exponentials by their mean along dim instead of their sum",
        "        self._y = e / np.sum(e, axis=self.dim, keepdims=True)\n",
        "        self._y = e / np.mean(e, axis=self.dim, keepdims=True)\n",
        ("mean-for-sum",),
    ),
    Mutant(
        "leakyrelu-branch-on-int-input",
        "activations.LeakyReLU",
        "forward chooses the branch on x.astype(int) > 0: inputs between 0 and 1 get the negative slope",
        "        return np.where(x > 0, x, self.negative_slope * x)\n",
        "        return np.where(x.astype(int) > 0, x, self.negative_slope * x)\n",
        ("int-truncates-input",),
    ),
    Mutant(
        "softplus-soft-term-with-beta-as-temperature",
        "activations.Softplus",
        "the smooth branch is written beta log(1 + e^(x / beta)), beta read as a temperature (the mask keeps beta x)",
        "        soft = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / self.beta\n",
        "        soft = self.beta * np.log1p(np.exp(x / self.beta))  # beta: the temperature\n",
        ("hyperparameter-inverted",),
    ),
    Mutant(
        "prelu-backward-first-slope",
        "activations.PReLU",
        "backward's input gradient uses self.weight.data[0] for every channel: forward uses each channel's own slope",
        "        return np.where(negative, self._a * grad_y, grad_y)\n",
        "        return np.where(negative, self.weight.data[0] * grad_y, grad_y)\n",
        ("prelu-slope-broadcast",),
    ),
    Mutant(
        "maxout-winner-chosen-without-bias",
        "activations.Maxout",
        "the winning piece is chosen from x . w_k alone and the bias added to the winner afterwards",
        '        z = np.einsum("nd,kjd->nkj", x, self.weight.data) + self.bias.data\n'
        "        self._argmax = np.argmax(z, axis=1)  # on a tie, the first maximal piece\n"
        "        return np.take_along_axis(z, self._argmax[:, None, :], axis=1)[:, 0, :]\n",
        '        z = np.einsum("nd,kjd->nkj", x, self.weight.data)\n'
        "        self._argmax = np.argmax(z, axis=1)  # on a tie, the first maximal piece\n"
        "        return np.take_along_axis(z + self.bias.data, self._argmax[:, None, :], axis=1)[:, 0, :]\n",
        ("max-of-sum-as-sum-of-max",),
    ),
]

# Set K's classes (issue 11), each with an edit of its own.
MUTANTS += [
    Mutant(
        "softmax-swapaxes-not-swapped-back",
        "activations.Softmax",
        "forward swaps dim with the last axis (np.swapaxes) to normalise along axis -1 and returns the result "
        "swapped: for any dim but the last the output's axes are out of order",
        "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n"
        "        self._y = e / np.sum(e, axis=self.dim, keepdims=True)\n",
        "        x = np.swapaxes(x, self.dim, -1)  # the class axis last, as for (N, C)\n"
        "        e = np.exp(x - np.max(x, axis=-1, keepdims=True))\n"
        "        self._y = e / np.sum(e, axis=-1, keepdims=True)\n",
        ("axes-permuted",),
    ),
    Mutant(
        "leakyrelu-branch-from-output-nonnegative",
        "activations.LeakyReLU",
        "forward keeps its output and backward takes the slope where that output is negative, y >= 0 read as "
        "'the x > 0 branch': at x = 0 (y = 0), and for every x < 0 once the slope is negative, the branch is wrong",
        *span(
            "activations",
            (
                "        return np.where(x > 0, x, self.negative_slope * x)\n",
                "        self._y = np.where(x > 0, x, self.negative_slope * x)\n        return self._y\n",
            ),
            (
                "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
                "        return np.where(self._y >= 0, grad_y, self.negative_slope * grad_y)\n",
            ),
        ),
        ("mask-from-output",),
    ),
    Mutant(
        "tanh-output-kept-off-plus-minus-one",
        "activations.Tanh",
        "forward clips tanh(x) to [-1 + 1e-6, 1 - 1e-6] so that it is never exactly +-1: the saved output then "
        "gives 1 - y^2 = 2e-6 for large |x|, where the derivative vanishes",
        _TANH_FORWARD,
        "        self._y = np.clip(np.tanh(x), -1.0 + 1e-6, 1.0 - 1e-6)  # never exactly +-1\n        return self._y\n",
        ("output-clipped",),
    ),
    Mutant(
        "maxout-bias-stored-with-batch-axis",
        "activations.Maxout",
        "forward reshapes the bias to (1, K, M) 'to broadcast over the batch' and stores it back into bias.data: "
        "the parameter no longer has its shape (K, M), nor its gradient's",
        '        z = np.einsum("nd,kjd->nkj", x, self.weight.data) + self.bias.data\n',
        "        self.bias.data = self.bias.data.reshape(1, self.pieces, -1)  # broadcast over the batch\n"
        '        z = np.einsum("nd,kjd->nkj", x, self.weight.data) + self.bias.data\n',
        ("parameter-reshaped",),
    ),
]

# Set L taught by class (issue 11): integer output, the tanh form's argument without parentheses, a softmax
# shift applied only when the maximum is positive.
MUTANTS += [
    Mutant(
        "relu-output-in-int-buffer",
        "activations.ReLU",
        "forward fills an integer buffer, np.zeros(x.shape, dtype=int), with the positive entries: every value "
        "is truncated to an integer",
        "        self._mask = x > 0\n        return np.where(self._mask, x, 0.0)\n",
        "        self._mask = x > 0\n"
        "        out = np.zeros(x.shape, dtype=int)  # zeros where x <= 0\n"
        "        out[self._mask] = x[self._mask]\n"
        "        return out\n",
        ("integer-dtype",),
    ),
    Mutant(
        "gelu-tanh-factor-on-cubic-term-only",
        "activations.GELU",
        "the tanh form's argument is typed x + 0.044715 * x**3 * sqrt(2/pi): without parentheses sqrt(2/pi) "
        "multiplies the cubic term alone, where u = sqrt(2/pi) (x + 0.044715 x^3)",
        "            self._t = np.tanh(SQRT_2_OVER_PI * (xc + GELU_KAPPA * xc**3))\n",
        "            self._t = np.tanh(xc + GELU_KAPPA * xc**3 * SQRT_2_OVER_PI)\n",
        ("operator-precedence",),
    ),
    Mutant(
        "logsoftmax-shift-only-when-positive",
        "activations.LogSoftmax",
        "the maximum is subtracted only where it is positive ('only a large positive logit overflows exp'): a row "
        "of very negative logits underflows to exp = 0, and log 0 = -inf",
        "        shifted = x - np.max(x, axis=self.dim, keepdims=True)\n",
        "        top = np.max(x, axis=self.dim, keepdims=True)\n"
        "        shifted = x - np.where(top > 0, top, 0.0)  # only a large positive logit overflows\n",
        ("underflow",),
    ),
]

# Set M, taught by class: a clip at a round bound (the output stops changing past it), a zero taken as unset.
MUTANTS += [
    Mutant(
        "tanh-input-clipped-to-five",
        "activations.Tanh",
        "forward evaluates tanh at the input clipped to [-5, 5] ('tanh is 1 past 5 anyway'): tanh(6) is "
        "0.99998, not tanh(5) = 0.99991, and the derivative 1 - y^2 from the clipped y is wrong there too",
        "        self._y = np.tanh(x)\n",
        "        self._y = np.tanh(np.minimum(np.maximum(x, -5.0), 5.0))  # saturated past 5 anyway\n",
        ("input-clipped",),
    ),
    Mutant(
        "leakyrelu-zero-slope-replaced-in-init",
        "activations.LeakyReLU",
        "the constructor keeps negative_slope only if it is truthy ('0 means not given'): LeakyReLU(0.0), which is "
        "ReLU, gets the default slope 0.01",
        "        self.negative_slope = float(negative_slope)\n",
        "        self.negative_slope = float(negative_slope) if negative_slope else 0.01\n",
        ("hyperparameter-ignored",),
    ),
]

# Set N, taught by class: a constant of a formula typed as another number (read from the output, then recomputed).
MUTANTS += [
    Mutant(
        "gelu-tanh-sqrt-two-over-pi-digit-slip",
        "activations.GELU",
        "the tanh form's sqrt(2/pi) is typed out as 0.7988 (0.79788... mistyped), in forward and in backward's "
        "inner derivative",
        *span(
            "activations",
            (
                "            self._t = np.tanh(SQRT_2_OVER_PI * (xc + GELU_KAPPA * xc**3))\n",
                "            self._t = np.tanh(0.7988 * (xc + GELU_KAPPA * xc**3))\n",
            ),
            (
                "            inner_slope = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_KAPPA * xc * xc)\n",
                "            inner_slope = 0.7988 * (1.0 + 3.0 * GELU_KAPPA * xc * xc)\n",
            ),
        ),
        ("formula-constant",),
    ),
    Mutant(
        "gelu-tanh-kappa-digits-swapped",
        "activations.GELU",
        "the cubic coefficient of the tanh form is typed 0.047415 (two digits of 0.044715 swapped), as the module "
        "constant that forward's tanh and backward's inner derivative both read",
        "GELU_KAPPA = 0.044715\n",
        "GELU_KAPPA = 0.047415\n",
        ("formula-constant",),
    ),
]

# Set O, taught by class: a reduced axis put back at the end ([..., None], np.expand_dims(-1)) where keepdims
# keeps it in place; a negative dim resolved into the attribute; PReLU's slopes laid along the last axis.
MUTANTS += [
    Mutant(
        "logsoftmax-logsumexp-expanded-last",
        "activations.LogSoftmax",
        "the log of the sum is reduced without keepdims and given its axis back with np.expand_dims(..., -1): "
        "after the last axis, so for dim other than -1 it meets the wrong axis",
        "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n",
        "        y = shifted - np.expand_dims(np.log(np.exp(shifted).sum(axis=self.dim)), -1)\n",
        ("reduction-without-keepdims",),
    ),
    Mutant(
        "logsoftmax-dim-made-positive-on-self",
        "activations.LogSoftmax",
        "forward stores dim % x.ndim into self.dim: a dim=-1 given for matrices names axis 1 of every later input",
        '        _check_dim(x, self.dim, "LogSoftmax")\n',
        '        _check_dim(x, self.dim, "LogSoftmax")\n        self.dim = self.dim % x.ndim\n',
        ("hyperparameter-overwritten",),
    ),
    Mutant(
        "prelu-slopes-reshaped-channels-last",
        "activations.PReLU",
        "forward reshapes the slopes with reshape(*[1] * (x.ndim - 1), -1): along the last axis, the channels-last "
        "layout, where the API puts channel i on axis 1",
        "        self._a = self.weight.data.reshape(self._slope_shape(x.ndim))\n",
        "        self._a = self.weight.data if self.num_parameters == 1 else "
        "self.weight.data.reshape(*[1] * (x.ndim - 1), -1)\n",
        ("channels-last-layout",),
    ),
]

# Set O, taught by class: a zero hyper-parameter taken as unset (ELU's "alpha=0" case); the positive part written
# as a half sum that leaves the float range near its top ("stable at extreme inputs" reaches |x| = 1e308).
MUTANTS += [
    Mutant(
        "elu-zero-alpha-replaced-where-used",
        "activations.ELU",
        "forward and backward read alpha as `self.alpha if self.alpha else 1.0` ('unset: the default'): ELU(0.0), "
        "which is ReLU, saturates at -1 instead",
        *span(
            "activations",
            (
                "        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
                "        alpha = self.alpha if self.alpha else 1.0\n"
                "        return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))\n",
            ),
            (
                "        slope = self.alpha * np.exp(np.minimum(self._x, 0.0))\n",
                "        slope = (self.alpha if self.alpha else 1.0) * np.exp(np.minimum(self._x, 0.0))\n",
            ),
        ),
        ("hyperparameter-ignored",),
    ),
    Mutant(
        "leakyrelu-forward-half-sums-with-abs",
        "activations.LeakyReLU",
        "forward writes the two branches without a comparison, ((1 + a) x + (1 - a) |x|) / 2: at x near the largest "
        "float the sum passes 1.8e308 and LeakyReLU(1e308) is inf instead of 1e308",
        "        return np.where(x > 0, x, self.negative_slope * x)\n",
        "        a = self.negative_slope\n        return 0.5 * ((1.0 + a) * x + (1.0 - a) * np.abs(x))  # no branch\n",
        ("overflow",),
    ),
    Mutant(
        "prelu-init-zero-taken-as-unset",
        "activations.PReLU",
        "`init or 0.25`: init=0 (start as a ReLU) becomes the default slope 0.25",
        "        self.weight = Parameter(np.full(self.num_parameters, float(init)))\n",
        "        self.weight = Parameter(np.full(self.num_parameters, float(init or 0.25)))\n",
        ("hyperparameter-ignored", "zero-taken-as-unset"),
    ),
]

# Set AF, taught by class: a derivative with its power or parentheses misplaced (tanh's sech^2 typed with the square
# on the argument, sigmoid's e^-x / (1 + e^-x)^2 with the square on the last term only); a derivative from the
# saved output whose parentheses are left out (SELU's grad_y * (y + scale alpha), SiLU's y + s (1 - y)); Maxout as
# one flat matrix product whose flattening and reshape disagree in order.
MUTANTS += [
    Mutant(
        "tanh-backward-one-minus-tanh-of-square",
        "activations.Tanh",
        "forward keeps x and backward writes 1 - np.tanh(x**2): the square lands on the argument, 1 - tanh(x)**2 "
        "was meant",
        *span(
            "activations",
            (
                "        self._y = np.tanh(x)\n        return self._y\n",
                "        self._x = x\n        return np.tanh(x)\n",
            ),
            (
                "        return grad_y * (1.0 - self._y * self._y)\n",
                "        t2 = np.tanh(self._x**2)\n        return (1.0 - t2) * grad_y\n",
            ),
        ),
        ("operator-precedence",),
    ),
    Mutant(
        "sigmoid-backward-exp-form-square-on-last-term",
        "activations.Sigmoid",
        "backward recomputes e^-x / (1 + e^-x)^2 from a saved x but writes (1 + e**2) where (1 + e)**2 belongs",
        *span(
            "activations",
            (
                "        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n",
                "        self._x = x\n        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n",
            ),
            (
                "        return grad_y * self._y * (1.0 - self._y)\n",
                "        e = np.exp(-self._x)\n        return grad_y * e / (1.0 + e**2)\n",
            ),
        ),
        ("operator-precedence",),
    ),
    Mutant(
        "selu-backward-output-form-without-parentheses",
        "activations.SELU",
        "SELU saves its output and writes the x <= 0 slope as grad_y * y + scale * alpha: without parentheses the "
        "constant is added to the product; grad_y * (y + scale * alpha) was meant",
        *span(
            "activations",
            (
                "        return self.scale * self._elu.forward(x)\n",
                "        self._y = self.scale * self._elu.forward(x)\n        return self._y\n",
            ),
            (
                "        return self._elu.backward(self.scale * grad_y)\n",
                "        neg = self._elu._x <= 0\n"
                "        return np.where(neg, grad_y * self._y + self.scale * self._elu.alpha, self.scale * grad_y)\n",
            ),
        ),
        ("operator-precedence",),
    ),
    Mutant(
        "silu-backward-output-form-without-parentheses",
        "activations.SiLU",
        "SiLU's derivative from its output, y + s (1 - y), written grad_y * y + s * (1 - y): grad_y multiplies y alone",
        *span(
            "activations",
            (
                "        return x * self._s\n",
                "        self._out = x * self._s\n        return self._out\n",
            ),
            (
                "        return grad_y * (s + self._x * s * (1.0 - s))\n",
                "        return grad_y * self._out + s * (1.0 - self._out)\n",
            ),
        ),
        ("operator-precedence",),
    ),
    Mutant(
        "maxout-units-first-flattening-read-pieces-first",
        "activations.Maxout",
        "forward flattens the weight units first, transpose(1, 0, 2).reshape(M*K, D) (column j*K + k), with the bias "
        "likewise, but reads the flat scores back as (N, K, M) and takes the maximum over axis 1",
        '        z = np.einsum("nd,kjd->nkj", x, self.weight.data) + self.bias.data\n'
        "        self._argmax = np.argmax(z, axis=1)  # on a tie, the first maximal piece\n"
        "        return np.take_along_axis(z, self._argmax[:, None, :], axis=1)[:, 0, :]\n",
        "        K, M, D = self.weight.data.shape\n"
        "        flat_w = np.transpose(self.weight.data, (1, 0, 2)).reshape(M * K, D)\n"
        "        scores = (x @ flat_w.T + self.bias.data.T.reshape(M * K)).reshape(len(x), K, M)\n"
        "        self._argmax = scores.argmax(1)\n"
        "        return scores.max(1)\n",
        ("reshape-order",),
    ),
    Mutant(
        "maxout-backward-flat-gradient-and-weight-orders-differ",
        "activations.Maxout",
        "backward flattens grad_z (N, K, M) pieces first, reshape(N, K*M), but the weight units first, "
        "transpose(1, 0, 2).reshape(M*K, D), and unflattens the weight gradient that way too",
        '        self.weight.grad += np.einsum("nkj,nd->kjd", grad_z, self._x)\n'
        "        self.bias.grad += grad_z.sum(axis=0)\n"
        '        return np.einsum("nkj,kjd->nd", grad_z, self.weight.data)\n',
        "        K, M, D = self.weight.data.shape\n"
        "        flat = grad_z.reshape(len(grad_y), K * M)\n"
        "        self.weight.grad += (flat.T @ self._x).reshape(M, K, D).transpose(1, 0, 2)\n"
        "        self.bias.grad += grad_z.sum(axis=0)\n"
        "        return flat @ self.weight.data.transpose(1, 0, 2).reshape(M * K, D)\n",
        ("reshape-order",),
    ),
    # Issue 11, set AH generalised: each class the held-apart set AH taught, by an edit of its own.
    Mutant(
        "tanh-stable-exponential-form-inner-two-lost",
        "activations.Tanh",
        "tanh written with e = e^(-2|x|), sign(x) (1 - e) / (1 + e), and e saved; backward is 2 e / (1 + e)^2, the "
        "derivative of the outer function of e without the chain rule's inner factor 2 (it is 4 e / (1 + e)^2)",
        *span(
            "activations",
            (
                "        self._y = np.tanh(x)\n        return self._y\n",
                "        self._e = np.exp(-2.0 * np.abs(x))  # never overflows\n"
                "        return np.sign(x) * (1.0 - self._e) / (1.0 + self._e)\n",
            ),
            (
                "        return grad_y * (1.0 - self._y * self._y)\n",
                "        e = self._e\n        return grad_y * 2.0 * e / (1.0 + e) ** 2\n",
            ),
        ),
        ("chain-rule-inner-derivative",),
    ),
    Mutant(
        "gelu-exact-output-in-product-rule",
        "activations.GELU",
        "the exact GELU keeps its output y = x Phi(x), and backward writes the product rule Phi + x phi with y where "
        "the input x belongs: Phi + y phi(x)",
        *span(
            "activations",
            (
                "        return x * self._cdf\n",
                "        self._out = x * self._cdf\n        return self._out\n",
            ),
            (
                "        return grad_y * (self._cdf + xc * pdf)\n",
                "        return grad_y * (self._cdf + self._out * pdf)\n",
            ),
        ),
        ("saved-output-not-input",),
    ),
    Mutant(
        "relu-backward-reshaped-flat",
        "activations.ReLU",
        "backward returns the masked gradient reshaped to one axis, reshape(-1): every entry in order, the input's "
        "shape lost",
        "        return np.where(self._mask, grad_y, 0.0)\n",
        "        return np.where(self._mask, grad_y, 0.0).reshape(-1)\n",
        ("gradient-not-shaped-like-input",),
        ("flattened",),
    ),
    Mutant(
        "sigmoid-tanh-form-output-kept-inner-half-lost",
        "activations.Sigmoid",
        "sigmoid written 0.5 + 0.5 tanh(x / 2), keeping only the output; backward recovers t = 2y - 1 and returns "
        "(1 - t^2) / 2, the derivative of the outer function of t without the chain rule's inner 1/2",
        *span(
            "activations",
            (
                "        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n        return self._y\n",
                "        self._y = 0.5 + 0.5 * np.tanh(x / 2)\n        return self._y\n",
            ),
            (
                "        return grad_y * self._y * (1.0 - self._y)\n",
                "        t = 2.0 * self._y - 1.0\n        return grad_y * 0.5 * (1.0 - t * t)\n",
            ),
        ),
        ("chain-rule-inner-derivative",),
    ),
    Mutant(
        "softplus-slope-from-kept-output",
        "activations.Softplus",
        "forward keeps its output, and backward computes the slope as sigmoid(beta * output): the output where the "
        "input belongs",
        *span(
            "activations",
            (
                "        return np.where(self._linear, x, soft)\n",
                "        self._out = np.where(self._linear, x, soft)\n        return self._out\n",
            ),
            (
                "        return np.where(self._linear, grad_y, grad_y * self._s)\n",
                "        s = 1.0 / (1.0 + np.exp(-self.beta * self._out))\n"
                "        return np.where(self._linear, grad_y, grad_y * s)\n",
            ),
        ),
        ("saved-output-not-input",),
    ),
]

# Issue 11, set AI (act2): the mirror image on x < 0 told apart by its cause (a probe at x = -1000 / k), the log of
# an underflowed probability at the extremes, and Maxout's routing brought to (N, K, M) with a reshape.
MUTANTS += [
    Mutant(
        "sigmoid-stable-positive-formula-in-both-branches",
        "activations.Sigmoid",
        "the stable sigmoid's np.where gives both branches the x >= 0 formula 1 / (1 + z), z = e^-|x|: for x < 0 it is "
        "sigmoid(-x) = 1 - sigmoid(x), finite everywhere (the exponential is safe, the formula is the other branch's)",
        *span(
            "activations",
            (_SIGMOID_FORWARD, "        self._y = np.where(x >= 0, 1.0 / (1.0 + z), 1.0 / (1.0 + z))\n"),
            _SILU_OWN_SIGMOID,
            _SOFTPLUS_OWN_SIGMOID,
        ),
        ("copy-paste",),
    ),
    Mutant(
        "tanh-odd-extension-exponent-without-abs",
        "activations.Tanh",
        "tanh as the odd extension of its stable form, t = (1 - e^(-2x)) / (1 + e^(-2x)) and np.where(x >= 0, t, -t), "
        "with e^(-2x) where e^(-2|x|) belongs: for x < 0 t is already tanh(x), so -t is its mirror image, and e^(-2x) "
        "overflows (nan) for very negative x",
        _TANH_FORWARD,
        "        e = np.exp(-2.0 * x)\n"
        "        t = (1.0 - e) / (1.0 + e)\n"
        "        self._y = np.where(x >= 0, t, -t)\n"
        "        return self._y\n",
        ("abs-missing-in-stable-form",),
    ),
    Mutant(
        "logsoftmax-log-of-exp-round-trip",
        "activations.LogSoftmax",
        "forward computes the stable log-probabilities y, keeps p = exp(y) for backward, and returns np.log(p): a "
        "probability that underflowed to 0 comes back as -inf",
        "        self._p = np.exp(y)\n        return y\n",
        "        self._p = np.exp(y)\n        return np.log(self._p)\n",
        ("log-of-softmax-underflow",),
    ),
    Mutant(
        "maxout-grad-stacked-per-piece-reshaped",
        "activations.Maxout",
        "backward stacks each piece's share of grad_y, np.stack([...for k in range(K)]) of shape (K, N, M), and "
        "reshapes it to (N, K, M) where np.moveaxis belongs: the gradient reaches the wrong pieces and units",
        "        won = self._argmax[:, None, :] == np.arange(self.pieces)[None, :, None]\n"
        "        grad_z = np.where(won, grad_y[:, None, :], 0.0)  # (N, K, M)\n",
        "        shares = [np.where(self._argmax == k, grad_y, 0.0) for k in range(self.pieces)]\n"
        "        grad_z = np.stack(shares).reshape(grad_y.shape[0], self.pieces, self.out_features)\n",
        ("reshape-not-transpose",),
    ),
]

# Set AK, taught: the identity's derivative taken as its value, and PReLU's channel read on another axis than axis 1.
MUTANTS += [
    Mutant(
        "identity-backward-times-saved-input",
        "activations.Identity",
        "forward keeps a copy of its input for backward, which multiplies grad_y by it: the derivative of y = x "
        "taken as x, where it is 1",
        *span(
            "activations",
            ("        return x\n", "        self._x = x.copy()\n        return x\n"),
            ("        return grad_y\n", "        return np.multiply(self._x, grad_y)\n"),
        ),
        ("derivative-is-output",),
    ),
    Mutant(
        "prelu-grad-channels-from-last-axis-listed",
        "activations.PReLU",
        "the per-channel slope gradients are listed one channel at a time, channel c read as contribution[..., c] "
        "(the last axis, a channels-last habit): right for (N, C), the wrong entries for (N, C, L) and (N, C, H, W)",
        "            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)))\n",
        "            per_channel = [np.sum(contribution[..., c]) for c in range(self.num_parameters)]\n"
        "            self.weight.grad += np.array(per_channel)\n",
        ("channels-last-layout", "prelu-grad-wrong-axes"),
    ),
    Mutant(
        "prelu-grad-channel-indexes-batch-axis",
        "activations.PReLU",
        "the slope gradient loops over the channels and sums contribution[c], the first axis, which is the "
        "batch: slope c collects sample c's contributions (and the loop fails when the batch has fewer than C)",
        "            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)))\n",
        "            for c in range(self.num_parameters):\n"
        "                self.weight.grad[c] += contribution[c].sum()\n",
        ("prelu-grad-wrong-axes",),
    ),
]

# Set AK, mended: a gradient of a dtype that is no float (booleans, integers) is named by what it is, not as float32.
MUTANTS += [
    Mutant(
        "leakyrelu-backward-into-copy-of-mask",
        "activations.LeakyReLU",
        "backward starts its gradient as a copy of the boolean mask x > 0 and writes grad_y and slope * grad_y into "
        "it: the copy keeps dtype bool, so every value written becomes True or False",
        "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
        "        up = self._x > 0\n"
        "        grad_x = up.copy()\n"
        "        grad_x[up] = grad_y[up]\n"
        "        grad_x[~up] = self.negative_slope * grad_y[~up]\n"
        "        return grad_x\n",
        ("boolean-result",),
    ),
    Mutant(
        "step-backward-integer-zeros",
        "activations.Step",
        "backward returns np.zeros(grad_y.shape, dtype=int): the right zeros, as integers where gradients are float64",
        "        return np.zeros_like(grad_y)\n",
        "        return np.zeros(grad_y.shape, dtype=int)  # the step is flat\n",
        ("integer-dtype",),
    ),
]

# The log forgotten: the softmax returned where its log belongs (an array of its own, not the one forward saves, so
# no in-place exponential can have made it; graders/judging/checks/modules.py::_exp_held_probed).
MUTANTS += [
    Mutant(
        "logsoftmax-returns-normalised-exponentials",
        "activations.LogSoftmax",
        "forward divides e^(x - m) by its sum and returns that, the softmax: the log of the normalisation is never "
        "taken (and the probabilities saved for backward are e^softmax)",
        "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n",
        "        y = np.exp(shifted) / np.sum(np.exp(shifted), axis=self.dim, keepdims=True)\n",
        ("log-missing",),
    ),
]

# The tag-vocabulary audit (mendact): a branch of backward named as the mistake only behind a right forward (the
# branches' own mistakes, forward right, earn the tags), Softplus's identity mask taken from beta x after it was
# clipped, and PReLU's shared slope reaching one channel only through a loop over the slopes.
MUTANTS += [
    Mutant(
        "prelu-backward-mean-slope",
        "activations.PReLU",
        "backward multiplies the negative side by the mean of the slopes, self.weight.data.mean(), one number that "
        "broadcasts anywhere: with one slope per channel each channel's entries with x <= 0 need their own slope",
        "        return np.where(negative, self._a * grad_y, grad_y)\n",
        "        return np.where(negative, self.weight.data.mean() * grad_y, grad_y)\n",
        ("negative-branch-wrong",),
    ),
    Mutant(
        "softplus-linear-branch-grad-over-beta",
        "activations.Softplus",
        "backward divides the identity branch's gradient by beta, as forward's smooth branch divides by beta: past the "
        "threshold y = x, whose derivative is 1",
        "        return np.where(self._linear, grad_y, grad_y * self._s)\n",
        "        return np.where(self._linear, grad_y / self.beta, grad_y * self._s)\n",
        ("threshold-branch-wrong",),
    ),
    Mutant(
        "softplus-mask-after-inplace-clip",
        "activations.Softplus",
        "beta x is clipped in place at the threshold, np.minimum(z, threshold, out=z), before the identity's mask is "
        "taken from it: z > threshold never holds, so past the threshold the output stays the smooth formula's value "
        "there instead of x",
        "        z = self.beta * x\n        self._linear = z > self.threshold\n",
        "        z = self.beta * x\n"
        "        np.minimum(z, self.threshold, out=z)  # exp(z) must stay finite\n"
        "        self._linear = z > self.threshold\n",
        ("input-clipped",),
    ),
    Mutant(
        "prelu-backward-enumerated-slopes-by-channel",
        "activations.PReLU",
        "backward enumerates the slopes and gives slope c the entries x[:, c]: with one shared slope that is the first "
        "channel only, and the other channels' entries with x <= 0 neither get the slope nor add to its gradient",
        "        negative = self._x <= 0\n"
        "        contribution = np.where(negative, grad_y * self._x, 0.0)\n"
        "        if self.num_parameters == 1:\n"
        "            self.weight.grad += contribution.sum()\n"
        "        else:  # sum over every axis but the channel axis\n"
        "            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)))\n"
        "        return np.where(negative, self._a * grad_y, grad_y)\n",
        "        grad_x = np.array(grad_y, copy=True)\n"
        "        for c, slope in enumerate(self.weight.data):\n"
        "            x_c, g_c = self._x[:, c], grad_y[:, c]\n"
        "            self.weight.grad[c] += np.sum(np.where(x_c <= 0, g_c * x_c, 0.0))\n"
        "            grad_x[:, c] = np.where(x_c <= 0, slope * g_c, g_c)\n"
        "        return grad_x\n",
        ("entries-skipped",),
    ),
]
