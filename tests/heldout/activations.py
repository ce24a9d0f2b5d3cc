"""Held-apart activation bugs: the branches, arguments and normalisers students get wrong."""

from __future__ import annotations

from ._edits import bug, span

_AFTER_FORWARD = (
    "        ### END SOLUTION\n\n    def backward(self, grad_y: np.ndarray) -> np.ndarray:\n"
    '        grad_y = as_float_array(grad_y, "grad_y")\n'
    "        ### BEGIN SOLUTION\n"
)

HELDOUT = [
    bug(
        "ho-sigmoid-backward-from-exp-of-input",
        "activations.Sigmoid",
        "backward recomputes the derivative as e^-x / (1 + e^-x)^2 from the saved input: for x << 0 "
        "e^-x is inf and inf/inf is nan",
        span(
            "activations",
            (
                "        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n",
                "        self._x = x\n        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n",
            ),
            (
                "        return grad_y * self._y * (1.0 - self._y)\n",
                "        e = np.exp(-self._x)\n        return grad_y * e / (1.0 + e) ** 2\n",
            ),
        ),
        expect=("overflow",),
        phrases=("overflow", "y (1 - y)", "y(1 - y)"),
    ),
    bug(
        "ho-sigmoid-backward-local-derivative-only",
        "activations.Sigmoid",
        "backward returns the local derivative y (1 - y) and never multiplies by grad_y",
        ("        return grad_y * self._y * (1.0 - self._y)\n", "        return self._y * (1.0 - self._y)\n"),
        expect=("ignores-upstream-gradient",),
        phrases=("upstream", "chain rule", "grad_y *"),
    ),
    bug(
        "ho-tanh-derivative-tanh-of-output",
        "activations.Tanh",
        "backward takes tanh of the saved output again: 1 - tanh(y)^2 where y is already tanh(x)",
        (
            "        return grad_y * (1.0 - self._y * self._y)\n",
            "        return grad_y * (1.0 - np.tanh(self._y) ** 2)\n",
        ),
        expect=("derivative-at-output",),
        phrases=("tanh(y)", "tanh twice", "tanh again", "tanh of the output"),
    ),
    bug(
        "ho-relu-backward-zeroes-only-negatives",
        "activations.ReLU",
        "backward copies grad_y and zeroes the entries with x < 0: at x = 0 the gradient passes (ReLU'(0) = 1)",
        span(
            "activations",
            ("        self._mask = x > 0\n", "        self._mask = x > 0\n        self._x = x\n"),
            (
                "        return np.where(self._mask, grad_y, 0.0)\n",
                "        grad_x = grad_y.copy()\n        grad_x[self._x < 0] = 0.0\n        return grad_x\n",
            ),
        ),
        expect=("kink-derivative",),
        phrases=("kink", "x = 0", "x == 0", "relu'(0)"),
    ),
    bug(
        "ho-relu-backward-relu-of-gradient",
        "activations.ReLU",
        "backward applies ReLU to the upstream gradient (max(grad_y, 0)) instead of masking by x > 0",
        ("        return np.where(self._mask, grad_y, 0.0)\n", "        return np.maximum(grad_y, 0.0)\n"),
        expect=("mask-from-upstream",),
        phrases=("sign of grad_y", "grad_y > 0", "sign of the upstream", "relu of the gradient", "mask by the input"),
    ),
    bug(
        "ho-leakyrelu-negative-derivative-is-slope-times-x",
        "activations.LeakyReLU",
        "backward's negative branch multiplies grad_y by slope * x, the function's value, not its derivative slope",
        (
            "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
            "        return np.where(self._x > 0, grad_y, self.negative_slope * self._x * grad_y)\n",
        ),
        expect=("derivative-is-output",),
        phrases=("slope * x", "the function itself", "function instead of its derivative", "value of the function"),
    ),
    bug(
        "ho-elu-forward-without-minus-one",
        "activations.ELU",
        "forward's negative branch is alpha e^x: the - 1 of alpha (e^x - 1) is forgotten, so ELU jumps at 0",
        (
            "        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
            "        return np.where(x > 0, x, self.alpha * np.exp(np.minimum(x, 0.0)))\n",
        ),
        expect=("branch-constant",),
        phrases=("e^x - 1", "expm1", "- 1)", "continuous", "jumps"),
    ),
    bug(
        "ho-softmax-shifts-by-mean",
        "activations.Softmax",
        "subtracts the mean instead of the maximum: exponents above 709 still overflow for wide logits",
        (
            "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n",
            "        e = np.exp(x - np.mean(x, axis=self.dim, keepdims=True))\n",
        ),
        expect=("overflow",),
        phrases=("maximum", "overflow"),
    ),
    bug(
        "ho-softmax-backward-jacobian-of-whole-batch",
        "activations.Softmax",
        "backward builds one Jacobian diag(y) - y y^T of the flattened batch: cross-terms couple every entry "
        "with every other sample's, not only within its own row",
        (
            "        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))\n",
            "        flat = y.reshape(-1)\n        jacobian = np.diag(flat) - np.outer(flat, flat)\n"
            "        return (jacobian @ grad_y.reshape(-1)).reshape(y.shape)\n",
        ),
        expect=("reduction-over-whole-array",),
        phrases=("each row", "per row", "other samples", "across samples", "whole batch", "separately"),
    ),
    bug(
        "ho-softmax-backward-no-cross-term",
        "activations.Softmax",
        "backward is grad_y * y, as if each output depended on its own logit only (no cross-term)",
        (
            "        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))\n",
            "        return grad_y * y\n",
        ),
        expect=("softmax-diagonal-only", "softmax-sum-term-missing"),
        phrases=("cross-term", "cross term", "off-diagonal", "jacobian"),
    ),
    bug(
        "ho-logsoftmax-backward-log-probabilities",
        "activations.LogSoftmax",
        "backward weights the sum by the output y (log-probabilities) where p = exp(y) belongs",
        span(
            "activations",
            (
                "        self._p = np.exp(y)\n        return y\n",
                "        self._p = np.exp(y)\n        self._y = y\n        return y\n",
            ),
            (
                "        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
                "        return grad_y - self._y * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
            ),
        ),
        expect=("logsoftmax-used-log-probabilities",),
        phrases=("exp(y)", "e^y", "log-probabilities instead", "probabilities, not"),
    ),
    bug(
        "ho-prelu-slope-grad-from-positive-entries",
        "activations.PReLU",
        "the slope gradient sums grad_y * x over the positive entries, the branch the slope does not touch",
        (
            "        contribution = np.where(negative, grad_y * self._x, 0.0)\n",
            "        contribution = np.where(negative, 0.0, grad_y * self._x)\n",
        ),
        expect=("branches-swapped",),
        phrases=("x <= 0", "negative entries", "wrong branch", "positive entries"),
    ),
    bug(
        "ho-gelu-density-unnormalised",
        "activations.GELU",
        "the normal density in the derivative is e^{-x^2/2} without its 1/sqrt(2 pi)",
        ("        pdf = INV_SQRT_2PI * np.exp(-0.5 * xc * xc)\n", "        pdf = np.exp(-0.5 * xc * xc)\n"),
        # added after reading output (tag-vocabulary audit): gelu-pdf-unnormalised
        expect=("gelu-pdf-unnormalised",),
        phrases=("sqrt(2 pi)", "sqrt(2π)", "sqrt(2*pi)", "1/sqrt(2", "normalising constant", "normalizing constant"),
    ),
    bug(
        "ho-silu-backward-x-dropped",
        "activations.SiLU",
        "the derivative written s + s (1 - s): the x of the product rule's x s (1 - s) is dropped",
        ("        return grad_y * (s + self._x * s * (1.0 - s))\n", "        return grad_y * (s + s * (1.0 - s))\n"),
        expect=("product-rule-x-dropped",),
        phrases=("product rule", "x s (1 - s)", "x * s * (1 - s)"),
    ),
    bug(
        "ho-softplus-not-divided-by-beta",
        "activations.Softplus",
        "forward computes log(1 + e^(beta x)) without the final division by beta",
        (
            "        soft = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / self.beta\n",
            "        soft = np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))\n",
        ),
        # added after reading output (tag-vocabulary audit): softplus-not-divided-by-beta
        expect=("softplus-not-divided-by-beta",),
        phrases=("/ beta", "divide by beta", "divided by beta", "1/beta"),
    ),
    bug(
        "ho-maxout-weight-grad-assigned",
        "activations.Maxout",
        "the weight gradient is assigned (=) instead of accumulated (+=)",
        (
            '        self.weight.grad += np.einsum("nkj,nd->kjd", grad_z, self._x)\n',
            '        self.weight.grad = np.einsum("nkj,nd->kjd", grad_z, self._x)\n',
        ),
        expect=("grad-overwritten",),
        phrases=("+=", "accumulat"),
    ),
]
