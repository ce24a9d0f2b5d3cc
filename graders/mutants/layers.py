"""Mutants of the reference layers: realistic student bugs (see __init__).

BatchNorm1d and BatchNorm2d share one base class in the reference; a bug written into
it would break both. A student who wrote the two classes separately has the bug in one
of them only, so the BatchNorm mutants give that class its own (buggy) copy of the
shared method and leave the other one correct.
"""

from . import Mutant, reference_folder
from .activations import span

_BN_LAYOUT = {"layers.BatchNorm1d": "(N, C) or (N, C, L)", "layers.BatchNorm2d": "(N, C, H, W)"}


def _bn(component: str, method: str, *edits: tuple[str, str]) -> tuple[str, str]:
    """``component`` gets its own copy of ``_BatchNorm.<method>`` with ``edits`` applied."""
    text = (reference_folder() / "layers.py").read_text(encoding="utf-8")
    start = text.index(f"    def {method}(self", text.index("class _BatchNorm("))
    body = text[start : text.index("\n    def ", start + 1) + 1]
    for old, new in edits:
        if body.count(old) != 1:
            raise ValueError(f"BatchNorm edit: {old!r} occurs {body.count(old)} times in {method}")
        body = body.replace(old, new)
    anchor = f'    _layout = "{_BN_LAYOUT[component]}"\n'
    return anchor, anchor + "\n" + body


def _bn_mutants(component: str, short: str) -> list[Mutant]:
    """The BatchNorm mistakes, for one of the two classes."""
    c = component
    return [
        Mutant(
            f"{short}-unbiased-variance",
            c,
            "Training normalises with the unbiased variance (ddof=1); PyTorch normalises with the "
            "biased one and only stores the unbiased one.",
            *_bn(c, "forward", ("var = x.var(axis=axes)", "var = x.var(axis=axes, ddof=1)")),
            ("bn-unbiased-variance",),
        ),
        Mutant(
            f"{short}-batch-stats-in-eval",
            c,
            "Eval mode still normalises with the batch's own mean and variance.",
            *_bn(
                c,
                "forward",
                (
                    "        if self.training:\n            mean = x.mean(axis=axes)",
                    "        if True:\n            mean = x.mean(axis=axes)",
                ),
            ),
            # The training branch in eval also updates the buffers: two names of one mistake.
            ("bn-batch-stats-in-eval", "bn-updates-in-eval"),
        ),
        Mutant(
            f"{short}-momentum-swapped",
            c,
            "The running averages weight the old value by momentum and the batch by 1 - momentum.",
            *_bn(
                c,
                "forward",
                (
                    "            self.running_mean *= 1.0 - m\n",
                    "            self.running_mean *= m\n",
                ),
                (
                    "            self.running_mean += m * mean\n",
                    "            self.running_mean += (1.0 - m) * mean\n",
                ),
                (
                    "            self.running_var *= 1.0 - m\n",
                    "            self.running_var *= m\n",
                ),
                (
                    "            self.running_var += m * var",
                    "            self.running_var += (1.0 - m) * var",
                ),
            ),
            ("bn-momentum-swapped",),
        ),
        Mutant(
            f"{short}-running-var-biased",
            c,
            "running_var stores the biased batch variance (PyTorch stores the unbiased one).",
            *_bn(
                c,
                "forward",
                (
                    "self.running_var += m * var * (count / (count - 1))",
                    "self.running_var += m * var",
                ),
            ),
            ("bn-biased-running-var",),
        ),
        Mutant(
            f"{short}-backward-constant-statistics",
            c,
            "Backward treats the batch mean and variance as constants: grad_x = g * gamma / std.",
            *_bn(c, "backward", ("        if self._batch_stats:\n", "        if False:\n")),
            ("bn-constant-statistics",),
        ),
        Mutant(
            f"{short}-modifies-input",
            c,
            "Forward centres the input in place (x -= mean), changing the caller's array.",
            *_bn(
                c,
                "forward",
                (
                    "        self._x_hat = (x - mean.reshape(shape)) * self._inv_std\n",
                    "        x -= mean.reshape(shape)\n        self._x_hat = x * self._inv_std\n",
                ),
            ),
            ("modifies-input",),
        ),
    ]


MUTANTS: list[Mutant] = [
    # ------------------------------------------------------------------ Linear
    Mutant(
        "linear-weight-grad-transposed",
        "layers.Linear",
        "The weight gradient computed as x.T @ grad_y (shape (in, out)), reshaped to fit weight.",
        "        self.weight.grad += grad_y.T @ self._x\n",
        "        self.weight.grad += (self._x.T @ grad_y).reshape(self.weight.data.shape)\n",
        ("transposed",),
    ),
    Mutant(
        "linear-weight-grad-divided-by-n",
        "layers.Linear",
        "The weight gradient is averaged over the batch (divided by N) instead of summed.",
        "        self.weight.grad += grad_y.T @ self._x\n",
        "        self.weight.grad += grad_y.T @ self._x / len(grad_y)\n",
        ("divided-by-batch-size",),
    ),
    Mutant(
        "linear-weight-grad-overwritten",
        "layers.Linear",
        "The weight gradient is assigned (=), not accumulated (+=).",
        "        self.weight.grad += grad_y.T @ self._x\n",
        "        self.weight.grad = grad_y.T @ self._x\n",
        ("grad-overwritten",),
    ),
    Mutant(
        "linear-bias-grad-mean",
        "layers.Linear",
        "The bias gradient is the mean of grad_y over the batch instead of the sum.",
        "            self.bias.grad += grad_y.sum(axis=0)\n",
        "            self.bias.grad += grad_y.mean(axis=0)\n",
        ("bias-mean-not-sum",),
    ),
    Mutant(
        "linear-bias-grad-not-summed",
        "layers.Linear",
        "The bias gradient is grad_y itself, one row per sample, never summed over the batch.",
        "            self.bias.grad += grad_y.sum(axis=0)\n",
        "            self.bias.grad = self.bias.grad + grad_y\n",
        ("not-summed-over-batch",),
    ),
    Mutant(
        "linear-grad-x-uses-w-transposed",
        "layers.Linear",
        "The input gradient computed as grad_y @ W.T (it is grad_y @ W, W being (out, in)).",
        "        grad_x = grad_y @ self.weight.data\n",
        "        grad_x = grad_y @ self.weight.data.T\n",
        ("linear-grad-x-uses-w-transposed",),
    ),
    Mutant(
        "linear-forward-forgets-bias",
        "layers.Linear",
        "Forward never adds the bias (backward still computes its gradient).",
        "            y += self.bias.data\n",
        "            pass\n",
        ("bias-not-added", "parameter-not-used"),
    ),
    # ------------------------------------------------------------------ Conv2d
    Mutant(
        "conv-flipped-kernel",
        "layers.Conv2d",
        "Forward flips the kernel (a true convolution); PyTorch's Conv2d is a cross-correlation.",
        "        y = self.weight.data.reshape(self.out_channels, -1) @ self._cols\n",
        "        y = self.weight.data[:, :, ::-1, ::-1].reshape(self.out_channels, -1) @ self._cols\n",
        ("flipped-kernel",),
    ),
    Mutant(
        "conv-input-copied-as-int",
        "layers.Conv2d",
        "The input is copied into the padded buffer as x.astype(int): every value loses its fraction.",
        "        xp[:, :, pH:pH + H, pW:pW + W] = x\n",
        "        xp[:, :, pH:pH + H, pW:pW + W] = x.astype(int)\n",
        ("integer-buffer-truncates",),
    ),
    Mutant(
        "conv-backward-ignores-stride",
        "layers.Conv2d",
        "Backward scatters each window's gradient as if the stride were 1.",
        "                window = windows[:, i, j]\n                window += dcols[:, i, j]\n",
        "                patch = dcols[:, i, j, :, :, :Wo].transpose(1, 0, 2, 3)\n"
        "                grad_xp[:, :, i:i + Ho, j:j + Wo] += patch\n",
        ("conv-backward-ignores-stride",),
    ),
    Mutant(
        "conv-backward-padding-offset",
        "layers.Conv2d",
        "Backward crops the padded gradient from (0, 0) instead of removing the padding on each side.",
        "        grad_x = grad_xp[:, :, pH:pH + H, pW:pW + W]\n",
        "        grad_x = grad_xp[:, :, :H, :W]\n",
        ("conv-backward-ignores-padding",),
    ),
    Mutant(
        "conv-output-size-off-by-one",
        "layers.Conv2d",
        "The output size is (H + 2p - k) // s, without the + 1.",
        "        Ho, Wo = _output_side(H, kH, sH, pH), _output_side(W, kW, sW, pW)\n",
        "        Ho, Wo = (H + 2 * pH - kH) // sH, (W + 2 * pW - kW) // sW\n",
        # added after reading output (tag-vocabulary audit): output-size-ambiguous
        ("output-size-missing-plus-one", "output-size-ambiguous"),
    ),
    Mutant(
        "conv-bias-grad-mean",
        "layers.Conv2d",
        "The bias gradient averages grad_y over the batch and positions instead of summing.",
        "            self.bias.grad += G.sum(axis=1)\n",
        "            self.bias.grad += grad_y.mean(axis=(0, 2, 3))\n",
        ("bias-mean-not-sum",),
    ),
    Mutant(
        "conv-weight-grad-transposed",
        "layers.Conv2d",
        "The weight gradient computed as cols @ G.T (the transpose), reshaped to fit weight.",
        "        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape)\n",
        "        self.weight.grad += (self._cols @ G.T).reshape(self.weight.shape)\n",
        ("transposed",),
    ),
    Mutant(
        "conv-weight-grad-overwritten",
        "layers.Conv2d",
        "The weight gradient is assigned (=), not accumulated (+=).",
        "        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape)\n",
        "        self.weight.grad = (G @ self._cols.T).reshape(self.weight.shape)\n",
        ("grad-overwritten",),
    ),
    # ------------------------------------------------------------------ MaxPool2d
    Mutant(
        "maxpool-grad-to-every-max",
        "layers.MaxPool2d",
        "Backward sends a window's gradient to every entry equal to its maximum (all of them on a tie).",
        *span(
            "layers",
            (
                "        y = np.take_along_axis(windows, self._argmax[..., None], axis=-1)[..., 0]\n",
                "        y = np.take_along_axis(windows, self._argmax[..., None], axis=-1)[..., 0]\n"
                "        self._x, self._y = x, y\n",
            ),
            (
                "                won = self._argmax == i * kW + j\n",
                "                won = self._x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] == self._y\n",
            ),
        ),
        ("maxpool-grad-to-every-max",),
    ),
    Mutant(
        "maxpool-tie-split",
        "layers.MaxPool2d",
        "Backward shares a window's gradient equally among its tied maximal entries.",
        *span(
            "layers",
            (
                "        y = np.take_along_axis(windows, self._argmax[..., None], axis=-1)[..., 0]\n",
                "        y = np.take_along_axis(windows, self._argmax[..., None], axis=-1)[..., 0]\n"
                "        self._x, self._y = x, y\n        self._ties = (windows == y[..., None]).sum(axis=-1)\n",
            ),
            (
                "                won = self._argmax == i * kW + j\n",
                "                won = self._x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] == self._y\n",
            ),
            (
                "np.where(won, grad_y, 0.0)\n",
                "np.where(won, grad_y / self._ties, 0.0)\n",
            ),
        ),
        ("tie-gradient-split",),
    ),
    Mutant(
        "maxpool-grad-to-whole-window",
        "layers.MaxPool2d",
        "Backward sends a window's gradient to every entry of the window, not only the maximum.",
        "                won = self._argmax == i * kW + j\n",
        "                won = np.ones(self._argmax.shape, dtype=bool)\n",
        ("maxpool-grad-to-whole-window",),
    ),
    Mutant(
        "maxpool-backward-ignores-stride",
        "layers.MaxPool2d",
        "Backward places each window's gradient as if the stride were 1.",
        "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
        "                grad_x[:, :, i:i + Ho, j:j + Wo] += np.where(won, grad_y, 0.0)\n",
        ("pool-backward-ignores-stride",),
    ),
    Mutant(
        "maxpool-overlap-overwritten",
        "layers.MaxPool2d",
        "Backward assigns (=) each window's gradient, so overlapping windows overwrite each other.",
        "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
        "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] = np.where(won, grad_y, 0.0)\n",
        ("overlap-overwritten",),
    ),
    # ------------------------------------------------------------------ AvgPool2d
    Mutant(
        "avgpool-backward-not-divided",
        "layers.AvgPool2d",
        "Backward gives every entry of a window the whole grad_y (forgets the 1/(kH*kW)).",
        "        share = grad_y / (kH * kW)\n",
        "        share = grad_y\n",
        # A square window's numbers are also `/ kH * kW`'s: there the class both share is named, a wrong divisor.
        ("avgpool-not-divided", "avgpool-divisor"),
    ),
    Mutant(
        "avgpool-backward-size-without-stride",
        "layers.AvgPool2d",
        "Backward recomputes the number of windows as H - kH + 1, the count at stride 1: too many for a larger stride.",
        "        share = grad_y / (kH * kW)\n        grad_x = np.zeros(self._x_shape)\n",
        "        share = grad_y / (kH * kW)\n        grad_x = np.zeros(self._x_shape)\n"
        "        Ho, Wo = self._x_shape[2] - kH + 1, self._x_shape[3] - kW + 1\n",
        ("output-size-formula",),
    ),
    Mutant(
        "avgpool-forward-sum",
        "layers.AvgPool2d",
        "Forward sums each window instead of averaging it.",
        "        y = windows.mean(axis=(4, 5))\n",
        "        y = windows.sum(axis=(4, 5))\n",
        ("avgpool-sum-not-mean", "avgpool-divisor"),  # (a square window: a wrong divisor, as above)
    ),
    Mutant(
        "avgpool-backward-ignores-stride",
        "layers.AvgPool2d",
        "Backward places each window's gradient as if the stride were 1.",
        "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
        "                grad_x[:, :, i:i + Ho, j:j + Wo] += share\n",
        ("pool-backward-ignores-stride",),
    ),
    Mutant(
        "avgpool-divided-by-kh-squared",
        "layers.AvgPool2d",
        "Backward divides by kH * kH: right for square windows only.",
        "        share = grad_y / (kH * kW)\n",
        "        share = grad_y / (kH * kH)\n",
        ("square-only-index",),
    ),
    # ------------------------------------------------------------------ Flatten
    Mutant(
        "flatten-column-major",
        "layers.Flatten",
        "Flatten reshapes in column-major (Fortran) order, forward and backward.",
        *span(
            "layers",
            (
                "        y = x.reshape(self._y_shape)\n",
                '        y = x.reshape(self._y_shape, order="F")\n',
            ),
            (
                "        grad_x = grad_y.reshape(self._x_shape)\n",
                '        grad_x = grad_y.reshape(self._x_shape, order="F")\n',
            ),
        ),
        ("flatten-column-major",),
    ),
    Mutant(
        "flatten-backward-no-reshape",
        "layers.Flatten",
        "Backward returns grad_y as it is, flat, instead of reshaping it to the input's shape.",
        "        grad_x = grad_y.reshape(self._x_shape)\n",
        "        grad_x = grad_y\n",
        ("flatten-backward-not-reshaped",),
    ),
    Mutant(
        "flatten-channels-last",
        "layers.Flatten",
        "Forward flattens channels-last (as Keras does), backward reshapes back row-major.",
        "        y = x.reshape(self._y_shape)\n",
        "        y = np.moveaxis(x, 1, -1).reshape(self._y_shape)\n",
        ("flatten-channels-last",),
    ),
    # ------------------------------------------------------------------ Dropout
    Mutant(
        "dropout-not-rescaled",
        "layers.Dropout",
        "Kept entries are not divided by 1 - p (plain, not inverted, dropout).",
        "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n",
        "            scale = 1.0\n",
        ("dropout-not-rescaled",),
    ),
    Mutant(
        "dropout-active-in-eval",
        "layers.Dropout",
        "Dropout also drops entries in eval mode.",
        "        if self.training:\n            keep = self.rng.random(x.shape) >= self.p",
        "        if True:\n            keep = self.rng.random(x.shape) >= self.p",
        ("dropout-active-in-eval",),
    ),
    Mutant(
        "dropout-new-mask-in-backward",
        "layers.Dropout",
        "Backward draws a fresh random mask instead of reusing the forward one.",
        "        grad_x = grad_y if self._mask is None else grad_y * self._mask\n",
        "        fresh = (self.rng.random(grad_y.shape) >= self.p) / (1.0 - self.p)\n"
        "        grad_x = grad_y if self._mask is None else grad_y * fresh\n",
        # Its fresh mask's 1 / (1 - p) also divides by zero at p = 1: a second, true diagnosis.
        # added after reading output (tag-vocabulary audit): backward-not-repeatable
        ("dropout-new-mask-in-backward", "dropout-divides-by-zero-at-p-one", "backward-not-repeatable"),
    ),
    Mutant(
        "dropout-p-is-keep",
        "layers.Dropout",
        "p is used as the probability to keep an entry (and the kept ones divided by p).",
        "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n"
        "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n",
        "            keep = self.rng.random(x.shape) < self.p\n            scale = 1.0 / self.p\n",
        ("dropout-p-is-keep", "dropout-divided-by-p"),  # both halves of one mistake
    ),
    Mutant(
        "dropout-backward-not-rescaled",
        "layers.Dropout",
        "Backward reuses the mask's zeros but forgets its 1/(1-p) scale.",
        "        grad_x = grad_y if self._mask is None else grad_y * self._mask\n",
        "        grad_x = grad_y if self._mask is None else grad_y * (self._mask != 0)\n",
        ("dropout-backward-not-rescaled",),
    ),
    Mutant(
        "dropout-modifies-input",
        "layers.Dropout",
        "Forward multiplies the input by the mask in place (x *= mask).",
        "            y = x * self._mask\n",
        "            x *= self._mask\n            y = x\n",
        ("modifies-input",),
    ),
    # A value derived from p stored back into self.p: the first call is right, each next one starts from the last
    # one's result (the names: "hyperparameter-overwritten", as optimizers' self.lr; the state it leaves behind).
    Mutant(
        "dropout-scale-stored-in-p",
        "layers.Dropout",
        "forward reuses self.p to hold the scale 1/(1-p) once the mask is drawn, so the next call masks with the scale",
        "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n"
        "            self._mask = keep * scale\n",
        "            self.p = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p now holds the scale\n"
        "            self._mask = keep * self.p\n",
        ("hyperparameter-overwritten", "state-kept-between-calls"),
    ),
    Mutant(
        "dropout-p-annealed-every-call",
        "layers.Dropout",
        "forward halves self.p after every mask, meant as a schedule that drops less as training goes on",
        "            self._mask = keep * scale\n",
        "            self._mask = keep * scale\n            self.p = self.p * 0.5  # anneal the rate\n",
        ("hyperparameter-overwritten", "state-kept-between-calls"),
    ),
    Mutant(
        "dropout-scale-kept-from-last-call",
        "layers.Dropout",
        "forward keeps the scale in self._scale and computes it from the last call's value, so it compounds: "
        "1/(1-p) at the first call, 1/(1-p)^2 at the second",
        "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n",
        "            self._scale = 0.0 if self.p == 1.0 else getattr(self, '_scale', 1.0) / (1.0 - self.p)\n"
        "            scale = self._scale\n",
        ("state-kept-between-calls",),
    ),
    # ------------------------------------------------------------------ BatchNorm
    *_bn_mutants("layers.BatchNorm1d", "bn1d"),
    Mutant(
        "bn1d-no-affine",
        "layers.BatchNorm1d",
        "Forward returns x_hat: the scale weight and shift bias are never applied.",
        *_bn(
            "layers.BatchNorm1d",
            "forward",
            (
                "        y = self._x_hat * self.weight.data.reshape(shape) + self.bias.data.reshape(shape)\n",
                "        y = self._x_hat\n",
            ),
        ),
        ("bn-no-affine", "parameter-not-used"),
    ),
    Mutant(
        "bn1d-variance-one-pass",
        "layers.BatchNorm1d",
        "the variance is np.mean(x**2) - mean**2: right algebraically, but it cancels its digits for a large mean",
        *_bn(
            "layers.BatchNorm1d",
            "forward",
            (
                "var = x.var(axis=axes)",
                "var = np.mean(x**2, axis=axes) - mean**2",
            ),
        ),
        ("catastrophic-cancellation",),
    ),
    Mutant(
        "bn1d-affine-indexed-for-images",
        "layers.BatchNorm1d",
        "the scale and shift are indexed [None, :, None, None], the layout of an image batch, whatever the input",
        *_bn(
            "layers.BatchNorm1d",
            "forward",
            (
                "        y = self._x_hat * self.weight.data.reshape(shape) + self.bias.data.reshape(shape)\n",
                "        y = self._x_hat * self.weight.data[None, :, None, None]"
                " + self.bias.data[None, :, None, None]\n",
            ),
        ),
        ("fixed-number-of-axes",),
    ),
    *_bn_mutants("layers.BatchNorm2d", "bn2d"),
    Mutant(
        "bn2d-affine-not-reshaped",
        "layers.BatchNorm2d",
        "the scale and shift (C,) multiply (N, C, H, W) without a reshape: numpy lines them up with W",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            (
                "y = self._x_hat * self.weight.data.reshape(shape) + self.bias.data.reshape(shape)",
                "y = self._x_hat * self.weight.data + self.bias.data",
            ),
        ),
        ("broadcast-wrong-axis",),
    ),
    Mutant(
        "bn2d-no-eps",
        "layers.BatchNorm2d",
        "Forward divides by sqrt(var) without adding eps.",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            (
                "        self._inv_std = (1.0 / np.sqrt(var + self.eps)).reshape(shape)\n",
                "        self._inv_std = (1.0 / np.sqrt(var)).reshape(shape)\n",
            ),
        ),
        ("bn-no-eps",),
    ),
    # The Bessel correction n/(n-1) of running_var misapplied (another n, the running average, the mean), and
    # backward's and forward's factors and terms left out or with the wrong sign (checks/batchnorm_mistakes.py).
    Mutant(
        "bn1d-bessel-uses-batch-size",
        "layers.BatchNorm1d",
        "running_var's correction is N/(N-1) with N = x.shape[0], the batch size, not the values per channel.",
        *_bn(
            "layers.BatchNorm1d",
            "forward",
            ("m * var * (count / (count - 1))", "m * var * (x.shape[0] / (x.shape[0] - 1))"),
        ),
        ("bn-biased-running-var",),
    ),
    Mutant(
        "bn1d-bessel-on-running-mean",
        "layers.BatchNorm1d",
        "running_mean is updated with the batch mean times count / (count - 1), as the variance is.",
        *_bn(
            "layers.BatchNorm1d",
            "forward",
            (
                "            self.running_mean += m * mean\n",
                "            self.running_mean += m * mean * count / (count - 1)\n",
            ),
        ),
        ("bn-bessel-on-mean",),
    ),
    Mutant(
        "bn2d-bessel-on-running-average",
        "layers.BatchNorm2d",
        "The biased variance is averaged into running_var, and then the whole buffer is scaled by count / (count - 1).",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            (
                "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                "            self.running_var += m * var\n            self.running_var *= count / (count - 1)\n",
            ),
        ),
        ("bn-biased-running-var",),
    ),
    Mutant(
        "bn2d-bessel-count-width-squared",
        "layers.BatchNorm2d",
        "running_var's correction counts the values per channel as N * W * W (images taken as square), not N * H * W.",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            (
                "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                "            side = x.shape[-1]  # the images are side x side\n"
                "            self.running_var += m * var * (x.shape[0] * side**2) / (x.shape[0] * side**2 - 1)\n",
            ),
        ),
        ("bn-biased-running-var", "square-only-index"),
    ),
    Mutant(
        "bn2d-running-mean-decay-precedence",
        "layers.BatchNorm2d",
        "running_mean is updated as 1 - m * running_mean + m * mean: the decay factor (1 - m) lost its parentheses.",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            (
                "            self.running_mean *= 1.0 - m\n            self.running_mean += m * mean\n",
                "            self.running_mean = 1.0 - m * self.running_mean + m * mean\n",
            ),
        ),
        ("precedence", "operator-precedence"),
    ),
    Mutant(
        "bn2d-normalises-by-std-as-variance",
        "layers.BatchNorm2d",
        # Not x.std() for x.var() itself: set C holds that edit apart (hc-bn2d-std-where-variance-belongs).
        "the normalisation takes sqrt(std + eps): the variance goes through a square root once too often",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            (
                "        self._inv_std = (1.0 / np.sqrt(var + self.eps)).reshape(shape)\n",
                "        self._inv_std = (1.0 / np.sqrt(np.sqrt(var) + self.eps)).reshape(shape)\n",
            ),
        ),
        ("bn-std-for-variance",),
    ),
    Mutant(
        "bn1d-running-var-starts-at-zeros",
        "layers.BatchNorm1d",
        "running_var is initialised with zeros, like running_mean.",
        f'    _layout = "{_BN_LAYOUT["layers.BatchNorm1d"]}"\n',
        f'    _layout = "{_BN_LAYOUT["layers.BatchNorm1d"]}"\n\n'
        "    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1) -> None:\n"
        "        super().__init__(num_features, eps, momentum)\n"
        "        self.running_var = np.zeros(self.num_features)\n",
        ("bn-buffer-initial-value",),
    ),
    Mutant(
        "bn2d-backward-means-over-batch-size",
        "layers.BatchNorm2d",
        "Backward's two means divide their sums by len(grad_y), the batch size, not by N * H * W.",
        *_bn(
            "layers.BatchNorm2d",
            "backward",
            (
                "                - grad_x_hat.mean(axis=axes, keepdims=True)\n"
                "                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)\n",
                "                - grad_x_hat.sum(axis=axes, keepdims=True) / len(grad_y)\n"
                "                - self._x_hat * (grad_x_hat * self._x_hat).sum(axis=axes, keepdims=True)"
                " / len(grad_y)\n",
            ),
        ),
        ("bn-sum-not-mean",),
    ),
    Mutant(
        "bn2d-running-mean-adds-whole-mean",
        "layers.BatchNorm2d",
        "running_mean is scaled by 1 - momentum and then the whole batch mean is added, not momentum times it.",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            ("            self.running_mean += m * mean\n", "            self.running_mean += mean\n"),
        ),
        ("bn-momentum-complement-missing",),
    ),
    Mutant(
        "bn1d-variance-of-uncentred-input",
        "layers.BatchNorm1d",
        "var = np.mean(x * x, axis=axes): the mean is not subtracted before squaring.",
        *_bn(
            "layers.BatchNorm1d",
            "forward",
            (
                "            var = x.var(axis=axes)  # biased (divides by count): what normalises this batch\n",
                "            var = np.mean(x * x, axis=axes)\n",
            ),
        ),
        ("bn-variance-not-centred",),
    ),
    Mutant(
        "bn2d-backward-without-inv-std",
        "layers.BatchNorm2d",
        "Backward forgets the factor 1 / sqrt(var + eps) in front of the input gradient.",
        *_bn(
            "layers.BatchNorm2d", "backward", ("            grad_x = self._inv_std * (\n", "            grad_x = (\n")
        ),
        ("bn-backward-missing-inv-std",),
    ),
    Mutant(
        "bn1d-backward-adds-mean-term",
        "layers.BatchNorm1d",
        "Backward adds the mean of grad_x_hat where it subtracts it.",
        *_bn(
            "layers.BatchNorm1d",
            "backward",
            (
                "                - grad_x_hat.mean(axis=axes, keepdims=True)\n",
                "                + grad_x_hat.mean(axis=axes, keepdims=True)\n",
            ),
        ),
        ("bn-backward-term-sign",),
    ),
    Mutant(
        "bn1d-centres-without-scaling",
        "layers.BatchNorm1d",
        "x_hat = x - mean: the batch is centred but not divided by its standard deviation.",
        *_bn(
            "layers.BatchNorm1d",
            "forward",
            (
                "        self._x_hat = (x - mean.reshape(shape)) * self._inv_std\n",
                "        self._x_hat = x - mean.reshape(shape)\n",
            ),
        ),
        # Its backward uses the centred x_hat too: the saved-x_hat sentence names the same mistake from there.
        ("bn-std-missing", "bn-saved-centred-input"),
    ),
    Mutant(
        "bn2d-scales-without-centring",
        "layers.BatchNorm2d",
        "x_hat = x / sqrt(var + eps): the mean is never subtracted.",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            (
                "        self._x_hat = (x - mean.reshape(shape)) * self._inv_std\n",
                "        self._x_hat = x * self._inv_std\n",
            ),
        ),
        ("bn-mean-not-subtracted",),
    ),
    # Reuse: found by red-teaming (the same instance called again, two instances, backward twice, a
    # training mask or buffer update surviving into eval; graders/judging/checks/{reuse,stateful}.py).
    Mutant(
        "flatten-caches-first-shape",
        "layers.Flatten",
        "Flatten saves the input shape only on the first forward (`if not hasattr`): backward reshapes a "
        "later batch to the first one's shape.",
        "        self._x_shape = x.shape\n        y = x.reshape(self._y_shape)\n",
        '        if not hasattr(self, "_x_shape"):\n'
        "            self._x_shape = x.shape\n        y = x.reshape(self._y_shape)\n",
        ("cached-first-call",),
    ),
    Mutant(
        "flatten-backward-batch-from-first",
        "layers.Flatten",
        "Flatten keeps the first call's batch size and backward reshapes to (N_first, ...).",
        *span(
            "layers",
            (
                "        self._x_shape = x.shape\n        y = x.reshape(self._y_shape)\n",
                '        self._x_shape = x.shape\n        self._n = getattr(self, "_n", x.shape[0])\n'
                "        y = x.reshape(self._y_shape)\n",
            ),
            (
                "        grad_x = grad_y.reshape(self._x_shape)\n",
                "        grad_x = grad_y.reshape(self._n, *self._x_shape[1:])\n",
            ),
        ),
        ("cached-first-call",),
    ),
    Mutant(
        "conv-padded-buffer-allocated-once",
        "layers.Conv2d",
        "Conv2d allocates its zero-padded input buffer on the first call and reuses it: a later batch of "
        "another size (or image size) does not fit.",
        "        xp = np.zeros((N, C, H + 2 * pH, W + 2 * pW))\n",
        '        if getattr(self, "_buf", None) is None:  # allocated once, for speed\n'
        "            self._buf = np.zeros((N, C, H + 2 * pH, W + 2 * pW))\n"
        "        xp = self._buf\n",
        ("cached-first-call", "exception"),
    ),
    # The output written into an array kept on the instance and returned: each forward of the same shape
    # rewrites what the last one returned (the name: "state-kept-between-calls", numerical_gradient's too).
    Mutant(
        "conv-output-kept-in-attribute",
        "layers.Conv2d",
        "forward copies its output into self._y, allocated when the output shape changes, and returns that array: "
        "an output returned earlier changes at the next forward",
        "        y = y.reshape(self.out_channels, N, Ho, Wo).transpose(1, 0, 2, 3)  # a view\n",
        '        if getattr(self, "_y", None) is None or self._y.shape != self._y_shape:\n'
        "            self._y = np.zeros(self._y_shape)  # one array, refilled at every call\n"
        "        self._y[...] = y.reshape(self.out_channels, N, Ho, Wo).transpose(1, 0, 2, 3)\n"
        "        y = self._y\n",
        ("state-kept-between-calls",),
    ),
    Mutant(
        "linear-mutable-class-cache",
        "layers.Linear",
        "Linear keeps its input in a dict declared in the class body (`cache = {}`), shared by all Linear "
        "layers: the first layer's weight gradient uses the second layer's input.",
        *span(
            "layers",
            (
                '    with the number of inputs.\n    """\n',
                '    with the number of inputs.\n    """\n\n    cache: dict = {}  # what forward saves for backward\n',
            ),
            (
                "        self._x = x\n        y = x @ self.weight.data.T\n",
                '        self.cache["x"] = x\n        y = x @ self.weight.data.T\n',
            ),
            (
                "        self.weight.grad += grad_y.T @ self._x\n",
                '        self.weight.grad += grad_y.T @ self.cache["x"]\n',
            ),
        ),
        ("shared-class-state",),
    ),
    Mutant(
        "bn2d-count-cached",
        "layers.BatchNorm2d",
        "The number of values per channel (N*H*W, for the unbiased running variance) is saved on the first "
        "call and kept for later batches.",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            (
                "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                '            self._n = getattr(self, "_n", count)  # values per channel\n'
                "            self.running_var += m * var * (self._n / (self._n - 1))\n",
            ),
        ),
        ("cached-first-call",),
    ),
    Mutant(
        "bn1d-backward-in-place-on-x-hat",
        "layers.BatchNorm1d",
        "BatchNorm1d's backward scales the saved x_hat in place to save an allocation: a second backward "
        "(and the weight gradient) then uses a changed x_hat.",
        *_bn(
            "layers.BatchNorm1d",
            "backward",
            (
                "            grad_x = self._inv_std * (\n"
                "                grad_x_hat\n"
                "                - grad_x_hat.mean(axis=axes, keepdims=True)\n"
                "                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)\n"
                "            )\n",
                "            projection = self._x_hat\n"
                "            projection *= (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)\n"
                "            centred = grad_x_hat - grad_x_hat.mean(axis=axes, keepdims=True)\n"
                "            grad_x = self._inv_std * (centred - projection)\n",
            ),
        ),
        ("backward-mutates-saved-state",),
    ),
    Mutant(
        "bn2d-weight-grad-against-recomputed-output",
        "layers.BatchNorm2d",
        "backward rebuilds the output, out = weight * x_hat + bias, and takes gamma's gradient as sum(grad_y * "
        "out): dy/dgamma is x_hat, not y (the input gradient is right)",
        *_bn(
            "layers.BatchNorm2d",
            "backward",
            (
                "        self.weight.grad += (grad_y * self._x_hat).sum(axis=axes)\n",
                "        out = self.weight.data.reshape(shape) * self._x_hat + self.bias.data.reshape(shape)\n"
                "        self.weight.grad += np.sum(grad_y * out, axis=axes)  # y depends on gamma through out\n",
            ),
        ),
        ("bn-gamma-grad-from-output",),
    ),
    Mutant(
        "dropout-backward-in-place-on-mask",
        "layers.Dropout",
        "Dropout's backward multiplies the saved mask by grad_y in place and returns it.",
        "        grad_x = grad_y if self._mask is None else grad_y * self._mask\n",
        "        if self._mask is not None:\n            self._mask *= grad_y\n"
        "        grad_x = grad_y if self._mask is None else self._mask\n",
        ("backward-mutates-saved-state",),
    ),
    Mutant(
        "dropout-seeded-in-forward",
        "layers.Dropout",
        "Dropout creates np.random.default_rng(0) inside forward: the same mask at every call.",
        "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
        "            keep = np.random.default_rng(0).random(x.shape) >= self.p\n",
        ("dropout-same-mask-every-call",),
    ),
    Mutant(
        "dropout-mask-drawn-once",
        "layers.Dropout",
        "Dropout draws its mask at the first forward and reuses it while the shape stays the same.",
        "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
        '            if getattr(self, "_keep", None) is None or self._keep.shape != x.shape:\n'
        "                self._keep = self.rng.random(x.shape) >= self.p\n"
        "            keep = self._keep\n",
        ("dropout-same-mask-every-call",),
    ),
    Mutant(
        "dropout-mask-shared-across-batch",
        "layers.Dropout",
        "Dropout draws one mask per feature (shape x.shape[1:]) and broadcasts it over the batch.",
        "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
        "            keep = self.rng.random(x.shape[1:]) >= self.p\n",
        ("dropout-mask-shared-across-batch",),
    ),
    Mutant(
        "dropout-stale-mask-after-eval",
        "layers.Dropout",
        "An eval forward keeps the last training mask, and backward applies whatever mask is saved.",
        *span(
            "layers",
            ("            self._mask = None\n            y = x\n", "            y = x\n"),
            (
                "        grad_x = grad_y if self._mask is None else grad_y * self._mask\n",
                '        grad_x = grad_y if getattr(self, "_mask", None) is None else grad_y * self._mask\n',
            ),
        ),
        ("dropout-stale-mask",),
    ),
    *[
        Mutant(
            f"{short}-eval-updates-running-var",
            c,
            "The running-statistics update was moved after the if/else, so every eval forward also updates "
            "them with the buffers themselves: running_mean stays, running_var grows by count/(count-1).",
            *_bn(
                c,
                "forward",
                (
                    "            m = self.momentum\n"
                    "            self.running_mean *= 1.0 - m\n"
                    "            self.running_mean += m * mean\n"
                    "            self.running_var *= 1.0 - m\n"
                    "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n"
                    "        else:\n"
                    "            mean, var = self.running_mean, self.running_var\n",
                    "        else:\n"
                    "            mean, var = self.running_mean, self.running_var\n"
                    "        m = self.momentum\n"
                    "        self.running_mean = (1.0 - m) * self.running_mean + m * mean\n"
                    "        self.running_var = (1.0 - m) * self.running_var + m * var * (count / (count - 1))\n",
                ),
            ),
            ("bn-updates-in-eval",),
        )
        for c, short in (("layers.BatchNorm1d", "bn1d"), ("layers.BatchNorm2d", "bn2d"))
    ],
]

# Found by red-teaming: cases the catalogue had no input for (a window taller than 1 and
# not square; BatchNorm2d with its own eps and momentum).
MUTANTS += [
    Mutant(
        "maxpool-argmax-decoded-with-kh",
        "layers.MaxPool2d",
        "the window offset is decoded as i * kH + j instead of i * kW + j",
        "                won = self._argmax == i * kW + j\n",
        "                won = self._argmax == i * kH + j\n",
        ("square-only-index",),
    ),
    Mutant(
        "bn2d-momentum-hard-coded",
        "layers.BatchNorm2d",
        "momentum written as its default 0.1 instead of self.momentum",
        *_bn("layers.BatchNorm2d", "forward", ("m = self.momentum", "m = 0.1")),
        ("hyperparameter-ignored",),
    ),
    Mutant(
        "bn2d-eps-hard-coded",
        "layers.BatchNorm2d",
        "eps written as its default 1e-5 instead of self.eps",
        *_bn("layers.BatchNorm2d", "forward", ("var + self.eps", "var + 1e-5")),
        ("hyperparameter-ignored",),
    ),
]

# Round 2 red team: a non-contiguous input (Conv2d's output is a transposed view, so the next layer
# of a CNN gets one), dropout switched off by eval() for good, and Dropout2d's per-channel mask.
_STRIDES_FROM_SHAPE = (
    "        N, C, H, W = x.shape\n"
    "        Ho, Wo = self._y_shape[2:]\n"
    "        it = x.itemsize\n"
    "        windows = as_strided(\n"
    "            x, (N, C, Ho, Wo, kH, kW), (C * H * W * it, H * W * it, sH * W * it, sW * it, W * it, it)\n"
    "        )\n"
)
MUTANTS += [
    Mutant(
        "maxpool-strides-assume-contiguous",
        "layers.MaxPool2d",
        "The windows are an as_strided view whose strides are computed from the shape (W * itemsize, ...) "
        "instead of taken from x.strides: right for a C-contiguous input only.",
        "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
        "        windows = windows.reshape(*windows.shape[:4], kH * kW)",
        _STRIDES_FROM_SHAPE + "        windows = windows.reshape(N, C, Ho, Wo, kH * kW)",
        ("non-contiguous-input",),
    ),
    Mutant(
        "avgpool-strides-assume-contiguous",
        "layers.AvgPool2d",
        "As maxpool-strides-assume-contiguous, for average pooling.",
        "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
        "        y = windows.mean(axis=(4, 5))\n",
        _STRIDES_FROM_SHAPE + "        y = windows.mean(axis=(4, 5))\n",
        ("non-contiguous-input",),
    ),
    Mutant(
        "conv-no-pad-hand-strides",
        "layers.Conv2d",
        "Without padding the input is used as it is (no padded copy), and the window strides are computed "
        "from the shape instead of taken from xp.strides.",
        "        xp = np.zeros((N, C, H + 2 * pH, W + 2 * pW))\n"
        "        xp[:, :, pH:pH + H, pW:pW + W] = x\n"
        "        windows = self._windows(xp, Ho, Wo)",
        "        if pH == 0 and pW == 0:\n"
        "            xp = x  # nothing to pad: no copy\n"
        "        else:\n"
        "            xp = np.zeros((N, C, H + 2 * pH, W + 2 * pW))\n"
        "            xp[:, :, pH:pH + H, pW:pW + W] = x\n"
        "        sQ = xp.itemsize\n"
        "        sR = xp.shape[3] * sQ\n"
        "        sC = xp.shape[2] * sR\n"
        "        sN = xp.shape[1] * sC\n"
        "        windows = as_strided(\n"
        "            xp, (C, kH, kW, N, Ho, Wo), (sC, sR, sQ, sN, sH * sR, sW * sQ)\n"
        "        )",
        ("non-contiguous-input",),
    ),
    Mutant(
        "dropout-eval-sets-p-zero",
        "layers.Dropout",
        "eval() is overridden to switch dropout off with p = 0; the inherited train() never restores p.",
        '    def __repr__(self) -> str:\n        return f"Dropout(p={self.p})"\n',
        "    def eval(self):\n        self.training = False\n        self.p = 0.0\n        return self\n\n"
        '    def __repr__(self) -> str:\n        return f"Dropout(p={self.p})"\n',
        ("dropout-mode-not-restored",),
    ),
    Mutant(
        "dropout-per-channel-mask",
        "layers.Dropout",
        "Dropout2d's mask: one coin per (sample, channel), broadcast over the positions of an image.",
        "            keep = self.rng.random(x.shape) >= self.p",
        "            keep = self.rng.random(x.shape[:2] + (1,) * (x.ndim - 2)) >= self.p",
        ("dropout-per-channel-mask",),
    ),
]

# Round 2 red team, continued: parameters read once, a zero momentum taken as unset.
MUTANTS += [
    Mutant(
        "conv-weight-matrix-cached",
        "layers.Conv2d",
        "the reshaped weight matrix is computed at the first forward and reused ever after",
        "        y = self.weight.data.reshape(self.out_channels, -1) @ self._cols\n",
        "        if not hasattr(self, '_wmat'):\n"
        "            self._wmat = self.weight.data.reshape(self.out_channels, -1)\n"
        "        y = self._wmat @ self._cols\n",
        ("parameter-read-once",),
    ),
    Mutant(
        "bn1d-momentum-zero-taken-as-unset",
        "layers.BatchNorm1d",
        "`self.momentum or 0.1`: momentum=0 (frozen running statistics) becomes 0.1",
        *_bn("layers.BatchNorm1d", "forward", ("m = self.momentum", "m = self.momentum or 0.1")),
        # (told from momentum ignored by a non-zero momentum, which this mutant uses as given)
        ("zero-taken-as-unset", "hyperparameter-ignored"),
    ),
]

# Red team, round 3 (the release's self-checker): each also fails the checker on its own component.
MUTANTS += [
    Mutant(
        "linear-caches-output",
        "layers.Linear",
        "forward saves its output instead of its input, and backward uses it as x",
        "        self._x = x\n        y = x @ self.weight.data.T\n        if self.bias is not None:\n"
        "            y += self.bias.data\n",
        "        y = x @ self.weight.data.T\n        if self.bias is not None:\n            y += self.bias.data\n"
        "        self._x = y\n",
        ("saved-output-not-input",),
    ),
    Mutant(
        "conv-pads-one-side",
        "layers.Conv2d",
        "the input is copied to the top-left corner of the padded array: all the padding at the bottom and right",
        "        xp[:, :, pH:pH + H, pW:pW + W] = x",
        "        xp[:, :, :H, :W] = x",
        ("padding-one-side",),
    ),
    Mutant(
        "conv-col2im-assigns",
        "layers.Conv2d",
        "col2im assigns each kernel offset's columns (window[...] = ...) instead of adding them",
        "                window += dcols[:, i, j]",
        "                window[...] = dcols[:, i, j]",
        ("overlap-overwritten",),
    ),
    Mutant(
        "conv-kernel-dims-swapped-in-backward",
        "layers.Conv2d",
        "backward unpacks the column gradient as (C, kW, kH, ...) and transposes: kH and kW swapped",
        "        dcols = dcols.reshape(self.in_channels, kH, kW, N, Ho, Wo)",
        "        dcols = dcols.reshape(self.in_channels, kW, kH, N, Ho, Wo).transpose(0, 2, 1, 3, 4, 5)",
        ("kernel-offset-swapped",),
    ),
    Mutant(
        "maxpool-backward-kw-kh-swapped",
        "layers.MaxPool2d",
        "backward decodes the window offset i * kW + j as j * kH + i",
        "                won = self._argmax == i * kW + j",
        "                won = self._argmax == j * kH + i",
        ("window-offset-transposed",),
    ),
    Mutant(
        "avgpool-divided-by-stride-area",
        "layers.AvgPool2d",
        "backward divides by the stride's area sH * sW (equal to the window's only when stride = kernel)",
        "        share = grad_y / (kH * kW)",
        "        share = grad_y / (sH * sW)",
        ("avgpool-divided-by-stride-area", "avgpool-not-divided", "avgpool-divisor"),
    ),
    Mutant(
        "bn1d-stats-over-batch-only",
        "layers.BatchNorm1d",
        "statistics over axis 0 only: right for (N, C), wrong for (N, C, L) sequences",
        *_bn(
            "layers.BatchNorm1d",
            "forward",
            ("mean = x.mean(axis=axes)", "mean = x.mean(axis=0)"),
            ("var = x.var(axis=axes)", "var = x.var(axis=0)"),
        ),
        ("bn-wrong-axes",),
    ),
    Mutant(
        "bn1d-eps-outside-sqrt",
        "layers.BatchNorm1d",
        "inv_std = 1 / (sqrt(var) + eps): eps added after the square root",
        *_bn("layers.BatchNorm1d", "forward", ("(1.0 / np.sqrt(var + self.eps))", "(1.0 / (np.sqrt(var) + self.eps))")),
        ("bn-eps-outside-sqrt",),
    ),
    Mutant(
        "bn2d-eval-backward-full-formula",
        "layers.BatchNorm2d",
        "eval-mode backward still subtracts the batch-statistics terms (the running statistics are constants)",
        *_bn("layers.BatchNorm2d", "backward", ("        if self._batch_stats:\n", "        if True:\n")),
        ("bn-eval-backward-batch-terms",),
    ),
    Mutant(
        "dropout-scaled-by-1-over-p",
        "layers.Dropout",
        "the kept entries are scaled by 1/p instead of 1/(1 - p)",
        "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf",
        "            scale = 0.0 if self.p == 0.0 else 1.0 / self.p",
        # added after reading output (tag-vocabulary audit): dropout-p-zero-drops-all
        ("dropout-divided-by-p", "dropout-p-zero-drops-all"),
    ),
]

# Issue 11: the classic mistakes of the course notes and of CS231n / 11-785 student code that the
# catalogue lacked, and the gaps an audit found caught but not named.
MUTANTS += [
    Mutant(
        "conv-column-stride-ignored",
        "layers.Conv2d",
        "the windows' strides in memory step one row per sH rows but one column per output column: the "
        "column stride sW is left out, so windows overlap along the columns (forward and col2im alike)",
        "(sC, sR, sQ, sN, sH * sR, sW * sQ)",
        "(sC, sR, sQ, sN, sH * sR, sQ)",
        ("column-stride-ignored",),
    ),
    Mutant(
        "conv-unpad-negative-slice",
        "layers.Conv2d",
        "backward removes the padding with grad_xp[:, :, pH:-pH, pW:-pW], which is empty when a padding is 0",
        "        grad_x = grad_xp[:, :, pH:pH + H, pW:pW + W]\n",
        "        grad_x = grad_xp[:, :, pH:-pH, pW:-pW]\n",
        ("unpad-negative-slice",),
    ),
    Mutant(
        "maxpool-window-loop-assigns",
        "layers.MaxPool2d",
        "backward loops over the windows and assigns (=) each window's gradient to its maximum: an entry that "
        "is the maximum of two overlapping windows keeps only the last one's",
        "        for i in range(kH):\n"
        "            for j in range(kW):\n"
        "                won = self._argmax == i * kW + j\n"
        "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
        "        n, c = np.indices(self._argmax.shape[:2])\n"
        "        for p in range(Ho):\n"
        "            for q in range(Wo):\n"
        "                i, j = np.divmod(self._argmax[:, :, p, q], kW)\n"
        "                grad_x[n, c, p * sH + i, q * sW + j] = grad_y[:, :, p, q]\n",
        ("overlap-overwritten",),
    ),
    Mutant(
        "avgpool-overlap-overwritten",
        "layers.AvgPool2d",
        "backward assigns (=) each kernel offset's share instead of adding it: where windows overlap, the "
        "last offset's share replaces the others",
        "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
        "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] = share\n",
        ("overlap-overwritten",),
    ),
    Mutant(
        "avgpool-divided-by-windows",
        "layers.AvgPool2d",
        "backward divides by H'W', the number of windows, instead of by the window's area kH*kW",
        "        share = grad_y / (kH * kW)\n",
        "        share = grad_y / (Ho * Wo)\n",
        ("avgpool-divided-by-windows",),
    ),
    Mutant(
        "dropout-multiplied-by-keep-probability",
        "layers.Dropout",
        "training multiplies the kept entries by the keep probability 1 - p (as old-style dropout does at test "
        "time) instead of dividing by it",
        "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf",
        "            scale = 1.0 - self.p",
        ("dropout-multiplied-by-keep-probability",),
    ),
    Mutant(
        "bn1d-running-var-of-normalised",
        "layers.BatchNorm1d",
        "running_var is updated after normalising, with the variance of x_hat (about 1) instead of x's",
        *_bn(
            "layers.BatchNorm1d",
            "forward",
            (
                "            self.running_var *= 1.0 - m\n"
                "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                "",
            ),
            (
                "        self._x_hat = (x - mean.reshape(shape)) * self._inv_std\n",
                "        self._x_hat = (x - mean.reshape(shape)) * self._inv_std\n"
                "        if self.training:\n"
                "            self.running_var *= 1.0 - self.momentum\n"
                "            self.running_var += self.momentum * self._x_hat.var(axis=axes) * (count / (count - 1))\n",
            ),
        ),
        ("bn-running-stats-of-normalised",),
    ),
    Mutant(
        "bn2d-running-mean-not-moving",
        "layers.BatchNorm2d",
        "running_mean is replaced by each batch's mean instead of moving towards it (no average at all)",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            (
                "            self.running_mean *= 1.0 - m\n            self.running_mean += m * mean\n",
                "            self.running_mean = mean\n",
            ),
        ),
        ("bn-running-replaced-by-batch",),
    ),
    Mutant(
        "bn2d-backward-missing-mean-term",
        "layers.BatchNorm2d",
        "training backward leaves out the term for the batch mean: inv_std * (g_hat - x_hat * mean(g_hat * x_hat))",
        *_bn("layers.BatchNorm2d", "backward", ("                - grad_x_hat.mean(axis=axes, keepdims=True)\n", "")),
        ("bn-backward-missing-mean-term",),
    ),
]

# Issue 11, classes of mistake the held-apart set showed unnamed: one sample's gradient for the
# batch's, one axis's number for both, floor division on a float path, a mask from the wrong
# distribution, a factor tied to p, running statistics normalising in training.
MUTANTS += [
    Mutant(
        "linear-weight-grad-last-sample",
        "layers.Linear",
        "The weight gradient is the outer product of the last sample's grad_y and input only, as a loop over "
        "the samples that assigns instead of adding leaves it.",
        "        self.weight.grad += grad_y.T @ self._x\n",
        "        self.weight.grad += np.outer(grad_y[-1], self._x[-1])\n",
        ("gradient-from-one-sample",),
    ),
    Mutant(
        "conv-np-pad-rows-for-both",
        "layers.Conv2d",
        "The input is zero-padded with np.pad using the row padding pH on both axes.",
        "        xp = np.zeros((N, C, H + 2 * pH, W + 2 * pW))\n        xp[:, :, pH:pH + H, pW:pW + W] = x\n",
        "        xp = np.pad(x, ((0, 0), (0, 0), (pH, pH), (pH, pH)))\n",
        ("square-only-index",),
    ),
    Mutant(
        "avgpool-backward-floor-share",
        "layers.AvgPool2d",
        "Backward shares each window's gradient out with floor division, grad_y // (kH * kW).",
        "        share = grad_y / (kH * kW)\n",
        "        share = grad_y // (kH * kW)\n",
        ("rounded-values",),
    ),
    Mutant(
        "dropout-mask-from-gaussian",
        "layers.Dropout",
        "The mask keeps an entry when a Gaussian draw exceeds p (rng.normal where rng.random belongs).",
        "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
        "            keep = self.rng.normal(0.0, 1.0, x.shape) > self.p\n",
        ("dropout-mask-wrong-distribution",),
    ),
    Mutant(
        "dropout-eval-divides-by-keep",
        "layers.Dropout",
        "Evaluation divides by the keep probability 1 - p, the training scale, where it should be the identity.",
        "            self._mask = None\n            y = x\n",
        "            self._mask = None\n            y = x / (1.0 - self.p)\n",
        ("dropout-eval-scaled",),
    ),
    Mutant(
        "bn1d-train-normalises-with-old-running-stats",
        "layers.BatchNorm1d",
        "Training normalises with the running statistics as they were before this batch's update.",
        *_bn(
            "layers.BatchNorm1d",
            "forward",
            (
                "            mean = x.mean(axis=axes)\n",
                "            old_mean, old_var = self.running_mean.copy(), self.running_var.copy()\n"
                "            mean = x.mean(axis=axes)\n",
            ),
            (
                "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n"
                "            mean, var = old_mean, old_var  # the statistics known so far\n",
            ),
        ),
        ("bn-running-stats-in-training",),
    ),
]

# Issue 11, classes of mistake set B showed unnamed or misnamed: a reduction over the wrong axes (a bias
# gradient summed to one number, a pool reduced over the output positions), a slice of the padded array
# with the wrong ends, a stride taken from the other axis (which changes the output's shape); and what
# probing showed next: a keepdims left on, .grad used for .data, a product of sums, a reshape for a
# transpose, the wrong reduction of a window, one side of the window, a number written for self.p.
MUTANTS += [
    Mutant(
        "conv-bias-grad-summed-over-everything",
        "layers.Conv2d",
        "The bias gradient is grad_y.sum() with no axis: one number added to every output channel's bias.",
        "            self.bias.grad += G.sum(axis=1)\n",
        "            self.bias.grad += grad_y.sum()\n",
        ("gradient-summed-over-wrong-axes",),
    ),
    Mutant(
        "maxpool-max-over-output-rows",
        "layers.MaxPool2d",
        "Forward takes the maximum of the flat window view over axis 2, the output rows, instead of over the "
        "window (the last axis).",
        "        y = np.take_along_axis(windows, self._argmax[..., None], axis=-1)[..., 0]\n",
        "        y = windows.max(axis=2)\n",
        ("reduced-over-wrong-axes",),
    ),
    Mutant(
        "conv-unpad-keeps-trailing-padding",
        "layers.Conv2d",
        "Backward removes only the leading padding, grad_xp[:, :, pH:, pW:]: the trailing rows and columns stay.",
        "        grad_x = grad_xp[:, :, pH:pH + H, pW:pW + W]\n",
        "        grad_x = grad_xp[:, :, pH:, pW:]\n",
        ("padding-slice-bounds",),
    ),
    Mutant(
        "conv-pad-copy-ends-at-size",
        "layers.Conv2d",
        "Forward copies x into xp[:, :, pH:H, pW:W]: the slice ends at H (a length) instead of pH + H.",
        "        xp[:, :, pH:pH + H, pW:pW + W] = x\n",
        "        xp[:, :, pH:H, pW:W] = x\n",
        ("padding-slice-bounds",),
    ),
    Mutant(
        "avgpool-column-stride-for-rows",
        "layers.AvgPool2d",
        "Forward steps the rows of the window view by the column stride sW (square strides assumed).",
        "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n        y = windows.mean(",
        "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sW, ::sW]\n        y = windows.mean(",
        ("square-only-index",),
    ),
    Mutant(
        "dropout-mask-from-shared-generator",
        "layers.Dropout",
        "The mask is drawn from base.default_generator(), the shared generator, instead of the rng the layer was "
        "given (self.rng).",
        "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
        "            keep = default_generator().random(x.shape) >= self.p\n",
        ("rng-ignored",),
    ),
    Mutant(
        "conv-bias-grad-over-columns-axis",
        "layers.Conv2d",
        "The bias gradient sums G (F, N*H'*W') over axis 0, the channels, instead of axis 1, its columns.",
        "            self.bias.grad += G.sum(axis=1)\n",
        "            self.bias.grad += G.sum(axis=0)\n",
        ("gradient-summed-over-wrong-axes",),
    ),
    Mutant(
        "linear-bias-grad-keepdims",
        "layers.Linear",
        "The bias gradient keeps the summed axis: grad_y.sum(axis=0, keepdims=True) has shape (1, M), not (M,).",
        "            self.bias.grad += grad_y.sum(axis=0)\n",
        "            self.bias.grad = self.bias.grad + grad_y.sum(axis=0, keepdims=True)\n",
        ("length-one-axis",),
    ),
    Mutant(
        "linear-grad-x-uses-weight-grad",
        "layers.Linear",
        "Backward computes grad_x with the weight's gradient, grad_y @ self.weight.grad, where its value belongs.",
        "        grad_x = grad_y @ self.weight.data\n",
        "        grad_x = grad_y @ self.weight.grad\n",
        ("parameter-grad-for-data",),
    ),
    Mutant(
        "linear-weight-grad-outer-of-batch-sums",
        "layers.Linear",
        "The weight gradient is the outer product of grad_y and x each summed over the batch (a product of sums).",
        "        self.weight.grad += grad_y.T @ self._x\n",
        "        self.weight.grad += np.outer(grad_y.sum(axis=0), self._x.sum(axis=0))\n",
        ("product-of-sums",),
    ),
    Mutant(
        "linear-forward-weight-reshaped",
        "layers.Linear",
        "Forward multiplies by the weight reshaped to (in, out) instead of transposed.",
        "        y = x @ self.weight.data.T\n",
        "        y = x @ self.weight.data.reshape(self.in_features, self.out_features)\n",
        ("reshape-not-transpose",),
    ),
    Mutant(
        "maxpool-forward-argmin",
        "layers.MaxPool2d",
        "Forward picks each window's entry with argmin instead of argmax.",
        "        self._argmax = windows.argmax(axis=-1)  # the first maximum on a tie\n",
        "        self._argmax = windows.argmin(axis=-1)\n",
        ("pool-wrong-reduction",),
    ),
    Mutant(
        "avgpool-forward-divides-by-kh",
        "layers.AvgPool2d",
        "Forward divides each window's sum by kH only, one side of the window, instead of by its area kH*kW.",
        "        y = windows.mean(axis=(4, 5))\n",
        "        y = windows.sum(axis=(4, 5)) / kH\n",
        ("avgpool-divided-by-one-side",),
    ),
    Mutant(
        "dropout-scale-of-default-p",
        "layers.Dropout",
        "The kept entries are scaled by 2.0, written in the code: right for the default p = 0.5 only.",
        "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n",
        "            scale = 0.0 if self.p == 1.0 else 2.0\n",
        ("hyperparameter-ignored",),
    ),
    Mutant(
        "conv-padded-buffer-without-padding",
        "layers.Conv2d",
        "Forward allocates the padded array with the input's size, np.zeros((N, C, H, W)), and copies x into its "
        "right slice pH:pH + H: the slice is cut short wherever there is padding.",
        "        xp = np.zeros((N, C, H + 2 * pH, W + 2 * pW))\n",
        "        xp = np.zeros((N, C, H, W))\n",
        ("padded-array-too-small",),
    ),
    Mutant(
        "maxpool-grad-buffer-of-output-shape",
        "layers.MaxPool2d",
        "Backward allocates grad_x as np.zeros(grad_y.shape), the output's shape, instead of the input's.",
        "        grad_x = np.zeros(self._x_shape)\n        for i in range(kH):\n            for j in range(kW):\n"
        "                won = self._argmax",
        "        grad_x = np.zeros(grad_y.shape)\n        for i in range(kH):\n            for j in range(kW):\n"
        "                won = self._argmax",
        ("gradient-allocated-like-output",),
    ),
    Mutant(
        "avgpool-scatter-end-without-offset",
        "layers.AvgPool2d",
        "Backward's slice of kernel offset i ends at sH * Ho instead of i + sH * Ho: it holds too few rows once i > 0.",
        "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
        "                grad_x[:, :, i:sH * Ho:sH, j:sW * Wo:sW] += share\n",
        ("window-slice-bounds",),
    ),
    Mutant(
        "maxpool-scatter-steps-by-kernel",
        "layers.MaxPool2d",
        "Backward's slices step by the window size kH, kW instead of the stride (disjoint windows assumed).",
        "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
        "                grad_x[:, :, i:i + kH * Ho:kH, j:j + kW * Wo:kW] += np.where(won, grad_y, 0.0)\n",
        ("stride-is-kernel",),
    ),
    Mutant(
        "flatten-keeps-last-axis",
        "layers.Flatten",
        "Forward reshapes to (-1, last axis): every axis but the last is flattened, the batch axis with them.",
        "        y = x.reshape(self._y_shape)\n",
        "        y = x.reshape(-1, x.shape[-1])\n",
        ("flatten-batch-axis",),
    ),
]

# Crashes read from the line that raised (graders/judging/crashes.py, G6): a fixed number of axes, 1 / (1 - p)
# at p = 1, and a mask that the eval forward never saved.
MUTANTS += [
    Mutant(
        "flatten-shape-saved-on-type",
        "layers.Flatten",
        "forward saves the input shape as type(self)._x_shape: every Flatten shares the one saved last",
        "        self._x_shape = x.shape\n        y = x.reshape(self._y_shape)\n",
        "        type(self)._x_shape = x.shape\n        y = x.reshape(self._y_shape)\n",
        ("shared-class-state",),
    ),
    Mutant(
        "flatten-backward-four-fixed-axes",
        "layers.Flatten",
        "backward rebuilds the input shape from four fixed entries of the saved shape: only 4-D inputs work",
        "        grad_x = grad_y.reshape(self._x_shape)\n",
        "        grad_x = grad_y.reshape(grad_y.shape[0], self._x_shape[1], self._x_shape[2], self._x_shape[3])\n",
        ("fixed-number-of-axes",),
    ),
    Mutant(
        "dropout-scale-power-at-p-one",
        "layers.Dropout",
        "the scale is (1 - p) ** -1 for every p: at p = 1 Python raises ZeroDivisionError",
        "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n",
        "            scale = (1.0 - self.p) ** -1\n",
        ("dropout-divides-by-zero-at-p-one",),
    ),
    Mutant(
        "dropout-backward-mask-method-in-eval",
        "layers.Dropout",
        "backward converts the saved mask with .astype, but the eval forward saved None",
        "        grad_x = grad_y if self._mask is None else grad_y * self._mask\n",
        "        grad_x = grad_y * self._mask.astype(np.float64)\n",
        ("saved-none",),
    ),
]

# Issue 11, set J: classes of mistake taught from set J (layers), each by an edit of its own.
MUTANTS += [
    Mutant(
        "conv-weight-gradient-norm-clipped",
        "layers.Conv2d",
        "backward rescales the weight gradient to norm 1 when it is larger ('so that it cannot explode'): clipping "
        "by the norm belongs to training, outside the layer; backward returns the exact gradient",
        "        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape)\n",
        "        dw = (G @ self._cols.T).reshape(self.weight.shape)\n"
        "        norm = np.linalg.norm(dw)\n"
        "        if norm > 1.0:  # clip the gradient's norm at 1\n"
        "            dw = dw / norm\n"
        "        self.weight.grad += dw\n",
        ("gradient-clipped",),
    ),
    Mutant(
        "conv-reflect-padding",
        "layers.Conv2d",
        'forward pads by reflection, np.pad(x, ..., "reflect") (mirroring the image at its edges): Conv2d pads '
        "with zeros",
        "        xp = np.zeros((N, C, H + 2 * pH, W + 2 * pW))\n        xp[:, :, pH:pH + H, pW:pW + W] = x\n",
        '        xp = np.pad(x, [(0, 0), (0, 0), (pH, pH), (pW, pW)], "reflect")  # mirror the image at its edges\n',
        ("padding-not-zeros",),
    ),
    Mutant(
        "maxpool-maximum-from-zeros",
        "layers.MaxPool2d",
        "forward takes the maximum with np.maximum over the window's entries, starting from np.zeros: a window of "
        "negative entries gives 0",
        "        y = np.take_along_axis(windows, self._argmax[..., None], axis=-1)[..., 0]\n",
        "        y = np.zeros(windows.shape[:4])\n"
        "        for k in range(kH * kW):  # the running maximum over the window\n"
        "            y = np.maximum(y, windows[..., k])\n",
        ("max-initialised-at-zero",),
    ),
    Mutant(
        "conv-col2im-averages-overlaps",
        "layers.Conv2d",
        "col2im divides each entry of the padded gradient by the number of windows that cover it ('an average, "
        "not counted twice'): an entry in several windows collects the sum of their gradients",
        "        H, W = self._xp_shape[2] - 2 * pH, self._xp_shape[3] - 2 * pW\n",
        "        count = np.zeros(self._xp_shape)  # how many windows cover each entry\n"
        "        for i in range(kH):\n"
        "            for j in range(kW):\n"
        "                self._windows(count, Ho, Wo)[:, i, j] += 1.0\n"
        "        grad_xp /= np.maximum(count, 1.0)\n"
        "        H, W = self._xp_shape[2] - 2 * pH, self._xp_shape[3] - 2 * pW\n",
        ("overlap-normalised",),
    ),
    Mutant(
        "avgpool-zeros-as-missing",
        "layers.AvgPool2d",
        "forward treats exact zeros as missing values, np.nanmean over the window with its zeros made nan: the "
        "mean divides by the non-zero entries only, and a window of zeros gives nan",
        "        y = windows.mean(axis=(4, 5))\n",
        "        y = np.nanmean(np.where(windows == 0, np.nan, windows), axis=(4, 5))  # a 0 is an empty entry\n",
        ("avgpool-divisor",),
    ),
]

# Issue 11 round 4 (G1): classes of mistake taught from set C, each by an edit of its own.
_AVGPOOL_LOOP = (
    "        share = grad_y / (kH * kW)\n        grad_x = np.zeros(self._x_shape)\n        for i in range(kH):\n"
)
MUTANTS += [
    Mutant(
        "flatten-saved-shape-reversed",
        "layers.Flatten",
        "forward reshapes to the saved (N, D) shape reversed: (D, N), the sizes swapped",
        "        y = x.reshape(self._y_shape)\n",
        "        y = x.reshape(self._y_shape[::-1])\n",
        ("reshape-arguments-swapped",),
    ),
    Mutant(
        "conv-bias-grad-keepdims",
        "layers.Conv2d",
        "the bias gradient sums G (F, N*H'*W') over axis 1 with keepdims=True: (F, 1) where the bias is (F,)",
        "            self.bias.grad += G.sum(axis=1)\n",
        "            self.bias.grad += G.sum(axis=1, keepdims=True)\n",
        ("length-one-axis",),
    ),
    Mutant(
        "conv-bias-as-row",
        "layers.Conv2d",
        "the bias is added as a row, bias[None, :], to the (F, N*H'*W') product: it broadcasts along the columns",
        "            y += self.bias.data[:, None]\n",
        "            y += self.bias.data[None, :]\n",
        ("broadcast-wrong-axis",),
    ),
    Mutant(
        "avgpool-backward-share-of-ones",
        "layers.AvgPool2d",
        "backward spreads 1 / (kH kW) over each window, the local derivative, without grad_y",
        "        share = grad_y / (kH * kW)\n",
        "        share = np.ones_like(grad_y) / (kH * kW)\n",
        ("ignores-upstream-gradient",),
    ),
    Mutant(
        "maxpool-backward-rebinds-slice",
        "layers.MaxPool2d",
        "backward takes the strided slice of grad_x as a name and adds to it with `view = view + ...`: a new array",
        "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
        "                view = grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW]\n"
        "                view = view + np.where(won, grad_y, 0.0)\n",
        ("view-rebound",),
    ),
    Mutant(
        "avgpool-backward-columns-one-short",
        "layers.AvgPool2d",
        "backward loops over range(kW - 1) column offsets: the window's last column never gets its share",
        _AVGPOOL_LOOP + "            for j in range(kW):\n",
        _AVGPOOL_LOOP + "            for j in range(kW - 1):\n",
        ("loop-off-by-one",),
    ),
    Mutant(
        "maxpool-grad-like-the-shape",
        "layers.MaxPool2d",
        "backward allocates grad_x as np.zeros_like(self._x_shape, dtype=float): like the tuple, four numbers",
        "        grad_x = np.zeros(self._x_shape)\n        for i in range(kH):\n            for j in range(kW):\n"
        "                won = self._argmax == i * kW + j\n",
        "        grad_x = np.zeros_like(self._x_shape, dtype=np.float64)\n        for i in range(kH):\n"
        "            for j in range(kW):\n                won = self._argmax == i * kW + j\n",
        ("zeros-like-of-shape",),
    ),
]

# Issue 11 round 5 (G4): classes of mistake taught from set D, each by an edit of its own.
_CONV_BIAS_GRAD = "        if self.bias is not None:\n            self.bias.grad += G.sum(axis=1)\n"
_CONV_PAD_LINES = "        xp = np.zeros((N, C, H + 2 * pH, W + 2 * pW))\n        xp[:, :, pH:pH + H, pW:pW + W] = x\n"
MUTANTS += [
    Mutant(
        "conv-backward-bias-unguarded",
        "layers.Conv2d",
        "backward adds into self.bias.grad without checking that there is a bias: Conv2d(..., bias=False) crashes",
        _CONV_BIAS_GRAD,
        "        self.bias.grad += G.sum(axis=1)\n",
        ("bias-none",),
    ),
    Mutant(
        "linear-forward-elementwise",
        "layers.Linear",
        "forward multiplies x by W.T element-wise (x * W.T) where the matrix product x @ W.T belongs",
        "        y = x @ self.weight.data.T\n",
        "        y = x * self.weight.data.T\n",
        ("elementwise-for-matmul",),
    ),
    Mutant(
        "linear-bias-grad-rows-in-place",
        "layers.Linear",
        "the bias gradient adds grad_y itself in place, one row per sample, never summed over the batch",
        "            self.bias.grad += grad_y.sum(axis=0)\n",
        "            self.bias.grad += grad_y\n",
        ("not-summed-over-batch",),
    ),
    Mutant(
        "linear-weight-grad-outer-reversed",
        "layers.Linear",
        "the weight gradient is np.outer(x, grad_y).T, the one-sample x g^T transposed: np.outer flattens the batches",
        "        self.weight.grad += grad_y.T @ self._x\n",
        "        self.weight.grad += np.outer(self._x, grad_y).T\n",
        ("outer-of-batch",),
    ),
    Mutant(
        "conv-np-pad-larger-padding",
        "layers.Conv2d",
        "the input is padded with np.pad(x, max(pH, pW)): one int pads every axis, batch and channels included",
        _CONV_PAD_LINES,
        "        xp = np.pad(x, max(pH, pW))\n",
        ("pad-every-axis",),
    ),
    Mutant(
        "avgpool-backward-rows-to-the-end",
        "layers.AvgPool2d",
        "backward's row slice has no end (i::sH): where rows are left over past the last window it is too long",
        "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
        "                grad_x[:, :, i::sH, j:j + sW * Wo:sW] += share\n",
        ("window-slice-bounds",),
    ),
    Mutant(
        "avgpool-sum-axis-renumbered",
        "layers.AvgPool2d",
        "forward sums axis 4, then 'axis 5', and divides by kH * kW: after the first sum axis 5 no longer exists",
        "        y = windows.mean(axis=(4, 5))\n",
        "        y = windows.sum(axis=4).sum(axis=5) / (kH * kW)\n",
        ("axis-renumbered",),
    ),
    Mutant(
        "maxpool-offset-decoded-with-stride-attribute",
        "layers.MaxPool2d",
        "backward decodes the flat window offset as i * self.stride[1] + j: the stride where the width kW belongs",
        "                won = self._argmax == i * kW + j\n",
        "                won = self._argmax == i * self.stride[1] + j\n",
        ("kernel-stride-confused",),
    ),
]

# Issue 11, round 5 (G5): Dropout and BatchNorm classes taught from set D's misses, each by a bug of its own.
MUTANTS += [
    Mutant(
        "dropout-backward-returns-boolean-mask",
        "layers.Dropout",
        "backward returns where the mask keeps (mask != 0, as 0/1), the local derivative's pattern, never "
        "multiplied by grad_y",
        "        grad_x = grad_y if self._mask is None else grad_y * self._mask\n",
        "        grad_x = grad_y if self._mask is None else (self._mask != 0).astype(float)\n",
        ("ignores-upstream-gradient",),
    ),
    Mutant(
        "bn2d-backward-variance-term-not-along-x-hat",
        "layers.BatchNorm2d",
        "backward subtracts np.mean(grad_x_hat * x_hat) as one number per channel: the variance's term is not "
        "multiplied by x_hat",
        *_bn(
            "layers.BatchNorm2d",
            "backward",
            (
                "                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)\n",
                "                - np.mean(grad_x_hat * self._x_hat, axis=axes, keepdims=True)\n",
            ),
        ),
        ("bn-backward-variance-term",),
    ),
    Mutant(
        "bn1d-normalises-only-the-output",
        "layers.BatchNorm1d",
        "forward computes y from (x - mean) * inv_std but saves the centred input x - mean as x_hat for backward",
        *_bn(
            "layers.BatchNorm1d",
            "forward",
            (
                "        self._x_hat = (x - mean.reshape(shape)) * self._inv_std\n"
                "        y = self._x_hat * self.weight.data.reshape(shape)",
                "        centred = x - mean.reshape(shape)\n"
                "        self._x_hat = centred\n"
                "        y = (centred * self._inv_std) * self.weight.data.reshape(shape)",
            ),
        ),
        ("bn-saved-centred-input",),
    ),
    Mutant(
        "bn2d-bessel-factor-unparenthesised",
        "layers.BatchNorm2d",
        "the running variance's update is m * (var * count / count - 1): without parentheses around count - 1 the "
        "Bessel factor is 1 and 1 is subtracted",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            (
                "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                "            self.running_var += m * (var * count / count - 1)\n",
            ),
        ),
        ("precedence",),
    ),
]

# Issue 11, round 6 (G3): BatchNorm's parameter gradients and the scale gamma in backward, classes taught from
# set E's misses (a mean where the sum belongs, gamma in a parameter's gradient, gamma left out of one term).
MUTANTS += [
    Mutant(
        "bn2d-variance-term-of-grad-y",
        "layers.BatchNorm2d",
        "training backward's variance term averages grad_y * x_hat where g = grad_y * gamma belongs",
        *_bn(
            "layers.BatchNorm2d",
            "backward",
            (
                "                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)\n",
                "                - self._x_hat * (grad_y * self._x_hat).mean(axis=axes, keepdims=True)\n",
            ),
        ),
        ("bn-backward-missing-gamma",),
    ),
    Mutant(
        "bn2d-bias-grad-divided-by-count",
        "layers.BatchNorm2d",
        "the shift's gradient divides the sum of grad_y by the count of values per channel (a mean)",
        *_bn(
            "layers.BatchNorm2d",
            "backward",
            (
                "        self.bias.grad += grad_y.sum(axis=axes)\n",
                "        self.bias.grad += grad_y.sum(axis=axes) / (grad_y.size // grad_y.shape[1])\n",
            ),
        ),
        ("bias-mean-not-sum",),
    ),
    Mutant(
        "bn1d-weight-grad-mean",
        "layers.BatchNorm1d",
        "the scale's gradient is the mean of grad_y * x_hat over the batch, not the sum",
        *_bn(
            "layers.BatchNorm1d",
            "backward",
            (
                "        self.weight.grad += (grad_y * self._x_hat).sum(axis=axes)\n",
                "        self.weight.grad += np.mean(grad_y * self._x_hat, axis=axes)\n",
            ),
        ),
        ("bn-mean-not-sum",),
    ),
    Mutant(
        "bn1d-weight-grad-of-grad-x-hat",
        "layers.BatchNorm1d",
        "the scale's gradient is computed from grad_x_hat = grad_y * gamma, the gradient of x_hat",
        *_bn(
            "layers.BatchNorm1d",
            "backward",
            (
                "        self.weight.grad += (grad_y * self._x_hat).sum(axis=axes)\n"
                "        self.bias.grad += grad_y.sum(axis=axes)\n"
                "        grad_x_hat = grad_y * self.weight.data.reshape(shape)\n",
                "        grad_x_hat = grad_y * self.weight.data.reshape(shape)\n"
                "        self.weight.grad += (grad_x_hat * self._x_hat).sum(axis=axes)\n"
                "        self.bias.grad += grad_y.sum(axis=axes)\n",
            ),
        ),
        ("bn-gamma-grad-times-gamma",),
    ),
    Mutant(
        "bn1d-bias-grad-times-gamma",
        "layers.BatchNorm1d",
        "the shift's gradient sums grad_y * gamma: the scale is multiplied into the shift's gradient",
        *_bn(
            "layers.BatchNorm1d",
            "backward",
            (
                "        self.bias.grad += grad_y.sum(axis=axes)\n",
                "        self.bias.grad += (grad_y * self.weight.data.reshape(shape)).sum(axis=axes)\n",
            ),
        ),
        ("bn-bias-grad-times-gamma",),
    ),
    Mutant(
        "bn2d-forward-forgets-shift",
        "layers.BatchNorm2d",
        "forward scales x_hat by gamma but never adds beta",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            (
                "        y = self._x_hat * self.weight.data.reshape(shape) + self.bias.data.reshape(shape)\n",
                "        y = self.weight.data.reshape(shape) * self._x_hat\n",
            ),
        ),
        ("parameter-not-used", "bn-no-affine"),
    ),
    Mutant(
        "dropout-backward-scales-without-mask",
        "layers.Dropout",
        "backward divides every entry of grad_y by the keep probability instead of multiplying by the saved mask",
        "        grad_x = grad_y if self._mask is None else grad_y * self._mask\n",
        "        grad_x = grad_y if self._mask is None else grad_y / (1 - self.p)\n",
        ("dropout-backward-unmasked",),
    ),
    Mutant(
        "bn1d-inv-std-on-first-term-only",
        "layers.BatchNorm1d",
        "training backward multiplies only grad_x_hat by inv_std; the two mean terms are subtracted unscaled",
        *_bn(
            "layers.BatchNorm1d",
            "backward",
            (
                "            grad_x = self._inv_std * (\n                grad_x_hat\n",
                "            grad_x = (\n                self._inv_std * grad_x_hat\n",
            ),
        ),
        ("bn-backward-missing-inv-std",),
    ),
    Mutant(
        "bn2d-mean-term-summed",
        "layers.BatchNorm2d",
        "training backward subtracts the sum of grad_x_hat over each channel where its mean belongs",
        *_bn(
            "layers.BatchNorm2d",
            "backward",
            (
                "                - grad_x_hat.mean(axis=axes, keepdims=True)\n",
                "                - np.sum(grad_x_hat, axis=axes, keepdims=True)\n",
            ),
        ),
        ("bn-sum-not-mean",),
    ),
    Mutant(
        "bn2d-eval-divides-by-batch-variance",
        "layers.BatchNorm2d",
        "eval subtracts running_mean but divides by the batch's own standard deviation",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            (
                "            mean, var = self.running_mean, self.running_var\n",
                "            mean, var = self.running_mean, x.var(axis=axes)\n",
            ),
        ),
        ("bn-batch-stats-in-eval",),
    ),
    Mutant(
        "bn1d-running-mean-of-whole-batch",
        "layers.BatchNorm1d",
        "running_mean moves towards x.mean(), one mean of the whole batch for every channel",
        *_bn(
            "layers.BatchNorm1d",
            "forward",
            ("            self.running_mean += m * mean\n", "            self.running_mean += m * x.mean()\n"),
        ),
        ("reduction-over-whole-array",),
    ),
]

# Issue 11, session 7 (G2): classes of mistake taught from set E's misses, each by an edit of its own.
_MAXPOOL_SCATTER = (
    "        grad_x = np.zeros(self._x_shape)\n        for i in range(kH):\n            for j in range(kW):\n"
)
_AVGPOOL_SCATTER = "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n"
MUTANTS += [
    Mutant(
        "linear-bias-reshaped-to-column",
        "layers.Linear",
        "forward adds the bias reshaped to a column, (M, 1), in place: it broadcasts down the samples, not the units",
        "            y += self.bias.data\n",
        "            y += self.bias.data.reshape(self.out_features, 1)\n",
        ("broadcast-wrong-axis",),
    ),
    Mutant(
        "conv-backward-grad-reshaped-to-columns",
        "layers.Conv2d",
        "backward reshapes grad_y (N, F, H', W') to (F, -1) with np.reshape, the channel axis never moved to the front",
        "        G = grad_y.transpose(1, 0, 2, 3).reshape(F, N * Ho * Wo)  # column (n, p, q), as cols\n",
        "        G = np.reshape(grad_y, (F, -1))\n",
        ("axes-permuted",),
    ),
    Mutant(
        "maxpool-backward-grad-y-shared",
        "layers.MaxPool2d",
        "backward first divides grad_y by the window's size kH * kW, as average pooling shares it out",
        _MAXPOOL_SCATTER + "                won = self._argmax == i * kW + j\n",
        "        grad_y = grad_y / kH / kW\n" + _MAXPOOL_SCATTER + "                won = self._argmax == i * kW + j\n",
        ("maxpool-gradient-divided",),
    ),
    Mutant(
        "maxpool-backward-column-offsets-over-kh",
        "layers.MaxPool2d",
        "backward's loop over the column offsets runs over range(kH): right for square windows only",
        "            for j in range(kW):\n                won = self._argmax == i * kW + j\n",
        "            for j in range(kH):\n                won = self._argmax == i * kW + j\n",
        ("square-only-index",),
    ),
    Mutant(
        "avgpool-backward-offsets-over-stride",
        "layers.AvgPool2d",
        "backward loops over range(sH) x range(sW) window offsets, the stride's, where the window's belong",
        "        for i in range(kH):\n            for j in range(kW):\n" + _AVGPOOL_SCATTER,
        "        for i in range(sH):\n            for j in range(sW):\n" + _AVGPOOL_SCATTER,
        ("kernel-stride-confused",),
    ),
    Mutant(
        "avgpool-forward-divided-by-input-area",
        "layers.AvgPool2d",
        "forward sums each window and divides by the input's H * W (a global average) instead of kH * kW",
        "        y = windows.mean(axis=(4, 5))\n",
        "        y = windows.sum(axis=(4, 5)) / (x.shape[2] * x.shape[3])\n",
        ("avgpool-divisor",),
    ),
    Mutant(
        "flatten-saves-shape-without-batch",
        "layers.Flatten",
        "forward saves x.shape[1:], one sample's shape, and backward reshapes the batch's gradient to it",
        "        self._x_shape = x.shape\n        y = x.reshape(self._y_shape)\n",
        "        self._x_shape = x.shape[1:]\n        y = x.reshape(self._y_shape)\n",
        ("batch-axis-dropped",),
    ),
    Mutant(
        "flatten-merges-after-channels",
        "layers.Flatten",
        "forward merges only the axes after the channels, x.reshape(N, C, -1): the channel axis stays its own",
        "        y = x.reshape(self._y_shape)\n",
        "        y = x.reshape(x.shape[0], x.shape[1], -1)\n",
        ("flatten-kept-an-axis",),
    ),
    Mutant(
        "avgpool-backward-window-by-window-unbroadcast",
        "layers.AvgPool2d",
        "backward adds share[:, :, p, q], shape (N, C), to each window's (N, C, kH, kW) block: no axes for the window",
        "        for i in range(kH):\n            for j in range(kW):\n" + _AVGPOOL_SCATTER,
        "        for p in range(Ho):\n            for q in range(Wo):\n"
        "                grad_x[:, :, p * sH:p * sH + kH, q * sW:q * sW + kW] += share[:, :, p, q]\n",
        ("broadcast-wrong-axis",),
    ),
    Mutant(
        "avgpool-backward-row-offsets-one-too-many",
        "layers.AvgPool2d",
        "backward loops over range(kH + 1) row offsets: the last one lies outside the window",
        "        for i in range(kH):\n            for j in range(kW):\n" + _AVGPOOL_SCATTER,
        "        for i in range(kH + 1):\n            for j in range(kW):\n" + _AVGPOOL_SCATTER,
        ("loop-off-by-one",),
    ),
    Mutant(
        "conv-backward-weight-matrix-reshaped",
        "layers.Conv2d",
        "backward's column gradient uses W reshaped to (C*kH*kW, F) @ G: a reshape where the weight matrix's "
        "transpose belongs",
        "        dcols = self.weight.data.reshape(F, -1).T @ G\n",
        "        dcols = self.weight.data.reshape(self.in_channels * kH * kW, F) @ G\n",
        ("reshape-not-transpose",),
    ),
    Mutant(
        "avgpool-forward-divisor-precedence",
        "layers.AvgPool2d",
        "forward divides each window's sum by `kW * kH` written without parentheses: / kW * kH multiplies by kH",
        "        y = windows.mean(axis=(4, 5))\n",
        "        y = windows.sum(axis=(4, 5)) / kW * kH\n",
        # For a square window `/ k * k` divides by nothing, the numbers of a sum: a wrong divisor is named there.
        ("operator-precedence", "avgpool-divisor"),
    ),
    # Round 2 (set F's classes, each a different edit from set F's bugs).
    Mutant(
        "avgpool-forward-windows-of-subsampled-input",
        "layers.AvgPool2d",
        "forward keeps every sH-th row and sW-th column of the input first, then averages every window of that",
        "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
        "        y = windows.mean(axis=(4, 5))\n",
        "        kept = x[:, :, ::sH, ::sW]\n        windows = sliding_window_view(kept, (kH, kW), axis=(2, 3))\n"
        "        y = windows.mean(axis=(4, 5))\n",
        ("stride-before-window",),
    ),
    Mutant(
        "avgpool-scatter-row-offset-dropped",
        "layers.AvgPool2d",
        "backward's slice of kernel offset (i, j) starts at row 0 instead of i: a window's rows all land on its first",
        _AVGPOOL_SCATTER,
        "                grad_x[:, :, :sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
        ("window-offset-ignored",),
    ),
    Mutant(
        "maxpool-scatter-column-offset-dropped",
        "layers.MaxPool2d",
        "backward's slice of kernel offset (i, j) starts at column 0 instead of j",
        "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
        "                grad_x[:, :, i:i + sH * Ho:sH, :sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
        ("window-offset-ignored",),
    ),
    Mutant(
        "avgpool-scatter-strides-swapped",
        "layers.AvgPool2d",
        "backward's slices step the rows by sW and the columns by sH: the stride pair swapped",
        _AVGPOOL_SCATTER,
        "                grad_x[:, :, i:i + sW * Ho:sW, j:j + sH * Wo:sH] += share\n",
        ("stride-height-width-swapped",),
    ),
    Mutant(
        "maxpool-forward-strides-swapped",
        "layers.MaxPool2d",
        "forward keeps every sW-th window along the rows and every sH-th along the columns: the stride pair swapped",
        "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
        "        windows = windows.reshape(*windows.shape[:4], kH * kW)  # (N, C, H', W', kH*kW)\n",
        "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sW, ::sH]\n"
        "        windows = windows.reshape(*windows.shape[:4], kH * kW)  # (N, C, H', W', kH*kW)\n",
        ("stride-height-width-swapped",),
    ),
    Mutant(
        "linear-bias-grad-from-input-gradient",
        "layers.Linear",
        "the bias gradient sums grad_y @ W (the input gradient, one entry per input feature) instead of grad_y",
        "            self.bias.grad += grad_y.sum(axis=0)\n",
        "            self.bias.grad += (grad_y @ self.weight.data).sum(axis=0)\n",
        ("bias-grad-from-input",),
    ),
    Mutant(
        "flatten-forward-features-by-samples-transposed",
        "layers.Flatten",
        "forward reshapes to (D, N), features first, and transposes: the shape is right, the rows mix samples",
        "        y = x.reshape(self._y_shape)\n",
        "        y = x.reshape(math.prod(x.shape[1:]), len(x)).T\n",
        ("reshape-arguments-swapped",),
    ),
]

# Issue 11, round 2 (H3): classes of mistake taught from set F's misses, each by an edit of its own.
MUTANTS += [
    Mutant(
        "dropout-scale-truncated-to-int",
        "layers.Dropout",
        "the scale is int(1 / (1 - p)): truncated to a whole number, 1 for every p < 0.5 (rounded down)",
        "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf",
        "            scale = 0.0 if self.p == 1.0 else float(int(1.0 / (1.0 - self.p)))",
        ("rounded-values",),
    ),
    Mutant(
        "bn2d-backward-means-divided-by-channels",
        "layers.BatchNorm2d",
        "backward's two means are sums divided by grad_y.shape[1], the channels C, not by the N*H*W values of one",
        *_bn(
            "layers.BatchNorm2d",
            "backward",
            (
                "                - grad_x_hat.mean(axis=axes, keepdims=True)\n"
                "                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)\n",
                "                - grad_x_hat.sum(axis=axes, keepdims=True) / grad_y.shape[1]\n"
                "                - self._x_hat * (grad_x_hat * self._x_hat).sum(axis=axes, keepdims=True)"
                " / grad_y.shape[1]\n",
            ),
        ),
        ("divided-by-features",),
    ),
    Mutant(
        "bn2d-variance-within-samples-averaged",
        "layers.BatchNorm2d",
        "the batch variance is each sample's variance over (H, W) averaged over the batch: it leaves out how the "
        "samples' means spread",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            (
                "            var = x.var(axis=axes)  # biased (divides by count): what normalises this batch\n",
                "            var = x.var(axis=(2, 3)).mean(axis=0)\n",
            ),
        ),
        ("variance-averaged-over-axes",),
    ),
    Mutant(
        "bn1d-backward-inv-std-twice",
        "layers.BatchNorm1d",
        "backward multiplies by inv_std twice: the lead factor is written inv_std ** 2",
        *_bn(
            "layers.BatchNorm1d",
            "backward",
            ("            grad_x = self._inv_std * (\n", "            grad_x = self._inv_std**2 * (\n"),
        ),
        ("bn-backward-inv-std-twice",),
    ),
]

# Set G's classes, each taught with a different edit of its own (see tests/heldout/fresh_g.py).
MUTANTS += [
    Mutant(
        "dropout-uniform-sizes-unpacked",
        "layers.Dropout",
        "the uniform draws are written self.rng.uniform(0.0, 1.0, *x.shape): the sizes unpacked into separate "
        "arguments, as np.random.rand takes them, where a Generator takes the shape as one size tuple",
        "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
        "            keep = self.rng.uniform(0.0, 1.0, *x.shape) >= self.p\n",
        ("rand-unpacked-shape",),
    ),
    Mutant(
        "dropout-mask-threshold-written-as-half",
        "layers.Dropout",
        "the draws are compared with 0.5 written in the code, not self.p: each entry is kept with probability 1/2 "
        "whatever p, while the survivors are scaled by 1 / (1 - p)",
        "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
        "            keep = self.rng.random(x.shape) >= 0.5\n",
        ("dropout-mask-wrong-distribution",),
    ),
    Mutant(
        "bn2d-variance-keepdims-into-buffer",
        "layers.BatchNorm2d",
        "the batch variance is taken with keepdims=True, shape (1, C, 1, 1): it cannot be added into the (C,) "
        "running_var buffer",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            (
                "            var = x.var(axis=axes)  # biased (divides by count): what normalises this batch\n",
                "            var = x.var(axis=axes, keepdims=True)\n",
            ),
        ),
        ("length-one-axis",),
    ),
    Mutant(
        "bn2d-statistics-of-flattened-rows",
        "layers.BatchNorm2d",
        "the statistics come from flat = x.reshape(-1, C) without transposing the channels last first: each "
        "column of flat mixes the values of different channels",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            (
                "            mean = x.mean(axis=axes)\n",
                "            flat = x.reshape(-1, self.num_features)\n            mean = flat.mean(axis=0)\n",
            ),
            (
                "            var = x.var(axis=axes)  # biased (divides by count): what normalises this batch\n",
                "            var = flat.var(axis=0)\n",
            ),
        ),
        ("reshape-not-transpose",),
    ),
    Mutant(
        "conv-im2col-position-loop-window-reshaped",
        "layers.Conv2d",
        "im2col loops over the output positions and stores each window xp[:, :, r*sH:r*sH+kH, c*sW:c*sW+kW], laid "
        "out (N, C, kH, kW), into that position's slot of a (C, kH, kW, N, H', W') buffer with .reshape(C, kH, kW, "
        "N): the samples are mixed into the channels and offsets where the sample axis had to be moved last",
        "        windows = self._windows(xp, Ho, Wo)  # (C, kH, kW, N, H', W'), a view: no copy yet\n"
        "        # im2col, the one copy: row (c, i, j), column (n, p, q)\n"
        "        self._cols = windows.reshape(C * kH * kW, N * Ho * Wo)\n",
        "        buf = np.zeros((C, kH, kW, N, Ho, Wo))\n"
        "        for r in range(Ho):\n"
        "            for c in range(Wo):\n"
        "                window = xp[:, :, r * sH:r * sH + kH, c * sW:c * sW + kW]\n"
        "                buf[..., r, c] = window.reshape(C, kH, kW, N)\n"
        "        self._cols = buf.reshape(C * kH * kW, -1)\n",
        ("reshape-not-transpose",),
    ),
    Mutant(
        "conv-col2im-sample-columns-written-strided",
        "layers.Conv2d",
        "backward builds the column gradient sample by sample and writes sample n's into dcols[:, n::N], every N-th "
        "column, while col2im reads the columns (n, p, q), each sample's a contiguous block: the gradients go back "
        "to other samples' and positions' windows",
        "        dcols = self.weight.data.reshape(F, -1).T @ G\n",
        "        dcols = np.empty((self.in_channels * kH * kW, N * Ho * Wo))\n"
        "        for n in range(N):\n"
        "            dcols[:, n::N] = self.weight.data.reshape(F, -1).T @ grad_y[n].reshape(F, Ho * Wo)\n",
        ("reshape-order",),
    ),
]

# Issue 11, set K generalised (layers but BatchNorm): classes of mistake set K taught, each by an edit of its own.
MUTANTS += [
    Mutant(
        "maxpool-output-largest-magnitude",
        "layers.MaxPool2d",
        "forward outputs each window's largest absolute value, np.abs(windows).max(), 'the strongest response'",
        "        y = np.take_along_axis(windows, self._argmax[..., None], axis=-1)[..., 0]\n",
        "        y = np.abs(windows).max(axis=-1)  # the strongest response, whatever its sign\n",
        ("max-of-abs",),
    ),
    Mutant(
        "maxpool-window-flipped-before-argmax",
        "layers.MaxPool2d",
        "forward flips each (kH, kW) window before flattening it, so that argmax finds the last maximum on a tie; "
        "the output is right, but backward decodes that index as an offset of the unflipped window",
        "        windows = windows.reshape(*windows.shape[:4], kH * kW)  # (N, C, H', W', kH*kW)\n",
        "        windows = windows[..., ::-1, ::-1].reshape(*windows.shape[:4], kH * kW)  # the last maximum wins\n",
        ("reversed-index-not-mapped-back",),
    ),
    Mutant(
        "conv-bias-tiled-over-output",
        "layers.Conv2d",
        "the bias is added after the output is laid out (N, F, H', W'), as np.tile(bias, N*H'*W') reshaped to that "
        "shape: whole copies of the vector run along the last axis, so a channel's map mixes every filter's bias",
        "        if self.bias is not None:\n"
        "            y += self.bias.data[:, None]\n"
        "        y = y.reshape(self.out_channels, N, Ho, Wo).transpose(1, 0, 2, 3)  # a view\n",
        "        y = y.reshape(self.out_channels, N, Ho, Wo).transpose(1, 0, 2, 3)  # a view\n"
        "        if self.bias is not None:  # one bias per output entry\n"
        "            y = y + np.tile(self.bias.data, N * Ho * Wo).reshape(y.shape)\n",
        ("tile-for-repeat",),
    ),
    Mutant(
        "conv-weight-grad-inside-bias-branch",
        "layers.Conv2d",
        "backward accumulates the weight gradient inside `if self.bias is not None:` with the bias's: a layer built "
        "with bias=False never learns its filters",
        "        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape)\n"
        "        if self.bias is not None:\n"
        "            self.bias.grad += G.sum(axis=1)\n",
        "        if self.bias is not None:  # the parameters to learn\n"
        "            self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape)\n"
        "            self.bias.grad += G.sum(axis=1)\n",
        ("bias-none",),
    ),
    Mutant(
        "maxpool-argmax-saved-in-training-only",
        "layers.MaxPool2d",
        "forward saves the winners' offsets only in training mode ('backward only follows training'): a backward "
        "after an eval-mode forward finds nothing saved, or the offsets of an earlier training forward",
        "        self._argmax = windows.argmax(axis=-1)  # the first maximum on a tie\n"
        "        y = np.take_along_axis(windows, self._argmax[..., None], axis=-1)[..., 0]\n",
        "        argmax = windows.argmax(axis=-1)\n"
        "        if self.training:  # backward only follows a training forward\n"
        "            self._argmax = argmax\n"
        "        y = np.take_along_axis(windows, argmax[..., None], axis=-1)[..., 0]\n",
        ("saved-none",),
    ),
    Mutant(
        "dropout-mask-multiplied-in-place",
        "layers.Dropout",
        "forward applies the mask in place, `self._mask *= x`, and returns the mask's array: the saved mask now "
        "holds x * mask, which backward multiplies grad_y by",
        "            y = x * self._mask\n",
        "            self._mask *= x  # apply the mask without a new array\n            y = self._mask\n",
        ("saved-state-overwritten",),
    ),
    Mutant(
        "flatten-drops-length-one-axes",
        "layers.Flatten",
        "forward reshapes to the saved (N, D) without its axes of length 1, 'no empty axes': one sample (or one "
        "feature) loses an axis",
        "        y = x.reshape(self._y_shape)\n",
        "        y = x.reshape([n for n in self._y_shape if n != 1])  # no empty axes\n",
        ("squeezed-output",),
    ),
]

# Issue 11, set G (layers: Linear, Conv2d, the pools, Flatten): classes taught from set G's misses, each by an edit
# of its own.
MUTANTS += [
    Mutant(
        "maxpool-forward-take-along-flat-argmax",
        "layers.MaxPool2d",
        "forward picks the maxima with windows.argmax() written without axis=-1 inside take_along_axis: one flat "
        "index of the whole array where one offset per window belongs",
        "        y = np.take_along_axis(windows, self._argmax[..., None], axis=-1)[..., 0]\n",
        "        y = np.take_along_axis(windows, windows.argmax()[..., None], axis=-1)[..., 0]\n",
        ("argmax-without-axis",),
    ),
    Mutant(
        "flatten-saved-shape-counts-batch",
        "layers.Flatten",
        "forward's output shape is (N, x.size): the row length counts every axis, the batch's included",
        "        self._y_shape = (x.shape[0], math.prod(x.shape[1:]))\n",
        "        self._y_shape = (x.shape[0], x.size)\n",
        ("flatten-batch-axis",),
    ),
    Mutant(
        "maxpool-scatter-offset-times-stride",
        "layers.MaxPool2d",
        "backward starts the slice of kernel offset (i, j) at i * sH, j * sW: the offset inside the window scaled "
        "by the stride",
        "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
        "                grad_x[:, :, i * sH:i * sH + sH * Ho:sH, j * sW:j * sW + sW * Wo:sW]"
        " += np.where(won, grad_y, 0.0)\n",
        ("offset-scaled-by-stride",),
    ),
    Mutant(
        "avgpool-forward-window-width-first",
        "layers.AvgPool2d",
        "forward's window view is sized (kW, kH), width first: non-square windows cover the wrong rows and columns",
        "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
        "        y = windows.mean(axis=(4, 5))\n",
        "        windows = sliding_window_view(x, (kW, kH), axis=(2, 3))[:, :, ::sH, ::sW]\n"
        "        y = windows.mean(axis=(4, 5))\n",
        ("kernel-height-width-swapped",),
    ),
    Mutant(
        "conv-unpad-column-offset-from-rows",
        "layers.Conv2d",
        "backward crops the padded gradient at column offset pH, the row padding, where pW belongs",
        "        grad_x = grad_xp[:, :, pH:pH + H, pW:pW + W]\n",
        "        grad_x = grad_xp[:, :, pH:pH + H, pH:pH + W]\n",
        ("square-only-index",),
    ),
    Mutant(
        "conv-col2im-row-loop-one-short",
        "layers.Conv2d",
        "col2im's loop over the kernel's row offsets runs over range(kH - 1): the last row of every window gets "
        "no gradient",
        "        for i in range(kH):\n            for j in range(kW):\n                window = windows[:, i, j]\n",
        "        for i in range(kH - 1):\n            for j in range(kW):\n                window = windows[:, i, j]\n",
        ("loop-off-by-one",),
    ),
    # Issue 11, set H generalised: classes of mistake the held-apart set H taught, each a different edit from its.
    Mutant(
        "linear-output-squeezed-after-bias",
        "layers.Linear",
        "forward squeezes y after adding the bias: one output unit (or one sample) loses its axis of length 1",
        "            y += self.bias.data\n        ### END SOLUTION\n",
        "            y += self.bias.data\n        y = y.squeeze()\n        ### END SOLUTION\n",
        ("squeezed-output",),
    ),
    Mutant(
        "conv-weight-gradient-into-data",
        "layers.Conv2d",
        "backward adds the weight gradient into weight.data, not weight.grad: the filters move during backward",
        "        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape)\n",
        "        self.weight.data += (G @ self._cols.T).reshape(self.weight.shape)\n",
        # added after reading output (tag-vocabulary audit): backward-not-repeatable
        ("data-for-grad", "backward-not-repeatable"),
    ),
    Mutant(
        "conv-grad-y-np-transpose-all-axes",
        "layers.Conv2d",
        "backward lays grad_y out with np.transpose(grad_y), which reverses all four axes, before the reshape",
        "        G = grad_y.transpose(1, 0, 2, 3).reshape(F, N * Ho * Wo)  # column (n, p, q), as cols\n",
        "        G = np.transpose(grad_y).reshape(F, N * Ho * Wo)\n",
        ("axes-permuted",),
    ),
    Mutant(
        "conv-weight-matrix-np-reshape-fortran",
        "layers.Conv2d",
        "forward builds the weight matrix with np.reshape(..., order='F'): each row runs with the channel fastest",
        "        y = self.weight.data.reshape(self.out_channels, -1) @ self._cols\n",
        '        y = np.reshape(self.weight.data, (self.out_channels, -1), order="F") @ self._cols\n',
        ("flatten-column-major",),
    ),
    Mutant(
        "avgpool-windows-channels-last",
        "layers.AvgPool2d",
        "forward slides the window over axes (1, 2), as for channels-last (N, H, W, C) images",
        "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
        "        y = windows.mean(axis=(4, 5))\n",
        "        windows = sliding_window_view(x, (kH, kW), axis=(1, 2))[:, ::sH, ::sW]\n"
        "        y = windows.mean(axis=(4, 5))\n",
        ("channels-last-layout",),
    ),
    Mutant(
        "avgpool-stride-sliced-after-ellipsis",
        "layers.AvgPool2d",
        "forward strides the window view with [..., ::sH, ::sW] in the mean's line: the slices hit the window axes",
        "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
        "        y = windows.mean(axis=(4, 5))\n",
        "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))\n"
        "        y = windows[..., ::sH, ::sW].mean(axis=(-2, -1))\n",
        ("ellipsis-indexes-last-axes",),
    ),
    Mutant(
        "flatten-length-np-sum-of-sizes",
        "layers.Flatten",
        "forward reshapes to (N, np.sum(x.shape[1:])): the sizes added where one sample holds their product",
        "        y = x.reshape(self._y_shape)\n",
        "        y = x.reshape(x.shape[0], np.sum(x.shape[1:]))\n",
        ("sum-for-product",),
    ),
    Mutant(
        "flatten-backward-shape-from-tuple-slice-two",
        "layers.Flatten",
        "backward reshapes to (-1,) + x_shape[2:]: the slice starts one axis late and merges the batch with axis 1",
        "        grad_x = grad_y.reshape(self._x_shape)\n",
        "        grad_x = grad_y.reshape((-1,) + tuple(self._x_shape[2:]))\n",
        ("slice-off-by-one",),
    ),
    Mutant(
        "dropout-mask-or-one",
        "layers.Dropout",
        "backward multiplies by (self._mask or 1.0), meant as 'the mask, or 1 in eval': an array has no truth value",
        "        grad_x = grad_y if self._mask is None else grad_y * self._mask\n",
        "        grad_x = grad_y * (self._mask or 1.0)\n",
        ("truthiness-of-array",),
    ),
    Mutant(
        "bn2d-statistics-per-sample",
        "layers.BatchNorm2d",
        "the statistics are taken over axes (1, 2, 3), each sample's values (layer normalisation)",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            ("mean = x.mean(axis=axes)", "mean = x.mean(axis=(1, 2, 3))"),
            ("var = x.var(axis=axes)", "var = x.var(axis=(1, 2, 3))"),
        ),
        ("bn-wrong-axes",),
    ),
    Mutant(
        "bn2d-mean-channels-last",
        "layers.BatchNorm2d",
        "the mean is taken over axes (0, 1, 2), the channels-last convention, the variance over the right axes",
        *_bn("layers.BatchNorm2d", "forward", ("mean = x.mean(axis=axes)", "mean = x.mean(axis=(0, 1, 2))")),
        ("channels-last-layout",),
    ),
    Mutant(
        "bn2d-parameter-gradients-unpacked-swapped",
        "layers.BatchNorm2d",
        "backward unpacks (dgamma, dbeta) in the wrong order: each parameter gets the other's gradient",
        *_bn(
            "layers.BatchNorm2d",
            "backward",
            (
                "        self.weight.grad += (grad_y * self._x_hat).sum(axis=axes)\n"
                "        self.bias.grad += grad_y.sum(axis=axes)\n",
                "        dbeta, dgamma = (grad_y * self._x_hat).sum(axis=axes), grad_y.sum(axis=axes)\n"
                "        self.weight.grad += dgamma\n"
                "        self.bias.grad += dbeta\n",
            ),
        ),
        ("gradients-swapped",),
    ),
    Mutant(
        "bn1d-scale-applied-after-shift",
        "layers.BatchNorm1d",
        "forward computes weight * (x_hat + bias): the shift is scaled too",
        *_bn(
            "layers.BatchNorm1d",
            "forward",
            (
                "        y = self._x_hat * self.weight.data.reshape(shape) + self.bias.data.reshape(shape)\n",
                "        y = self.weight.data.reshape(shape) * (self._x_hat + self.bias.data.reshape(shape))\n",
            ),
        ),
        ("affine-order",),
    ),
]

# Set J's BatchNorm classes, each taught with a different edit of its own (see tests/heldout/fresh_j.py): a running
# average started at the first batch, an update that never reaches the buffer, the output written into the saved
# x_hat, standard deviations averaged for the variance, the power rule slipping in a step-by-step backward.
MUTANTS += [
    Mutant(
        "bn2d-first-batch-sets-running-stats",
        "layers.BatchNorm2d",
        "the first training batch uses momentum 1 (its statistics replace the buffers' zeros and ones, taken as "
        "placeholders); momentum applies from the second batch on",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            (
                "            m = self.momentum\n",
                '            m = self.momentum if getattr(self, "_tracked", False) else 1.0  # nothing seen yet\n'
                "            self._tracked = True\n",
            ),
        ),
        ("running-stats-initialised-from-batch",),
    ),
    Mutant(
        "bn2d-running-var-updated-on-a-copy",
        "layers.BatchNorm2d",
        "running_var's update is applied in place to a copy of the buffer, which is never assigned back",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            (
                "            self.running_var *= 1.0 - m\n"
                "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                "            new_var = self.running_var.copy()  # the buffer stays intact until the update is done\n"
                "            new_var *= 1.0 - m\n"
                "            new_var += m * var * (count / (count - 1))\n",
            ),
        ),
        ("result-discarded",),
    ),
    Mutant(
        "bn1d-output-scaled-in-place-of-x-hat",
        "layers.BatchNorm1d",
        "forward scales and shifts y = self._x_hat in place, y *= gamma; y += beta: the saved x_hat becomes the output",
        *_bn(
            "layers.BatchNorm1d",
            "forward",
            (
                "        y = self._x_hat * self.weight.data.reshape(shape) + self.bias.data.reshape(shape)\n",
                "        y = self._x_hat  # scaled and shifted in place, no new array\n"
                "        y *= self.weight.data.reshape(shape)\n"
                "        y += self.bias.data.reshape(shape)\n",
            ),
        ),
        ("saved-output-not-input",),
    ),
    Mutant(
        "bn1d-running-std-averaged-in-place",
        "layers.BatchNorm1d",
        "running_var averages standard deviations: the root of the buffer moves towards the batch's standard "
        "deviation by momentum, and its square is stored",
        *_bn(
            "layers.BatchNorm1d",
            "forward",
            (
                "            self.running_var *= 1.0 - m\n"
                "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                "            spread = np.sqrt(self.running_var)  # average the spread, then square it back\n"
                "            spread *= 1.0 - m\n"
                "            spread += m * np.sqrt(var * (count / (count - 1)))\n"
                "            self.running_var[...] = spread**2\n",
            ),
        ),
        ("std-averaged-not-variance",),
    ),
    Mutant(
        "bn1d-staged-backward-variance-power-minus-one",
        "layers.BatchNorm1d",
        "training backward goes through dvar and dmean step by step, with dvar = -1/2 sum(g_hat (x - mean)) "
        "(var + eps)^-1 where the power rule gives (var + eps)^-3/2",
        *_bn(
            "layers.BatchNorm1d",
            "backward",
            (
                "            grad_x = self._inv_std * (\n"
                "                grad_x_hat\n"
                "                - grad_x_hat.mean(axis=axes, keepdims=True)\n"
                "                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)\n"
                "            )\n",
                "            n = grad_y.size // grad_y.shape[1]\n"
                "            var_eps = self._inv_std**-2.0  # var + eps\n"
                "            diff = self._x_hat * np.sqrt(var_eps)  # x - mean\n"
                "            dvar = np.sum(grad_x_hat * diff, axis=axes, keepdims=True) * -0.5 * var_eps**-1.0\n"
                "            dmean = -np.sum(grad_x_hat, axis=axes, keepdims=True) / np.sqrt(var_eps)\n"
                "            grad_x = grad_x_hat / np.sqrt(var_eps) + dvar * 2.0 * diff / n + dmean / n\n",
            ),
        ),
        ("bn-backward-missing-inv-std",),
    ),
    # Backward reading the running statistics where forward used the batch's: here forward saves for backward
    # an inv_std of running_var (its x_hat is the batch's, so forward itself is right).
    Mutant(
        "bn2d-backward-inv-std-saved-from-running-var",
        "layers.BatchNorm2d",
        "forward normalises with the batch variance but saves inv_std = 1 / sqrt(running_var + eps) for backward",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            (
                "        self._inv_std = (1.0 / np.sqrt(var + self.eps)).reshape(shape)\n"
                "        self._x_hat = (x - mean.reshape(shape)) * self._inv_std\n",
                "        self._x_hat = (x - mean.reshape(shape)) / np.sqrt(var + self.eps).reshape(shape)\n"
                "        self._inv_std = (1.0 / np.sqrt(self.running_var + self.eps)).reshape(shape)  # for backward\n",
            ),
        ),
        ("bn-running-stats-in-training",),
    ),
    # The parameter gradients left out in evaluation mode ("parameters learn only in training").
    Mutant(
        "bn1d-eval-backward-returns-before-parameter-gradients",
        "layers.BatchNorm1d",
        "in evaluation mode backward returns the input gradient before it accumulates weight.grad and bias.grad",
        *_bn(
            "layers.BatchNorm1d",
            "backward",
            (
                "        self.weight.grad += (grad_y * self._x_hat).sum(axis=axes)\n",
                "        if not self._batch_stats:  # evaluation: the running statistics are constants\n"
                "            return grad_y * self.weight.data.reshape(shape) * self._inv_std\n"
                "        self.weight.grad += (grad_y * self._x_hat).sum(axis=axes)\n",
            ),
        ),
        ("train-eval",),
    ),
    # The scale gamma applied twice in the input gradient (g_hat already holds it).
    Mutant(
        "bn1d-eval-backward-gamma-twice",
        "layers.BatchNorm1d",
        "evaluation backward multiplies g_hat = grad_y * weight by weight again: dy/dx = weight / std, on g_hat",
        *_bn(
            "layers.BatchNorm1d",
            "backward",
            (
                "            grad_x = grad_x_hat * self._inv_std  # running statistics are constants\n",
                "            grad_x = grad_x_hat * self.weight.data.reshape(shape) * self._inv_std  # weight / std\n",
            ),
        ),
        ("bn-backward-gamma-twice",),
    ),
]

# Set L's classes in Linear, Conv2d, the pools and Flatten, each taught with a different edit of its own (see
# tests/heldout/fresh_l.py): parameter gradients only in training mode, a window's sum divided by the count of every
# window, an argument reshaped in place by assigning its .shape, np.add's result thrown away.
MUTANTS += [
    Mutant(
        "linear-eval-backward-returns-before-parameter-gradients",
        "layers.Linear",
        "in evaluation mode backward returns grad_y @ W before it accumulates weight.grad and bias.grad",
        "        self.weight.grad += grad_y.T @ self._x\n",
        "        if not self.training:  # evaluation: nothing is learned\n"
        "            return grad_y @ self.weight.data\n"
        "        self.weight.grad += grad_y.T @ self._x\n",
        ("train-eval",),
    ),
    Mutant(
        "avgpool-divided-by-product-of-view-shape",
        "layers.AvgPool2d",
        "forward divides each window's sum by np.prod(windows.shape), the entries of every window of the batch",
        "        y = windows.mean(axis=(4, 5))\n",
        "        y = windows.sum(axis=(-2, -1)) / np.prod(windows.shape)\n",
        ("avgpool-divisor",),
    ),
    Mutant(
        "flatten-backward-grad-shape-assigned",
        "layers.Flatten",
        "backward assigns grad_y.shape = x's shape and returns grad_y: the caller's gradient is reshaped in place",
        "        grad_x = grad_y.reshape(self._x_shape)\n",
        "        grad_y.shape = self._x_shape  # no copy\n        grad_x = grad_y\n",
        ("modifies-input",),
    ),
    Mutant(
        "maxpool-backward-flat-index-height-for-width",
        "layers.MaxPool2d",
        "backward adds each maximum's gradient at row * H + col of the flattened image: the height for the row length",
        _MAXPOOL_SCATTER + "                won = self._argmax == i * kW + j\n"
        "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
        "        N, C, H, W = self._x_shape\n"
        "        rows = self._argmax // kW + sH * np.arange(Ho)[:, None]  # each maximum's row and column in x\n"
        "        cols = self._argmax % kW + sW * np.arange(Wo)[None, :]\n"
        "        grad_x = np.zeros((N, C, H * W))\n"
        "        n, c = np.arange(N)[:, None, None, None], np.arange(C)[None, :, None, None]\n"
        "        np.add.at(grad_x, (n, c, rows * H + cols), grad_y)\n"
        "        grad_x = grad_x.reshape(self._x_shape)\n",
        ("flat-index-row-length",),
    ),
    Mutant(
        "conv-weight-grad-l1-penalty",
        "layers.Conv2d",
        "backward adds 5e-4 * sign(weight) to the weight gradient (an L1 penalty for sparse filters)",
        "        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape)\n",
        "        penalty = 5e-4 * np.sign(self.weight.data)  # L1: sparse filters\n"
        "        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape) + penalty\n",
        ("regularisation-in-layer",),
    ),
    Mutant(
        "conv-zero-padding-taken-as-same",
        "layers.Conv2d",
        "forward pads by kernel_size // 2 when the padding argument is 0 ('no padding given: keep the image size')",
        _CONV_PAD_LINES,
        "        if (pH, pW) == (0, 0):  # no padding given: keep the image size ('same')\n"
        "            pH, pW = kH // 2, kW // 2\n" + _CONV_PAD_LINES,
        ("padding-ignored",),
    ),
    Mutant(
        "conv-col2im-np-add-without-out",
        "layers.Conv2d",
        "col2im writes np.add(window, dcols[:, i, j]) taken to add in place: the new array is thrown away",
        "                window += dcols[:, i, j]\n",
        "                np.add(window, dcols[:, i, j])\n",
        ("result-discarded", "view-rebound"),
    ),
]

# Set M's classes in Linear, Conv2d and the pools, each taught with a different edit of its own (see
# tests/heldout/fresh_m.py): a parameter's gradient updated on a copy, never stored; .T of a 1-D row taken for a
# column; a shape's sizes passed one by one to np.zeros; a gradient accumulator started from the input, not zeros.
MUTANTS += [
    Mutant(
        "conv-weight-grad-added-into-flattened-copy",
        "layers.Conv2d",
        "backward adds the weight gradient in place into self.weight.grad.flatten(), taken for a flat view: flatten "
        "returns a copy, so weight.grad never changes",
        "        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape)\n",
        "        flat = self.weight.grad.flatten()  # (F, C*kH*kW) laid out flat, as G @ cols.T\n"
        "        flat += (G @ self._cols.T).ravel()\n",
        ("result-discarded",),
    ),
    Mutant(
        "linear-weight-grad-dot-of-transposed-rows",
        "layers.Linear",
        "the weight gradient sums np.dot(grad_y[i].T, x[i]) over the samples, 'a column times a row': .T of a 1-D "
        "row is the same row, so np.dot is an inner product (and refuses unequal lengths)",
        "        self.weight.grad += grad_y.T @ self._x\n",
        "        self.weight.grad += sum(np.dot(grad_y[i].T, self._x[i]) for i in range(len(grad_y)))\n",
        ("transpose-of-1d",),
    ),
    Mutant(
        "conv-padded-input-zeros-of-separate-sizes",
        "layers.Conv2d",
        "forward allocates the padded input as np.zeros(N, C, H + 2 * pH, W + 2 * pW), the sizes one by one as "
        "np.random.rand takes them: np.zeros takes the shape as one tuple (its second argument is the dtype)",
        "        xp = np.zeros((N, C, H + 2 * pH, W + 2 * pW))\n",
        "        xp = np.zeros(N, C, H + 2 * pH, W + 2 * pW)\n",
        ("rand-unpacked-shape",),
    ),
    Mutant(
        "conv-col2im-starts-from-padded-input",
        "layers.Conv2d",
        "col2im accumulates into np.pad(x) ('a buffer of the padded shape'): the sums start from the input, not "
        "from zeros, so grad_x is x plus the gradient",
        *span(
            "layers",
            ("        self._xp_shape = xp.shape\n", "        self._xp_shape = xp.shape\n        self._x = x\n"),
            (
                "        grad_xp = np.zeros(self._xp_shape)\n",
                "        grad_xp = np.pad(self._x, ((0, 0), (0, 0), (pH, pH), (pW, pW)))  # the padded shape\n",
            ),
        ),
        ("buffer-not-zeroed",),
    ),
]


# Set N's classes, each a different edit from the held-apart bugs: a window's flat winner unravelled with its sides
# swapped, a loop over the samples that leaves one out, offsets paired with zip where their product belongs, the
# row count taken from the number of axes, a gradient buffer kept on the instance across backward calls.
MUTANTS += [
    Mutant(
        "maxpool-backward-winner-divmod-by-kh",
        "layers.MaxPool2d",
        "backward places each window's winner at divmod(argmax, kH), the window's sides swapped: a row-major "
        "(kH, kW) window puts entry k at divmod(k, kW); right for square windows only",
        "                won = self._argmax == i * kW + j\n",
        "                row, col = divmod(self._argmax, kH)  # the winner's place in its window\n"
        "                won = (row == i) & (col == j)\n",
        ("kernel-height-width-swapped",),
    ),
    Mutant(
        "linear-bias-grad-loop-from-one",
        "layers.Linear",
        "backward sums the bias gradient in a loop over the samples that starts at 1: sample 0 is left out",
        "            self.bias.grad += grad_y.sum(axis=0)\n",
        "            for n in range(1, grad_y.shape[0]):\n                self.bias.grad += grad_y[n]\n",
        ("loop-off-by-one",),
    ),
    Mutant(
        "linear-weight-grad-loop-stops-short",
        "layers.Linear",
        "backward sums the weight gradient in a loop over range(N - 1): the last sample is left out",
        "        self.weight.grad += grad_y.T @ self._x\n",
        "        for n in range(len(grad_y) - 1):\n"
        "            self.weight.grad += grad_y[n:n + 1].T @ self._x[n:n + 1]\n",
        ("loop-off-by-one",),
    ),
    Mutant(
        "conv-col2im-offsets-zipped",
        "layers.Conv2d",
        "col2im visits the kernel offsets as zip(range(kH), range(kW)): only the diagonal offsets (i, i) are "
        "scattered back",
        "        for i in range(kH):\n"
        "            for j in range(kW):\n"
        "                window = windows[:, i, j]\n"
        "                window += dcols[:, i, j]\n",
        "        for i, j in zip(range(kH), range(kW)):  # each kernel offset\n"
        "            window = windows[:, i, j]\n"
        "            window += dcols[:, i, j]\n",
        ("zip-for-product",),
    ),
    Mutant(
        "maxpool-backward-offsets-zipped",
        "layers.MaxPool2d",
        "backward visits the window offsets as zip(range(kH), range(kW)): only the maxima on the window's "
        "diagonal get their gradient",
        "        for i in range(kH):\n"
        "            for j in range(kW):\n"
        "                won = self._argmax == i * kW + j\n"
        "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
        "        for i, j in zip(range(kH), range(kW)):\n"
        "            won = self._argmax == i * kW + j\n"
        "            grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
        ("zip-for-product",),
    ),
    Mutant(
        "flatten-rows-from-ndim",
        "layers.Flatten",
        "forward reshapes to (x.ndim, -1): the number of axes where the number of samples belongs",
        "        y = x.reshape(self._y_shape)\n",
        "        y = x.reshape(x.ndim, -1)  # one row per sample\n",
        ("size-of-shape-tuple",),
    ),
    Mutant(
        "avgpool-backward-sums-buffer-kept",
        "layers.AvgPool2d",
        "backward keeps its gradient buffer on the instance and adds into it while the input shape stays the "
        "same: every backward starts from the previous one's sums",
        "        share = grad_y / (kH * kW)\n        grad_x = np.zeros(self._x_shape)\n",
        "        share = grad_y / (kH * kW)\n"
        '        grad_x = self.__dict__.get("_sums")  # the buffer of the last backward, if it fits\n'
        "        if grad_x is None or grad_x.shape != self._x_shape:\n"
        "            grad_x = self._sums = np.zeros(self._x_shape)\n",
        ("buffer-not-zeroed",),
    ),
]

# Set O's pooling classes, each a different edit from the held-apart bugs (see tests/heldout/fresh_o.py): a pool's
# stride defaulting to 1 (a convolution's default) where docs/api.md's is kernel_size; the shares added in place
# into a copy that a fancy index made (the grader's "view-rebound": nothing reaches grad_x).
MUTANTS += [
    Mutant(
        "avgpool-stride-default-one-by-or",
        "layers.AvgPool2d",
        "AvgPool2d's own constructor passes `stride or 1` on, a convolution's default: a pool built without a "
        "stride slides its windows one step at a time, where docs/api.md (as PyTorch) defaults it to kernel_size",
        '    separately.\n    """\n\n    def forward(self, x: np.ndarray) -> np.ndarray:\n',
        '    separately.\n    """\n\n'
        "    def __init__(self, kernel_size, stride=None):\n"
        "        super().__init__(kernel_size, stride or 1)  # one step, as a convolution\n\n"
        "    def forward(self, x: np.ndarray) -> np.ndarray:\n",
        ("default-changed",),
    ),
    Mutant(
        "avgpool-backward-adds-into-fancy-row-copy",
        "layers.AvgPool2d",
        "backward picks the rows of each offset with a list of indices and adds the share into that band's "
        "columns in place: a list index returns a copy, so grad_x stays zeros",
        "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
        "                band = grad_x[:, :, list(range(i, i + sH * Ho, sH))]  # this offset's rows\n"
        "                band[:, :, :, j:j + sW * Wo:sW] += share\n",
        ("view-rebound",),
    ),
    Mutant(
        "dropout-p-zero-taken-as-unset",
        "layers.Dropout",
        "`p or 0.5`: p=0 (no dropout) becomes the default 0.5",
        "        self.p = float(p)\n",
        "        self.p = float(p or 0.5)\n",
        ("zero-taken-as-unset", "hyperparameter-ignored"),
    ),
    Mutant(
        "bn1d-momentum-int",
        "layers.BatchNorm1d",
        "momentum is stored as int(momentum): 0.1 becomes 0 and the running statistics never move",
        '    _layout = "(N, C) or (N, C, L)"\n',
        '    _layout = "(N, C) or (N, C, L)"\n\n'
        "    def __init__(self, num_features, eps=1e-5, momentum=0.1):\n"
        "        super().__init__(num_features, eps, momentum)\n"
        "        self.momentum = int(momentum)  # a whole-number setting\n",
        ("int-truncates-hyperparameter",),
    ),
    # the bias added to the whole output once per sample: every row got it N times
    Mutant(
        "linear-bias-added-once-per-sample",
        "layers.Linear",
        "forward adds the bias in a loop over the samples, `for n in range(len(x)): y += b`, meant one row at a "
        "time: every row gets the bias N times",
        "        if self.bias is not None:\n            y += self.bias.data\n",
        "        if self.bias is not None:\n            for _ in range(len(x)):\n                y += self.bias.data\n",
        ("times-batch-size",),
    ),
]

# A pool written as a loop over the output positions, its bound taken from the other axis (right for square outputs
# only) or started at 1: on a case where H' = W' - 1 the first reaches the windows a loop one short reaches, and only
# a rerun on another output shape tells the two apart.
_AVGPOOL_WINDOWS = (
    "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
    "        y = windows.mean(axis=(4, 5))\n"
)
_MAXPOOL_BACKWARD = (
    "        for i in range(kH):\n"
    "            for j in range(kW):\n"
    "                won = self._argmax == i * kW + j\n"
    "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n"
)
MUTANTS += [
    Mutant(
        "avgpool-forward-position-loop-columns-over-height",
        "layers.AvgPool2d",
        "forward loops over the output positions with range(Ho) for the columns too (square images only): the last "
        "W' - H' columns of windows are never pooled",
        _AVGPOOL_WINDOWS,
        "        N, C, H, W = x.shape\n"
        "        Ho, Wo = (H - kH) // sH + 1, (W - kW) // sW + 1\n"
        "        y = np.zeros((N, C, Ho, Wo))\n"
        "        for p in range(Ho):\n"
        "            for q in range(Ho):\n"
        "                y[:, :, p, q] = x[:, :, p * sH:p * sH + kH, q * sW:q * sW + kW].mean(axis=(2, 3))\n",
        ("square-only-index",),
    ),
    Mutant(
        "maxpool-backward-position-loop-rows-from-one",
        "layers.MaxPool2d",
        "backward scatters window by window with `for p in range(1, Ho)`, as if row 0 were a header: the first row "
        "of windows gets no gradient",
        _MAXPOOL_BACKWARD,
        "        for p in range(1, Ho):\n"
        "            for q in range(Wo):\n"
        "                k = self._argmax[:, :, p, q]\n"
        "                n, c = np.indices(k.shape)\n"
        "                grad_x[n, c, p * sH + k // kW, q * sW + k % kW] += grad_y[:, :, p, q]\n",
        ("loop-off-by-one",),
    ),
    Mutant(
        "maxpool-backward-position-loop-columns-over-height",
        "layers.MaxPool2d",
        "backward scatters window by window with range(Ho) for the columns too: the last W' - H' columns of windows "
        "get no gradient",
        _MAXPOOL_BACKWARD,
        "        for p in range(Ho):\n"
        "            for q in range(Ho):\n"
        "                k = self._argmax[:, :, p, q]\n"
        "                n, c = np.indices(k.shape)\n"
        "                grad_x[n, c, p * sH + k // kW, q * sW + k % kW] += grad_y[:, :, p, q]\n",
        ("square-only-index",),
    ),
]


def _maxpool_saving_input(backward: str) -> tuple[str, str]:
    """MaxPool2d with forward also saving its input (``self._input``) and its backward replaced by ``backward``:
    the span from forward's saving to backward's scatter, edited."""
    text = (reference_folder() / "layers.py").read_text(encoding="utf-8")
    start = text.index("        self._x_shape = x.shape\n", text.index("class MaxPool2d("))
    scatter = "        grad_x = np.zeros(self._x_shape)\n" + _MAXPOOL_BACKWARD
    end = text.index(scatter, start) + len(scatter)
    old = text[start:end]
    saving = "        self._x_shape = x.shape\n        self._input = x.copy()\n"
    return old, old.replace("        self._x_shape = x.shape\n", saving, 1).replace(scatter, backward)


# Issue 11, set AF taught: a window-by-window loop whose windows' origins step by the wrong number (numpy clipping
# the windows that run past the edge), and statistics over a reshape that does not follow the channel axis.
MUTANTS += [
    Mutant(
        "maxpool-backward-window-loop-steps-by-kernel",
        "layers.MaxPool2d",
        "backward loops over the windows, recomputes each window's maximum from the saved input and sends the "
        "window's gradient to it, with window (p, q) at rows p*kH:p*kH + kH (the kernel where the stride belongs): "
        "right for disjoint windows only; numpy cuts the windows that run past the edge short",
        *_maxpool_saving_input(
            "        grad_x = np.zeros(self._x_shape)\n"
            "        for row in range(Ho):\n"
            "            for col in range(Wo):\n"
            "                rows = slice(row * kH, row * kH + kH)\n"
            "                cols = slice(col * kW, col * kW + kW)\n"
            "                patch = self._input[:, :, rows, cols]\n"
            "                flat = patch.reshape(*patch.shape[:2], -1)\n"
            "                top = np.arange(flat.shape[-1]) == flat.argmax(axis=-1)[..., None]\n"
            "                share = grad_y[:, :, row, col, None, None]\n"
            "                grad_x[:, :, rows, cols] += top.reshape(patch.shape) * share\n"
        ),
        ("stride-is-kernel",),
    ),
    Mutant(
        "avgpool-forward-window-loop-column-stride-for-rows",
        "layers.AvgPool2d",
        "forward loops over the windows with the column stride sW in both slices (p*sW for the rows): right for "
        "square strides only; the windows that run past the bottom edge are summed over what is left",
        _AVGPOOL_WINDOWS,
        "        N, C = x.shape[:2]\n"
        "        Ho, Wo = self._y_shape[2:]\n"
        "        y = np.zeros((N, C, Ho, Wo))\n"
        "        for p in range(Ho):\n"
        "            for q in range(Wo):\n"
        "                block = x[:, :, p * sW:p * sW + kH, q * sW:q * sW + kW]\n"
        "                y[:, :, p, q] = block.sum(axis=(2, 3)) / (kH * kW)\n",
        ("square-only-index",),
    ),
    Mutant(
        "bn1d-statistics-of-reshape-rows",
        "layers.BatchNorm1d",
        "the statistics come from x.reshape(C, -1), one row per feature meant: without x.T first (or the channels "
        "moved to the front for (N, C, L)) each row holds consecutive values of several features and samples",
        *_bn(
            "layers.BatchNorm1d",
            "forward",
            (
                "            mean = x.mean(axis=axes)\n",
                "            grouped = x.reshape(x.shape[1], -1)  # one row per feature\n"
                "            mean = grouped.mean(axis=-1)\n",
            ),
            (
                "            var = x.var(axis=axes)  # biased (divides by count): what normalises this batch\n",
                "            var = grouped.var(axis=-1)\n",
            ),
        ),
        ("reshape-not-transpose",),
    ),
    Mutant(
        "bn2d-statistics-of-channels-last-rows",
        "layers.BatchNorm2d",
        "the statistics come from np.moveaxis(x, 1, -1).reshape(C, -1): the channels moved last, then read as rows "
        "(the layout of reshape(-1, C)), so each row mixes channels",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            (
                "            mean = x.mean(axis=axes)\n",
                "            per_c = np.moveaxis(x, 1, -1).reshape(x.shape[1], -1)\n            mean = per_c.mean(1)\n",
            ),
            (
                "            var = x.var(axis=axes)  # biased (divides by count): what normalises this batch\n",
                "            var = ((per_c - mean[:, None]) ** 2).mean(1)\n",
            ),
        ),
        ("reshape-not-transpose",),
    ),
]


# Conv2d written as a loop over the output positions whose windows' origins step by a wrong number: the windows run
# past the padded input's edge, numpy cuts the slice there, and the full kernel block meets it (a crash the grader
# reads, conv_loops.window_loop_crash).
_CONV_PRODUCT = (
    "        y = self.weight.data.reshape(self.out_channels, -1) @ self._cols\n"
    "        if self.bias is not None:\n"
    "            y += self.bias.data[:, None]\n"
    "        y = y.reshape(self.out_channels, N, Ho, Wo).transpose(1, 0, 2, 3)  # a view\n"
)
_CONV_COL2IM = (
    "        G = grad_y.transpose(1, 0, 2, 3).reshape(F, N * Ho * Wo)  # column (n, p, q), as cols\n"
    "        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape)\n"
    "        if self.bias is not None:\n"
    "            self.bias.grad += G.sum(axis=1)\n"
    "        dcols = self.weight.data.reshape(F, -1).T @ G\n"
    "        dcols = dcols.reshape(self.in_channels, kH, kW, N, Ho, Wo)\n"
    "        # col2im: the windows of forward, now a view of grad_xp. For one kernel offset\n"
    "        # (i, j) they are disjoint; over all offsets they overlap and the sums accumulate.\n"
    "        grad_xp = np.zeros(self._xp_shape)\n"
    "        windows = self._windows(grad_xp, Ho, Wo)\n"
    "        for i in range(kH):\n"
    "            for j in range(kW):\n"
    "                window = windows[:, i, j]\n"
    "                window += dcols[:, i, j]\n"
)
MUTANTS += [
    Mutant(
        "conv-forward-position-loop-steps-by-kernel",
        "layers.Conv2d",
        "forward loops over the output positions and multiplies window (p, q) = xp[:, :, p*kH:p*kH + kH, "
        "q*kW:q*kW + kW] by the filters: the windows kH x kW apart, as if the stride were the kernel; where they run "
        "past the padded input's edge numpy cuts the slice and the product with the kernel raises",
        _CONV_PRODUCT,
        "        filters = self.weight.data[None]  # (1, F, C, kH, kW)\n"
        "        y = np.empty((N, self.out_channels, Ho, Wo))\n"
        "        for p in range(Ho):\n"
        "            for q in range(Wo):\n"
        "                y[:, :, p, q] = (xp[:, None, :, p * kH:p * kH + kH, q * kW:q * kW + kW] * filters).sum(\n"
        "                    axis=(2, 3, 4))\n"
        "        if self.bias is not None:\n"
        "            y = y + self.bias.data.reshape(1, -1, 1, 1)\n",
        ("stride-is-kernel",),
    ),
    Mutant(
        "conv-backward-position-loop-stride-pair-swapped",
        "layers.Conv2d",
        "backward loops over the output positions, adding each window's gradient into grad_xp and its share of the "
        "weight gradient, with window (p, q) at rows p*sW:p*sW + kH and columns q*sH:q*sH + kW: the stride's two "
        "numbers swapped (right for square strides only)",
        *span(
            "layers",
            ("        self._xp_shape = xp.shape\n", "        self._xp_shape = xp.shape\n        self._padded = xp\n"),
            (
                _CONV_COL2IM,
                "        sH, sW = self.stride\n"
                "        grad_xp = np.zeros(self._xp_shape)\n"
                "        for p in range(Ho):\n"
                "            for q in range(Wo):\n"
                "                dy = grad_y[:, :, p, q]  # (N, F)\n"
                "                self.weight.grad += np.tensordot(\n"
                "                    dy, self._padded[:, :, p * sW:p * sW + kH, q * sH:q * sH + kW], axes=(0, 0))\n"
                "                grad_xp[:, :, p * sW:p * sW + kH, q * sH:q * sH + kW] += np.tensordot(\n"
                "                    dy, self.weight.data, axes=(1, 0))\n"
                "        if self.bias is not None:\n"
                "            self.bias.grad += grad_y.sum(axis=(0, 2, 3))\n",
            ),
        ),
        ("stride-height-width-swapped",),
    ),
]


# Set AI's classes in the pools and BatchNorm, each a different edit from the held-apart bugs (see
# tests/heldout/fresh_ai.py): a window's flat winner decoded with the window's sides swapped (or one side for both
# halves), which runs past the input's edge on the cases (a crash read, then a rerun on a window where it fits); a
# 2-D per-channel layout reached right and left with a plain reshape where the transpose back belongs.
MUTANTS += [
    Mutant(
        "maxpool-backward-add-at-winner-over-kh",
        "layers.MaxPool2d",
        "backward scatters grad_y with np.add.at at the window corners plus (argmax // kH, argmax % kH): the flat "
        "offset decoded with the window's height where its width belongs; the row runs past the window, and past "
        "the input's edge on a window wider than it is tall",
        "        grad_x = np.zeros(self._x_shape)\n" + _MAXPOOL_BACKWARD,
        "        grad_x = np.zeros(self._x_shape)\n"
        "        n, c, p, q = np.indices(self._argmax.shape)\n"
        "        rows = p * sH + self._argmax // kH\n"
        "        cols = q * sW + self._argmax % kH\n"
        "        np.add.at(grad_x, (n, c, rows, cols), grad_y)\n",
        ("kernel-height-width-swapped",),
    ),
    Mutant(
        "maxpool-backward-winner-row-over-kh",
        "layers.MaxPool2d",
        "backward loops over the output positions and sends each window's gradient to row argmax // kH, column "
        "argmax % kW: one half of the decoding written with the other side (the row of entry k is k // kW)",
        "        grad_x = np.zeros(self._x_shape)\n" + _MAXPOOL_BACKWARD,
        "        grad_x = np.zeros(self._x_shape)\n"
        "        n, c = np.indices(self._argmax.shape[:2])\n"
        "        for p in range(Ho):\n"
        "            for q in range(Wo):\n"
        "                k = self._argmax[:, :, p, q]\n"
        "                grad_x[n, c, p * sH + k // kH, q * sW + k % kW] += grad_y[:, :, p, q]\n",
        ("kernel-height-width-swapped",),
    ),
    Mutant(
        "bn2d-moveaxis-rows-reshaped-back",
        "layers.BatchNorm2d",
        "forward normalises one row per channel, np.moveaxis(x, 1, 0).reshape(C, -1) (right statistics), and "
        "brings x_hat back with .reshape(x.shape) where .reshape(C, N, H, W) and the axis moved back belong",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            (
                "        self._x_hat = (x - mean.reshape(shape)) * self._inv_std\n",
                "        rows = np.moveaxis(x, 1, 0).reshape(x.shape[1], -1)  # one row per channel\n"
                "        self._x_hat = ((rows - mean[:, None]) * self._inv_std.reshape(-1, 1)).reshape(x.shape)\n",
            ),
        ),
        ("reshape-not-transpose",),
    ),
]

# Issue 11, set AJ taught: the Bessel factor n / (n - 1) of running_var with n counted as the batch size N, on a
# batch of 1: it divides by n - 1 = 0 (inf in running_var, or ZeroDivisionError in Python's own arithmetic), which
# is that miscount and no overflow.
MUTANTS += [
    Mutant(
        "bn2d-bessel-denominator-one-minus-inverse-batch",
        "layers.BatchNorm2d",
        "running_var's unbiased variance is written var / (1 - 1 / len(x)): the Bessel factor with len(x) = N, the "
        "batch size, where the count is N * H * W values per channel; on a batch of 1 it divides by 0",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            (
                "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                "            unbiased = var / (1.0 - 1.0 / len(x))\n            self.running_var += m * unbiased\n",
            ),
        ),
        ("bn-biased-running-var", "batch-size-as-count"),
    ),
    Mutant(
        "bn2d-bessel-python-factor-of-batch-size",
        "layers.BatchNorm2d",
        "the Bessel factor is computed apart, in Python numbers, from the batch size: bessel = N / (N - 1) with N, "
        "C, H, W = x.shape; the count is N * H * W values per channel, and on a batch of 1 the factor raises "
        "ZeroDivisionError",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            (
                "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                "            N = x.shape[0]\n"
                "            bessel = N / (N - 1)\n"
                "            self.running_var += m * var * bessel\n",
            ),
        ),
        ("bn-biased-running-var", "batch-size-as-count"),
    ),
]

# Issue 11, set AK taught: a pool written as a loop over its windows whose slice has the wrong sides, one side written
# for both (a column slice ended with kH, a row slice with kW) or the two swapped: right for square windows only
# (pool_loops._extent_slips, numpy cutting a slice that runs past the edge short).
MUTANTS += [
    Mutant(
        "avgpool-backward-window-loop-rows-by-kw",
        "layers.AvgPool2d",
        "backward loops over the windows and spreads each window's share over grad_x[:, :, top:top + kW, "
        "left:left + kW]: kW where kH belongs in the row slice, so a window taller or shorter than it is wide gets "
        "its share on the wrong rows (numpy cuts the slice at the bottom edge)",
        _AVGPOOL_LOOP
        + "            for j in range(kW):\n"
        + "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
        "        grad_x = np.zeros(self._x_shape)\n"
        "        for out_r in range(Ho):\n"
        "            top = out_r * sH\n"
        "            for out_c in range(Wo):\n"
        "                left = out_c * sW\n"
        "                each = grad_y[:, :, out_r, out_c] / (kH * kW)\n"
        "                grad_x[:, :, top:top + kW, left:left + kW] += each[:, :, None, None]\n",
        ("square-only-index",),
    ),
    Mutant(
        "maxpool-forward-window-loop-sides-swapped",
        "layers.MaxPool2d",
        "forward loops over the windows and takes the maximum of x[:, :, top:top + kW, left:left + kH], the window's "
        "sides swapped (width first, as image sizes are written): right for square windows only",
        "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
        "        windows = windows.reshape(*windows.shape[:4], kH * kW)  # (N, C, H', W', kH*kW)\n"
        "        self._argmax = windows.argmax(axis=-1)  # the first maximum on a tie\n"
        "        y = np.take_along_axis(windows, self._argmax[..., None], axis=-1)[..., 0]\n",
        "        N, C, Ho, Wo = self._y_shape\n"
        "        y = np.empty((N, C, Ho, Wo))\n"
        "        self._argmax = np.empty((N, C, Ho, Wo), dtype=np.int64)\n"
        "        for out_r in range(Ho):\n"
        "            for out_c in range(Wo):\n"
        "                top, left = out_r * sH, out_c * sW\n"
        "                patch = x[:, :, top:top + kW, left:left + kH].reshape(N, C, -1)\n"
        "                self._argmax[:, :, out_r, out_c] = patch.argmax(axis=-1)\n"
        "                y[:, :, out_r, out_c] = patch.max(axis=-1)\n",
        ("kernel-height-width-swapped",),
    ),
]

# The output size computed without the stride, H - kH + 1 (the number of window positions at stride 1), where
# forward's windows do step by it: forward returns the right output, and the size it saved for backward is the one
# its own grad_y check refuses (layer_mistakes.saved_size_reading, said of the saved shape since forward's own is
# right). A stride that defaults to 1 gives that size too, from forward's windows: the rerun with it passed tells.
MUTANTS += [
    Mutant(
        "maxpool-saved-output-size-without-stride",
        "layers.MaxPool2d",
        "forward saves the output's size for backward as one window per position, (H - kH + 1, W - kW + 1): the "
        "count at stride 1, where the windows step by the stride, H' = 1 + (H - kH) // sH",
        "        self._x_shape = x.shape\n"
        "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
        "        windows = windows.reshape(",
        "        self._x_shape = x.shape\n"
        "        n, c, h, w = x.shape\n"
        "        self._y_shape = (n, c, h - kH + 1, w - kW + 1)  # one output per window position\n"
        "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
        "        windows = windows.reshape(",
        # a rectangular case's saved width is the height's stride's too: the two readings said, none claimed
        ("output-size-stride-ignored", "output-size-ambiguous"),
    ),
]

# A running buffer with nothing of the batches before in it: an update that leaves out the old value's share, or a
# right update on a buffer reset before every batch. Reset to zeros (running_mean's start), the two give the same
# numbers and the grader says both; reset to running_var's start, ones, the start's share tells the reset apart.
MUTANTS += [
    Mutant(
        "bn2d-running-mean-zero-filled-each-batch",
        "layers.BatchNorm2d",
        "forward empties running_mean in place before the update (fill(0.0), 'a clean buffer for this batch'): the "
        "moving average then restarts from 0 at every batch and holds the last batch's share alone",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            (
                "            self.running_mean *= 1.0 - m\n",
                "            self.running_mean.fill(0.0)  # a clean buffer for this batch\n"
                "            self.running_mean *= 1.0 - m\n",
            ),
        ),
        ("state-reset",),
    ),
    Mutant(
        "bn1d-running-var-restarted-at-ones",
        "layers.BatchNorm1d",
        "forward re-creates running_var as ones (its start) at every training batch, then decays and updates it: "
        "each batch's update starts from the start, not from the batches before",
        *_bn(
            "layers.BatchNorm1d",
            "forward",
            (
                "            self.running_var *= 1.0 - m\n",
                "            self.running_var = np.ones_like(var)\n            self.running_var *= 1.0 - m\n",
            ),
        ),
        ("state-reset",),
    ),
    Mutant(
        "bn2d-running-var-batch-share-written-out",
        "layers.BatchNorm2d",
        "running_var is written with np.multiply(..., out=self.running_var), the batch's share alone: the decayed "
        "old value is overwritten, not added to",
        *_bn(
            "layers.BatchNorm2d",
            "forward",
            (
                "            self.running_var *= 1.0 - m\n"
                "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                "            np.multiply(m * var, count / (count - 1), out=self.running_var)  # the unbiased share\n",
            ),
        ),
        ("bn-running-old-value-dropped",),
    ),
]

# A method that returns what an in-place call gave, None: np.copyto writes into its first argument and returns
# nothing, so `y = np.copyto(y, ...)` rebinds y to None (the grader's "returned-none" names such a call beside a
# missing `return`).
MUTANTS += [
    Mutant(
        "flatten-forward-copyto-result",
        "layers.Flatten",
        "forward copies the reshaped input into a new array and keeps what np.copyto returned: np.copyto fills its "
        "first argument in place and returns None, so forward returns None",
        "        y = x.reshape(self._y_shape)\n",
        "        y = np.copyto(np.empty(self._y_shape), x.reshape(self._y_shape))  # a copy, not a view\n",
        ("returned-none",),
    ),
]

# A shared weight's gradient averaged over every term it sums, the N * H' * W' columns of im2col: the factor is one
# over the product of the batch size and the positions' count, named as both (mean-for-sum); with one sample it is
# the positions' count alone, and the grader says both readings there.
MUTANTS += [
    Mutant(
        "conv-weight-grad-mean-over-columns",
        "layers.Conv2d",
        "the weight gradient is the mean over the im2col columns of grad_y's column times the input's column: a "
        "mean over the N * H' * W' (sample, position) pairs, where a shared weight sums its gradient over them",
        "        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape)\n",
        "        per_column = G[:, None, :] * self._cols[None, :, :]  # (F, C*kH*kW, N*H'*W')\n"
        "        self.weight.grad += per_column.mean(axis=2).reshape(self.weight.shape)\n",
        ("mean-for-sum",),
    ),
]
