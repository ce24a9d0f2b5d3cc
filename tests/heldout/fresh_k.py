"""Held-apart set K: fresh student bugs, written blind after sets A, B, C, D, E, F, G, H, I and J had been seen.

Sets A (``HELDOUT``) to J (``FRESH_J``) have been read by the people improving the diagnosis, so they no
longer measure generalisation. Set K was written blind: its author read the reference, docs/api.md, the
catalogue's mutants (graders/mutants), the alternatives (tests/alternatives, to keep out of what is graded
correct) and sets A to J (for the format, the tag vocabulary and to avoid copies), but never the diagnosis
(graders/judging, graders/reporting, graders/running, graders/selfcheck), tests/evidence.py, the feedback
audit, the mistake, crash and feedback tests, the grader's feedback or its output, and graded none of these
bugs while writing them (besides the structural check of /work/tools/check_set.py, a dozen were applied
and run by a script of the author's own on a tiny input beside the reference, to see that the edit changes a
result; none went through the grader).
They are mistakes students make, chosen from classes the earlier sets hardly touch: numpy and Python semantics
(``np.tile`` taken for ``np.repeat``, ``rng.permuted`` that shuffles every column on its own, ``rng.shuffle``
that works in place and returns None, ``np.asarray`` taken for a copy, ``out=`` into the saved mask,
``np.moveaxis`` never undone, ``np.linalg.norm`` for "normalise", ``np.nan_to_num`` for a clamp, ``len()`` of
a matrix for its size, a chained assignment that makes two state arrays one, a dict keyed by shape that merges
parameters, a generator expression where a list belongs, an overriding method whose name is misspelt, ``and``
for ``or``, an iterator made once and exhausted, the empty product taken as 0, ``np.eye(labels.max() + 1)``),
numerics (``e^(x - m)`` rewritten ``e^x / e^m``, ``x^2`` overflowing to ``inf * 0`` without the clip, sigmoid
outputs clipped to ``[1e-7, 1 - 1e-7]``, sklearn's ``1e-15`` clip of the probabilities, Adadelta without
``eps`` in the denominator, a centred RMS written ``sqrt(v) - m``), algebra and formulas remembered wrongly
(``relu(x) + slope relu(-x)``, ReLU'(0) = 1/2, the softmax derivative applied again after cross-entropy's, the
logistic loss of -1/+1 labels on 0/1 targets, a one-vs-rest hinge, the hinge's true class counted in every
term, ``sqrt(var / 3)`` for the uniform bound, ``(1 + a)^2`` for ``1 + a^2``, ``gamma`` applied twice in
BatchNorm's compact backward, the floor put on one magnitude), hyper-parameter and convention semantics
(momentum replaced by a cumulative average, Adagrad's ``lr_decay`` read as a factor or as a decay of the
accumulator, RMSprop given Adam's bias correction, Adam's first moment without ``1 - beta1``, Xavier's default
gain taken as tanh's, a fan-out without the receptive field, a Maxout or Conv2d fan-in that counts pieces or
only channels, Keras' default batch of 32 for ``batch_size=None``, an epoch taken for one step, the gradient
seeded with ones, an annealed or averaged perceptron, a step built from ``sign``, early stopping that judges
the gap between training and validation loss) and state (PReLU's weight reshaped for good, the branch read
from the output, an input saved in training only, BatchNorm's backward reading the running variance,
evaluation backward without parameter gradients, Bessel's count over every channel, the amsgrad maximum
written into the average, a training mode that toggles, a patience reset by any decrease, validation losses
recorded on improvement only, ``best_epoch`` recorded only with ``restore_best``, a restore one epoch late, a
spot check of random entries for the whole gradient, an AvgPool gradient tiled, a Conv2d gradient averaged
over positions or left padded, a loss gradient kept ravelled, label smoothing added to cross-entropy, a tiny
last batch merged). Each is a different edit from the catalogue's and sets A to J's. Ids start with ``hk-``.
The ``expect`` tags and ``phrases`` were decided from the misconception alone, before any grading: a catalogue
tag where one names the mistake, else a new descriptive tag; phrases are words any correct explanation would
contain, never text of numpy's or Python's own error messages.

Blind rate, measured before anybody read the set (session 10, on 6ec35bf with sets A to J worked on):
33/74 named (45 %), 14 flagged misleading, 63/74 caught (eleven not caught: eight grader gaps, and three that
are no mistake under the contract, dropped after grading (see their comments), so 71 remain).
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hk-")  # set K


_IN_PLACE = ("in place", "in-place", "caller's", "overwrit")

# ----------------------------------------------------------------------------------------- activations
ACTIVATIONS = [
    fresh(
        "hk-logsoftmax-moveaxis-not-undone",
        "activations.LogSoftmax",
        "forward moves axis dim to the end with np.moveaxis to work along the last axis, as for (N, C), and returns "
        "the result without moving the axis back: for any dim but the last the output's axes are permuted (and "
        "backward, which reduces along dim, meets the permuted softmax)",
        (
            "        shifted = x - np.max(x, axis=self.dim, keepdims=True)\n"
            "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n",
            "        x = np.moveaxis(x, self.dim, -1)  # work along the last axis, as for (N, C)\n"
            "        shifted = x - np.max(x, axis=-1, keepdims=True)\n"
            "        y = shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))\n",
        ),
        expect=("axes-permuted", "moveaxis-not-undone"),
        phrases=("moveaxis", "moved back", "axes permuted", "axis order", "transposed", "shaped like x"),
    ),
    fresh(
        "hk-softmax-normalised-by-euclidean-norm",
        "activations.Softmax",
        "forward 'normalises' the exponentials with np.linalg.norm along dim, the Euclidean length: the outputs "
        "then have unit L2 norm, where probabilities must sum to 1 (divide by the sum)",
        (
            "        self._y = e / np.sum(e, axis=self.dim, keepdims=True)\n",
            "        self._y = e / np.linalg.norm(e, axis=self.dim, keepdims=True)  # normalise\n",
        ),
        expect=("softmax-not-normalised", "l2-norm-for-sum"),
        phrases=("sum to 1", "sums to 1", "sum to one", "euclidean", "l2 norm", "linalg.norm"),
    ),
    fresh(
        "hk-softmax-shift-as-quotient-of-exponentials",
        "activations.Softmax",
        "the shift is written e^(x - m) = e^x / e^m, np.exp(x) / np.exp(max): algebraically the same, but both "
        "exponentials overflow for large logits and inf / inf is nan; the maximum must be subtracted inside the "
        "exponent",
        (
            "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n",
            "        e = np.exp(x) / np.exp(np.max(x, axis=self.dim, keepdims=True))  # e^(x - m) = e^x / e^m\n",
        ),
        expect=("overflow",),
        phrases=("overflow", "inf / inf", "inf/inf", "inside the exponent", "before exponentiating", "nan"),
    ),
    fresh(
        "hk-relu-kink-heaviside-half",
        "activations.ReLU",
        "the mask is np.heaviside(x, 0.5) and backward multiplies grad_y by it: at the kink the derivative is "
        "1/2, the average of the one-sided slopes, where ReLU'(0) = 0 (PyTorch's x <= 0 branch)",
        span(
            "activations",
            (
                "        self._mask = x > 0\n",
                "        self._mask = np.heaviside(x, 0.5)  # the step, 1/2 at the kink\n",
            ),
            ("        return np.where(self._mask, grad_y, 0.0)\n", "        return grad_y * self._mask\n"),
        ),
        expect=("kink-value", "kink-derivative"),
        phrases=("relu'(0)", "at x = 0", "at zero", "kink", "heaviside", "1/2"),
    ),
    fresh(
        "hk-leakyrelu-decomposition-sign",
        "activations.LeakyReLU",
        "forward is written as relu(x) + negative_slope * relu(-x): relu(-x) = -x for negative inputs, so the "
        "negative branch gives -negative_slope * x, a positive output; the decomposition needs a minus sign",
        (
            "        return np.where(x > 0, x, self.negative_slope * x)\n",
            "        return np.maximum(x, 0.0) + self.negative_slope * np.maximum(-x, 0.0)"
            "  # relu(x) + slope relu(-x)\n",
        ),
        expect=("sign-flipped",),
        phrases=("sign", "minus", "relu(x) -", "negative_slope * x", "positive output", "negative inputs"),
    ),
    fresh(
        "hk-prelu-weight-reshaped-in-place",
        "activations.PReLU",
        "forward reshapes the slopes for broadcasting and stores the result back into weight.data: the parameter "
        "changes shape from (num_parameters,) to (1, C, 1, 1) (or () for one slope), no longer matching its "
        "gradient, which breaks the optimizer's update",
        (
            "        self._a = self.weight.data.reshape(self._slope_shape(x.ndim))\n",
            "        self.weight.data = self.weight.data.reshape(self._slope_shape(x.ndim))  # broadcastable now\n"
            "        self._a = self.weight.data\n",
        ),
        expect=("parameter-reshaped", "wrong-shape"),
        phrases=("(num_parameters,)", "weight.data", "parameter's shape", "shape of the weight", "reshaped"),
    ),
    fresh(
        "hk-prelu-branch-from-output-sign",
        "activations.PReLU",
        "backward picks the negative branch where the saved output is negative (y < 0): that is x < 0 only for a "
        "positive slope; at x = 0, for a slope of 0 or a negative slope the branch is wrong (it belongs to x <= 0)",
        span(
            "activations",
            (
                "        return np.where(x > 0, x, self._a * x)\n",
                "        self._y = np.where(x > 0, x, self._a * x)\n        return self._y\n",
            ),
            (
                "        negative = self._x <= 0\n",
                "        negative = self._y < 0  # the branch whose output is negative\n",
            ),
        ),
        expect=("mask-from-output",),
        phrases=("x <= 0", "sign of x", "sign of the input", "from the output", "kink", "slope is"),
    ),
    # Dropped after grading: hk-gelu-tanh-backward-unclipped-overflow (the tanh form's backward on the unclipped
    # input, nan beyond |x| = 1.3e154 where x * x overflows) is no mistake under the contract: PyTorch's own
    # tanh-GELU gradient is nan there too (torch 2.13, float64: nan at |x| = 1e160), and the grader's extreme
    # inputs stop at 1e4.
    fresh(
        "hk-sigmoid-output-clipped",
        "activations.Sigmoid",
        "forward clips the output to [1e-7, 1 - 1e-7] so that it is never exactly 0 or 1 (the habit of code that "
        "takes its log next): the tails are wrong by up to 1e-7 and the derivative y (1 - y) no longer vanishes "
        "for large |x|",
        (
            "        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n",
            "        self._y = np.clip(np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z)), 1e-7, 1.0 - 1e-7)\n",
        ),
        expect=("output-clipped", "preprocessing-added"),
        phrases=("clip", "1e-7", "exactly 0", "tails", "saturat"),
    ),
    # Dropped after grading: hk-maxout-init-bound-counts-pieces is no mistake under docs/api.md, which leaves a
    # layer's initial weights to the implementation (the graders overwrite .data before comparing); only PReLU's
    # init value is part of the contract.
]

# ----------------------------------------------------------------------------------------- layers
LAYERS = [
    fresh(
        "hk-linear-no-bias-early-return",
        "layers.Linear",
        "backward handles bias=False first with an early return of grad_y @ weight ('nothing to learn but the "
        "input gradient'): the weight gradient is never accumulated for a layer without a bias",
        (
            "        self.weight.grad += grad_y.T @ self._x\n"
            "        if self.bias is not None:\n"
            "            self.bias.grad += grad_y.sum(axis=0)\n",
            "        if self.bias is None:  # nothing to learn but the input gradient\n"
            "            return grad_y @ self.weight.data\n"
            "        self.weight.grad += grad_y.T @ self._x\n"
            "        self.bias.grad += grad_y.sum(axis=0)\n",
        ),
        expect=("gradient-missing", "bias-none"),
        phrases=("bias=false", "weight gradient", "weight.grad", "without a bias", "early return"),
    ),
    fresh(
        "hk-linear-input-saved-in-training-only",
        "layers.Linear",
        "forward saves its input only in training mode ('no backward follows in evaluation'): a backward after an "
        "eval-mode forward uses the input of an earlier training forward (or none)",
        (
            "        self._x = x\n        y = x @ self.weight.data.T\n",
            "        if self.training:  # no backward follows in evaluation\n"
            "            self._x = x\n"
            "        y = x @ self.weight.data.T\n",
        ),
        expect=("saved-none", "train-eval"),
        phrases=("eval", "evaluation mode", "last forward", "stale", "saved input"),
    ),
    fresh(
        "hk-conv-bias-tiled-not-repeated",
        "layers.Conv2d",
        "the bias is spread over the (F, N*H'*W') product with np.tile(bias, N*H'*W').reshape(F, -1): tile repeats "
        "the whole vector (b0 b1 b2 b0 b1 ...), so each row mixes the filters' biases; np.repeat (or bias[:, None]) "
        "gives each filter its own",
        (
            "            y += self.bias.data[:, None]\n",
            "            y += np.tile(self.bias.data, N * Ho * Wo).reshape(self.out_channels, -1)  # one per column\n",
        ),
        expect=("broadcast-wrong-axis", "tile-for-repeat"),
        phrases=("np.repeat", "repeat", "tile", "interleav", "bias[:, none]", "each filter"),
    ),
    fresh(
        "hk-conv-weight-grad-averaged-over-positions",
        "layers.Conv2d",
        "the weight gradient is divided by H' * W', 'the weights are shared, so average their gradient over the "
        "positions': a weight used at every position collects the sum of its gradients there",
        (
            "        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape)\n",
            "        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape) / (Ho * Wo)"
            "  # shared: average\n",
        ),
        # added after reading output (tag-vocabulary audit): mean-over-positions-not-sum
        expect=("shared-weight-averaged", "mean-over-positions-not-sum"),
        phrases=("sum over", "every position", "positions", "h' * w'", "shared", "averag"),
    ),
    fresh(
        "hk-conv-unpad-only-when-both-paddings",
        "layers.Conv2d",
        "backward drops the padding only `if pH > 0 and pW > 0`: with padding on one axis only, (1, 0) or (0, 2), "
        "the padded gradient is returned whole and is not shaped like x (`or` was meant)",
        (
            "        grad_x = grad_xp[:, :, pH:pH + H, pW:pW + W]\n",
            "        if pH > 0 and pW > 0:  # only a padded input has a border to drop\n"
            "            grad_x = grad_xp[:, :, pH:pH + H, pW:pW + W]\n"
            "        else:\n"
            "            grad_x = grad_xp\n",
        ),
        expect=("padding-slice-bounds", "and-for-or"),
        phrases=("either", "ph > 0 or", "one axis", "asymmetric", "padding is 0", "shaped like x"),
    ),
    # Dropped after grading: hk-conv-init-fan-in-channels-only (the default bound 1/sqrt(C) without the kernel's
    # area) differs from PyTorch's draw, but docs/api.md leaves a layer's initial weights to the implementation
    # (the graders overwrite .data before comparing), so no row grades them; the weaker draw still trains.
    fresh(
        "hk-maxpool-largest-magnitude",
        "layers.MaxPool2d",
        "each window's winner is the argmax of |x|, 'the strongest response': for a window whose most negative "
        "entry is larger in magnitude than its maximum, that negative entry is output and gets the gradient",
        (
            "        self._argmax = windows.argmax(axis=-1)  # the first maximum on a tie\n",
            "        self._argmax = np.abs(windows).argmax(axis=-1)  # the strongest response\n",
        ),
        expect=("max-of-abs",),
        phrases=("absolute", "magnitude", "abs", "negative", "largest value"),
    ),
    fresh(
        "hk-maxpool-reversed-argmax-not-mapped-back",
        "layers.MaxPool2d",
        "forward takes the argmax of the reversed window, windows[..., ::-1], to pick the last maximum on a tie, "
        "and keeps that index: it counts from the end, so it must be mapped back (kH*kW - 1 - index); as it is, "
        "the mirrored entry is output and gets the gradient",
        (
            "        self._argmax = windows.argmax(axis=-1)  # the first maximum on a tie\n",
            "        self._argmax = windows[..., ::-1].argmax(axis=-1)  # the last maximum on a tie\n",
        ),
        expect=("window-offset-transposed", "reversed-index-not-mapped-back"),
        phrases=("reversed", "kh * kw - 1", "mirror", "map back", "mapped back", "from the end"),
    ),
    fresh(
        "hk-avgpool-backward-tile-for-repeat",
        "layers.AvgPool2d",
        "backward spreads the share with np.tile(share, (1, 1, kH, kW)): tile lays whole copies of the (H', W') "
        "array side by side, so an entry gets another window's share; np.repeat along each axis (and only for "
        "windows that tile the input) would give each window's entries its own",
        (
            "        grad_x = np.zeros(self._x_shape)\n"
            "        for i in range(kH):\n"
            "            for j in range(kW):\n"
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
            "        grad_x = np.zeros(self._x_shape)\n"
            "        grad_x[:, :, :Ho * kH, :Wo * kW] = np.tile(share, (1, 1, kH, kW))  # spread over each window\n",
        ),
        expect=("tile-for-repeat", "windows-assumed-to-tile"),
        phrases=("np.repeat", "repeat", "tile", "its own window", "stride"),
    ),
    fresh(
        "hk-flatten-output-squeezed",
        "layers.Flatten",
        "forward squeezes the flattened array 'so that no stray axis of length 1 is left': a batch of one sample, "
        "or samples of one feature, lose an axis and the output is not (N, d1*d2*...)",
        (
            "        y = x.reshape(self._y_shape)\n",
            "        y = x.reshape(self._y_shape).squeeze()  # no stray axes of length 1\n",
        ),
        expect=("squeezed-output", "length-one-axis"),
        phrases=("squeeze", "length 1", "one sample", "(n, d)", "batch axis"),
    ),
    fresh(
        "hk-dropout-output-written-into-mask",
        "layers.Dropout",
        "forward computes np.multiply(x, mask, out=mask) to reuse the mask's memory: the saved mask now holds x * "
        "mask, so backward multiplies grad_y by the input as well",
        (
            "            y = x * self._mask\n",
            "            y = np.multiply(x, self._mask, out=self._mask)  # reuse the mask's memory\n",
        ),
        expect=("saved-state-overwritten",),
        phrases=("out=", "mask", "overwrit", "saved", "same array"),
    ),
]

BATCHNORM = [
    fresh(
        "hk-bn1d-cumulative-average-ignores-momentum",
        "layers.BatchNorm1d",
        "the running statistics are the plain average of every batch seen so far, momentum 1/n at the n-th batch "
        "(a cumulative average): the momentum argument is never used, where the buffers must move by momentum",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "            m = self.momentum\n",
                        '            self._batches = getattr(self, "_batches", 0) + 1\n'
                        "            m = 1.0 / self._batches  # the average of every batch so far\n",
                    )
                ]
            },
        ),
        # added after reading output (tag-vocabulary audit): bn-running-cumulative-average
        expect=("momentum-ignored", "bn-running-cumulative-average"),
        phrases=("momentum", "exponential", "cumulative", "1 / n", "every batch so far"),
    ),
    fresh(
        "hk-bn1d-backward-std-from-running-var",
        "layers.BatchNorm1d",
        "training backward recomputes the standard deviation from the running_var buffer instead of using the "
        "batch's, which forward normalised with: the lead factor 1 / sqrt(var + eps) is wrong",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "backward": [
                    (
                        "            grad_x = self._inv_std * (\n",
                        "            grad_x = (1.0 / np.sqrt(self.running_var + self.eps)).reshape(shape) * (\n",
                    )
                ]
            },
        ),
        expect=("bn-running-stats-in-training",),
        phrases=("batch variance", "batch's", "running_var", "running statistics", "inv_std", "forward used"),
    ),
    fresh(
        "hk-bn2d-eval-backward-no-parameter-gradients",
        "layers.BatchNorm2d",
        "backward adds the gamma and beta gradients only after a training forward ('parameters only learn in "
        "training'): backward must add them in evaluation mode as well",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    (
                        "        self.weight.grad += (grad_y * self._x_hat).sum(axis=axes)\n"
                        "        self.bias.grad += grad_y.sum(axis=axes)\n",
                        "        if self._batch_stats:  # parameters only learn in training\n"
                        "            self.weight.grad += (grad_y * self._x_hat).sum(axis=axes)\n"
                        "            self.bias.grad += grad_y.sum(axis=axes)\n",
                    )
                ]
            },
        ),
        expect=("gradient-missing", "train-eval"),
        phrases=("eval", "evaluation", "weight.grad", "parameter gradients", "also in"),
    ),
    fresh(
        "hk-bn2d-bessel-count-includes-channels",
        "layers.BatchNorm2d",
        "the unbiased correction of the running variance uses n = x.size, every value of the batch: the variance "
        "of one channel is taken over its N * H * W values, so the factor is m / (m - 1) with m = N * H * W",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                        "            n = x.size  # the number of values\n"
                        "            self.running_var += m * var * (n / (n - 1))  # the unbiased estimate\n",
                    )
                ]
            },
        ),
        expect=("bessel-correction", "bn-biased-running-var"),  # added after reading output
        phrases=("per channel", "n * h * w", "x.size", "channels", "m / (m - 1)"),
    ),
    fresh(
        "hk-bn2d-backward-gamma-applied-twice",
        "layers.BatchNorm2d",
        "training backward uses the compact formula gamma * inv_std * (...) on grad_x_hat, which already holds "
        "gamma (g = grad_y * gamma): the input gradient is scaled by gamma squared",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    (
                        "            grad_x = self._inv_std * (\n",
                        "            grad_x = self.weight.data.reshape(shape) * self._inv_std * ("
                        "  # gamma / std (...)\n",
                    )
                ]
            },
        ),
        expect=("bn-backward-gamma-twice", "derivative-wrong-form"),
        phrases=("gamma twice", "gamma^2", "gamma squared", "already", "grad_x_hat"),
    ),
]

# ----------------------------------------------------------------------------------------- losses
LOSSES = [
    fresh(
        "hk-mse-target-flattened-broadcast",
        "losses.MSELoss",
        "forward subtracts t.ravel(), 'the targets as a flat vector': for input (N, 1) the (N,) targets broadcast "
        "to an (N, N) table of every prediction minus every target (for (N, K) it fails), where x - t is entry by "
        "entry",
        ("        self._diff = x - t\n", "        self._diff = x - t.ravel()  # targets as a flat vector\n"),
        expect=("broadcast-wrong-axis", "target-reshaped"),
        phrases=("broadcast", "(n, 1)", "(n, n)", "ravel", "same shape"),
    ),
    fresh(
        "hk-bce-clamp-only-infinities",
        "losses.BCELoss",
        "each log goes through np.nan_to_num(..., neginf=-100), taken for the clamp: only -inf (p exactly 0 or 1) "
        "becomes -100, while finite logs below -100 (p < e^-100) are kept; PyTorch clamps every log at -100",
        (
            "            log_p = np.maximum(np.log(p), LOG_CLAMP)\n"
            "            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)\n",
            "            log_p = np.nan_to_num(np.log(p), neginf=LOG_CLAMP)  # log 0 = -inf becomes -100\n"
            "            log_1mp = np.nan_to_num(np.log1p(-p), neginf=LOG_CLAMP)\n",
        ),
        expect=("bce-clamp",),
        phrases=("-100", "below -100", "clamp", "every log", "nan_to_num", "only -inf"),
    ),
    fresh(
        "hk-bce-logits-plus-minus-one-labels",
        "losses.BCEWithLogitsLoss",
        "forward uses the logistic loss log(1 + e^(-t x)) of the -1/+1 label convention on 0/1 targets: a target "
        "0 gives log 2 whatever the logit, where it must cost log(1 + e^x)",
        (
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
            "        loss = np.mean(np.logaddexp(0.0, -t * x))  # log(1 + e^(-t x)), the logistic loss\n",
        ),
        expect=("minus-one-labels",),
        phrases=("-1", "+1", "0 and 1", "0/1", "t = 0", "convention"),
    ),
    fresh(
        "hk-bce-logits-gradient-flattened",
        "losses.BCEWithLogitsLoss",
        "forward keeps the sigmoid and the targets ravelled, 'to compare entry by entry': the loss is right, but "
        "backward returns a flat vector where dL/dinput must be shaped like the input",
        (
            "        self._s = np.where(x >= 0, 1.0, z) / (1.0 + z)\n        self._t = t\n",
            "        self._s = (np.where(x >= 0, 1.0, z) / (1.0 + z)).ravel()  # compare entry by entry\n"
            "        self._t = t.ravel()\n",
        ),
        expect=("gradient-not-shaped-like-input",),
        phrases=("shaped like", "shape", "ravel", "flat", "input's shape"),
    ),
    fresh(
        "hk-ce-classes-counted-from-labels",
        "losses.CrossEntropyLoss",
        "backward builds the one-hot targets with np.eye(labels.max() + 1): the number of classes is read from the "
        "labels of the batch, which need not contain the last class; it is x.shape[1]",
        (
            "        grad = self._probs.copy()\n"
            "        grad[np.arange(N), self._labels] -= 1.0\n"
            "        return grad / N\n",
            "        onehot = np.eye(self._labels.max() + 1)[self._labels]  # one column per class\n"
            "        return (self._probs - onehot) / N\n",
        ),
        expect=("onehot-wrong-size",),
        phrases=("number of classes", "x.shape[1]", "largest label", "c columns", "missing class"),
    ),
    fresh(
        "hk-ce-probabilities-clipped-sklearn",
        "losses.CrossEntropyLoss",
        "the loss takes the log of the true class's probability clipped to [1e-15, 1] (scikit-learn's log_loss "
        "habit): a confident wrong answer costs at most -log(1e-15) = 34.5, where the log-softmax gives its true "
        "(finite) cost",
        (
            "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
            "        loss = -np.mean(np.log(np.clip(self._probs[np.arange(N), self._labels], 1e-15, 1.0)))"
            "  # log_loss\n",
        ),
        expect=("input-clipped", "log-of-softmax-underflow"),
        phrases=("clip", "1e-15", "log_probs", "log-sum-exp", "large logits", "capped"),
    ),
    fresh(
        "hk-ce-label-smoothing",
        "losses.CrossEntropyLoss",
        "forward smooths the one-hot targets, 0.9 on the label and 0.1 spread over the classes (PyTorch's "
        "label_smoothing=0.1, 'against over-confidence'): CrossEntropyLoss has no smoothing, the target is the "
        "label itself",
        (
            "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
            "        smooth = np.full(x.shape, 0.1 / x.shape[1])  # label smoothing against over-confidence\n"
            "        smooth[np.arange(N), self._labels] += 0.9\n"
            "        loss = -np.mean(np.sum(smooth * log_probs, axis=1))\n",
        ),
        expect=("label-smoothing",),
        phrases=("smooth", "0.9", "0.1", "one-hot", "label itself"),
    ),
    fresh(
        "hk-ce-backward-times-softmax-derivative",
        "losses.CrossEntropyLoss",
        "backward multiplies softmax - onehot by p (1 - p), 'the chain rule through the softmax': softmax - onehot "
        "is already the gradient with respect to the logits, the softmax's derivative is inside it",
        (
            "        grad[np.arange(N), self._labels] -= 1.0\n        return grad / N\n",
            "        grad[np.arange(N), self._labels] -= 1.0\n"
            "        return grad * self._probs * (1.0 - self._probs) / N  # chain rule through softmax\n",
        ),
        expect=("softmax-derivative-applied-again", "derivative-wrong-form"),
        phrases=("already", "softmax - onehot", "fused", "p (1 - p)", "twice", "with respect to the logits"),
    ),
    fresh(
        "hk-hinge-one-vs-rest",
        "losses.HingeLoss",
        "the slack is margin - s x with s = +1 for the true class and -1 for the others, a one-vs-rest hinge on "
        "each score: the multiclass SVM compares every wrong score with the true class's, x[n, j] - x[n, y_n] + "
        "margin",
        (
            "        slack = x - x[rows, self._labels][:, None] + self.margin\n",
            "        sign = np.where(np.arange(x.shape[1]) == self._labels[:, None], 1.0, -1.0)  # +1 true, -1 others\n"
            "        slack = self.margin - sign * x  # one-vs-rest: each score on its own side of the margin\n",
        ),
        expect=("hinge-formulation",),
        phrases=("x[n, y_n]", "true class's score", "true score", "relative to", "difference", "weston"),
    ),
    fresh(
        "hk-hinge-true-class-counts-every-wrong-class",
        "losses.HingeLoss",
        "the true class's gradient is -(C - 1) / N, 'it appears in C - 1 terms': a term whose margin is met is 0 "
        "and contributes nothing, so only the active (violating) classes count",
        (
            "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n",
            "        grad[np.arange(N), self._labels] = -(self._active.shape[1] - 1)  # it appears in C - 1 terms\n",
        ),
        expect=("hinge-true-class-count",),
        phrases=("active", "violat", "inside the margin", "count", "met"),
    ),
]

# ----------------------------------------------------------------------------------------- optimizers
OPTIMIZERS = [
    fresh(
        "hk-sgd-gradient-norm-clipped",
        "optimizers.SGD",
        "step rescales each gradient to norm 1 when it is larger ('keep the step from exploding'): SGD follows "
        "the gradient as it is; clipping is a separate choice the API does not make",
        (
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            "            if self.momentum != 0:\n",
            "            g = _grad(p)\n"
            "            norm = np.linalg.norm(g)\n"
            "            if norm > 1.0:  # keep the step from exploding\n"
            "                g = g / norm\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            "            if self.momentum != 0:\n",
        ),
        expect=("gradient-clipped",),
        phrases=("clip", "norm", "as it is", "exact gradient", "rescal"),
    ),
    fresh(
        "hk-sgd-state-keyed-by-shape",
        "optimizers.SGD",
        "the state is a dict keyed by each parameter's shape ('arrays cannot be keys'): parameters of the same "
        "shape get the same entry and share one momentum buffer",
        span(
            "optimizers",
            (
                "        self.state: list[dict[str, np.ndarray | None]] = "
                '[{"momentum_buffer": None} for _ in self.params]\n',
                '        self.state = {np.shape(p.data): {"momentum_buffer": None} for p in self.params}'
                "  # unhashable\n",
            ),
            (
                "        for p, state in zip(self.params, self.state, strict=True):\n",
                "        for p in self.params:\n            state = self.state[np.shape(p.data)]\n",
            ),
        ),
        # added after reading output (tag-vocabulary audit): state-shared
        expect=("state-shared-between-parameters", "state-shared"),
        phrases=("same shape", "shared", "one buffer", "per parameter", "key"),
    ),
    fresh(
        "hk-adagrad-lr-decay-as-power-factor",
        "optimizers.Adagrad",
        "the decayed rate is lr * lr_decay^(t - 1), lr_decay read as a factor applied every step: with the "
        "default lr_decay = 0 nothing moves after the first step; the rate is lr / (1 + (t - 1) lr_decay)",
        (
            "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n",
            "        clr = self.lr * self.lr_decay ** (self.t - 1)  # decayed by lr_decay every step\n",
        ),
        expect=("lr-decay-as-factor",),
        phrases=("1 + (t - 1) * lr_decay", "lr_decay", "divid", "factor", "lr_decay = 0"),
    ),
    fresh(
        "hk-adagrad-lr-decay-decays-accumulator",
        "optimizers.Adagrad",
        "lr_decay is applied to the sum of squares, s <- (1 - lr_decay) s + g^2 (as RMSprop forgets), and the "
        "learning rate stays lr: lr_decay decays the learning rate, lr / (1 + (t - 1) lr_decay), and the sum never "
        "forgets",
        span(
            "optimizers",
            (
                "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n",
                "        clr = self.lr\n",
            ),
            (
                '            state["sum"] = state["sum"] + g * g\n',
                '            state["sum"] = (1.0 - self.lr_decay) * state["sum"] + g * g  # old squares fade\n',
            ),
        ),
        expect=("lr-decay-ignored", "decay-on-accumulator"),
        phrases=("learning rate", "lr_decay", "accumulator", "sum of squares", "never forgets"),
    ),
    fresh(
        "hk-rmsprop-bias-corrected",
        "optimizers.RMSprop",
        "step divides the square average by 1 - alpha^t before the root, Adam's bias correction: RMSprop has none "
        "(its first steps are large by design)",
        span(
            "optimizers",
            (
                "        a = self.alpha\n",
                '        a = self.alpha\n        self.t = getattr(self, "t", 0) + 1\n',
            ),
            (
                '                avg = np.sqrt(state["square_avg"]) + self.eps\n',
                '                avg = np.sqrt(state["square_avg"] / (1.0 - a**self.t)) + self.eps  # as in Adam\n',
            ),
        ),
        # added after reading output (tag-vocabulary audit): rmsprop-bias-corrected
        expect=("bias-correction-added", "rmsprop-bias-corrected"),
        phrases=("bias correction", "1 - alpha^t", "no bias correction", "adam", "first steps"),
    ),
    fresh(
        "hk-rmsprop-centered-mean-subtracted-after-root",
        "optimizers.RMSprop",
        "the centred denominator is written sqrt(v) - m, 'the RMS minus the mean': the standard deviation is "
        "sqrt(v - m^2), the square of the mean subtracted under the root",
        (
            '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n'
            "                avg = np.sqrt(variance) + self.eps\n",
            '                avg = np.sqrt(state["square_avg"]) - state["grad_avg"] + self.eps  # RMS minus the mean\n',
        ),
        expect=("root-scope", "centered-mean-not-squared"),
        phrases=("sqrt(v - m^2)", "under the root", "inside the square root", "m^2", "variance"),
    ),
    fresh(
        "hk-rmsprop-state-len-of-matrix",
        "optimizers.RMSprop",
        "the state arrays are made with np.zeros(len(p.data)), len taken for the size: for a matrix len is the "
        "number of rows, so the averages of a (M, D) weight do not have its shape",
        (
            '            {"square_avg": _zeros_like(p), "grad_avg": _zeros_like(p),'
            ' "momentum_buffer": _zeros_like(p)}\n',
            '            {"square_avg": np.zeros(len(p.data)), "grad_avg": np.zeros(len(p.data)),'
            ' "momentum_buffer": np.zeros(len(p.data))}\n',
        ),
        expect=("len-for-size", "wrong-shape"),
        phrases=("len(", "number of rows", "first axis", "zeros_like", "shape of the parameter"),
    ),
    fresh(
        "hk-adadelta-no-eps-in-denominator",
        "optimizers.Adadelta",
        "the gradient RMS is sqrt(v) without eps, 'eps only has to start the numerator': an entry whose "
        "gradients have all been 0 divides 0 by 0, and small gradients get steps far too large",
        (
            '            std = np.sqrt(state["square_avg"] + self.eps)\n',
            '            std = np.sqrt(state["square_avg"])  # eps only has to start the numerator\n',
        ),
        # added after reading output (eps-missing mended, the denominator's eps simulated): eps-missing
        expect=("eps-missing-in-denominator", "eps-missing"),
        phrases=("sqrt(v + eps)", "eps", "denominator", "zero gradient", "both roots"),
    ),
    fresh(
        "hk-adam-first-moment-without-one-minus-beta1",
        "optimizers.Adam",
        "the first moment adds g unweighted, m <- beta1 m + g (SGD's momentum buffer): Adam keeps an average, "
        "m <- beta1 m + (1 - beta1) g, which the bias correction assumes; the step is about 10 times too large",
        (
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n',
            '            state["exp_avg"] = beta1 * state["exp_avg"] + g  # momentum, as in SGD\n',
        ),
        # added after reading output (tag-vocabulary audit): beta1-complement-missing
        expect=("average-weight-missing", "beta1-complement-missing"),
        phrases=("1 - beta1", "(1 - beta1) * g", "average", "weight", "10 times"),
    ),
    fresh(
        "hk-adam-amsgrad-max-written-into-average",
        "optimizers.Adam",
        "with amsgrad the running maximum is also written into exp_avg_sq, 'v never shrinks': the exponential "
        "average must go on from its own value; only the denominator uses the maximum",
        (
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n'
            '                v = state["max_exp_avg_sq"]\n',
            '                v = state["exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)  # v never shrinks\n'
            '                state["max_exp_avg_sq"] = v\n',
        ),
        expect=("amsgrad-max-replaces-average",),
        phrases=("exp_avg_sq", "running average", "separately", "max_exp_avg_sq", "overwrit"),
    ),
    fresh(
        "hk-adam-moments-chained-assignment",
        "optimizers.Adam",
        "the moments start as state['exp_avg'] = state['exp_avg_sq'] = np.zeros_like(g) and are updated in place: "
        "the chained assignment binds both keys to one array, so m and v are the same numbers",
        (
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n'
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n',
            "            if self.t == 1:\n"
            '                state["exp_avg"] = state["exp_avg_sq"] = np.zeros_like(g)  # both moments start at 0\n'
            '            state["exp_avg"] *= beta1\n'
            '            state["exp_avg"] += (1.0 - beta1) * g\n'
            '            state["exp_avg_sq"] *= beta2\n'
            '            state["exp_avg_sq"] += (1.0 - beta2) * g * g\n',
        ),
        expect=("aliasing",),
        phrases=("same array", "alias", "one array", "chained assignment", "separate arrays"),
    ),
    fresh(
        "hk-adamw-override-name-misspelt",
        "optimizers.AdamW",
        "AdamW's decay is defined as _weight_decay instead of overriding _decay: Adam's step still calls _decay, "
        "Adam's own, so AdamW adds the L2 term to the gradient instead of decaying the weights",
        (
            '    def _decay(self, p: Parameter, g: np.ndarray) -> np.ndarray:\n        """AdamW: shrink',
            '    def _weight_decay(self, p: Parameter, g: np.ndarray) -> np.ndarray:\n        """AdamW: shrink',
        ),
        expect=("adamw-l2-decay",),
        phrases=("_decay", "override", "never called", "method name", "l2"),
    ),
]

# ----------------------------------------------------------------------------------------- init
INIT = [
    fresh(
        "hk-fans-receptive-field-zero-for-matrix",
        "init.fan_in_and_fan_out",
        "the receptive field is 0 for a weight without kernel axes ('no kernel, no receptive field'): the product "
        "of no factors is 1, so a (out, in) weight has fan_in = in and fan_out = out, not 0",
        (
            "    receptive_field = math.prod(shape[2:])\n",
            "    receptive_field = math.prod(shape[2:]) if len(shape) > 2 else 0  # no kernel, no receptive field\n",
        ),
        expect=("empty-product",),
        phrases=("empty product", "is 1", "(out, in)", "matrix", "no kernel", "fans of 0"),
    ),
    fresh(
        "hk-xavier-uniform-bound-std-over-root-three",
        "init.xavier_uniform",
        "the bound is solved from 'variance = b^2 / 3' as sqrt(std^2 / 3): b^2 = 3 std^2, so the bound is "
        "sqrt(3) * std; the draws are 3 times too narrow",
        (
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n",
            "    bound = math.sqrt(std**2 / 3.0)  # U(-b, b) has variance b^2 / 3\n",
        ),
        expect=("uniform-bound",),
        phrases=("sqrt(3) * std", "sqrt(3)", "b^2 / 3", "3 std^2", "bound"),
    ),
    fresh(
        "hk-xavier-normal-default-gain-tanh",
        "init.xavier_normal",
        "the default gain is 5/3, 'Xavier is the initialisation for tanh networks': the API's (PyTorch's) default "
        "gain is 1.0; tanh's gain is for the caller to pass",
        (
            "def xavier_normal(shape: Sequence[int], gain: float = 1.0,",
            "def xavier_normal(shape: Sequence[int], gain: float = 5.0 / 3.0,",
        ),
        expect=("default-changed",),
        phrases=("default", "gain=1", "1.0", "5/3", "tanh"),
    ),
    fresh(
        "hk-kaiming-uniform-leaky-gain-square-misplaced",
        "init.kaiming_uniform",
        "for leaky_relu the gain is written out as sqrt(2 / (1 + a) ** 2): the square applies to 1 + a, where He "
        "et al.'s gain is sqrt(2 / (1 + a^2)) (the two agree only for a = 0)",
        (
            "    gain = calculate_gain(nonlinearity, a)\n    std = gain / math.sqrt(fan)\n    bound",
            '    if nonlinearity == "leaky_relu":\n'
            "        gain = math.sqrt(2.0 / (1.0 + a) ** 2)  # He et al.: sqrt(2 / (1 + a^2))\n"
            "    else:\n"
            "        gain = calculate_gain(nonlinearity, a)\n"
            "    std = gain / math.sqrt(fan)\n"
            "    bound",
        ),
        expect=("operator-precedence", "precedence"),
        phrases=("1 + a^2", "a ** 2", "a^2", "parenthes", "slope squared"),
    ),
    fresh(
        "hk-kaiming-normal-fan-out-without-receptive-field",
        "init.kaiming_normal",
        "mode='fan_out' uses shape[0], 'the number of output units': for a convolution each input reaches "
        "out_channels * kH * kW outputs, so fan_out includes the receptive field",
        (
            '    fan = fan_in if mode == "fan_in" else fan_out\n'
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    std = gain / math.sqrt(fan)\n"
            "    weight = rng.normal",
            '    fan = fan_in if mode == "fan_in" else shape[0]  # the number of output units\n'
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    std = gain / math.sqrt(fan)\n"
            "    weight = rng.normal",
        ),
        expect=("receptive-field-ignored",),
        phrases=("receptive field", "kh * kw", "fan_out", "kernel", "fan_in_and_fan_out"),
    ),
]

# ----------------------------------------------------------------------------------------- training
TRAINING = [
    # A minibatches written as a generator (yield) is not in this set: set F found it no mistake.
    fresh(
        "hk-minibatches-permuted-columns",
        "training.minibatches",
        "the samples are shuffled with rng.permuted(X, axis=0) and rng.permuted(y, axis=0): permuted shuffles "
        "every column on its own (and y separately), so rows are broken up and no longer pair with their targets; "
        "one permutation of the row indices belongs to both",
        (
            "        order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n"
            "        X, y = X[order], y[order]\n",
            "        X, y = rng.permuted(X, axis=0), rng.permuted(y, axis=0)  # shuffle the samples\n",
        ),
        expect=("unpaired-shuffle", "not-a-permutation"),
        phrases=("one permutation", "same permutation", "pairs", "independently", "each column", "permuted"),
    ),
    fresh(
        "hk-minibatches-shuffle-returns-none",
        "training.minibatches",
        "the order is drawn as rng.shuffle(np.arange(len(X))): shuffle works in place and returns None, so "
        "X[None] and y[None] add an axis instead of reordering the samples",
        (
            "        order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n",
            "        order = rng.shuffle(np.arange(len(X)))  # one shuffled order, applied to both\n",
        ),
        expect=("returns-none",),
        phrases=("none", "in place", "rng.permutation", "returns", "shuffle"),
    ),
    fresh(
        "hk-minibatches-tiny-last-batch-merged",
        "training.minibatches",
        "a last batch smaller than half a batch is merged into the one before ('a tiny batch gives a noisy "
        "step'): the batches are k, k, ..., and the remainder, however small",
        (
            "        batches.append((X[start : start + size], y[start : start + size]))\n",
            "        batches.append((X[start : start + size], y[start : start + size]))\n"
            "    if len(batches) > 1 and len(batches[-1][0]) < size / 2:  # a tiny batch gives a noisy step\n"
            "        (X_last, y_last), (X_prev, y_prev) = batches.pop(), batches.pop()\n"
            "        batches.append((np.concatenate([X_prev, X_last]), np.concatenate([y_prev, y_last])))\n",
        ),
        expect=("remainder-batch", "uneven-batches"),
        phrases=("remainder", "last batch", "smaller", "merged", "batch_size"),
    ),
    fresh(
        "hk-fit-none-batch-size-keras-32",
        "training.fit",
        "fit passes batch_size or 32 to minibatches, Keras' default batch size: batch_size=None means one batch "
        "of the whole training set (batch gradient descent)",
        (
            "        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):\n",
            "        for X_batch, y_batch in minibatches(X, y, batch_size or 32, shuffle, rng):  # Keras' default\n",
        ),
        expect=("none-means-full-batch", "batch-sizes"),
        phrases=("none", "one batch", "whole training set", "32", "keras", "batch gradient descent"),
    ),
    fresh(
        "hk-fit-epoch-is-one-batch",
        "training.fit",
        "each 'epoch' is one optimisation step on the first batch of a fresh minibatches call: an epoch is a pass "
        "over every batch of the training set, and its loss the size-weighted mean over them",
        (
            "    for _ in range(epochs):\n"
            "        total = 0.0\n"
            "        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):\n"
            "            optimizer.zero_grad()\n"
            "            output = model.forward(X_batch)\n"
            "            loss = loss_fn.forward(output, y_batch)\n"
            "            model.backward(loss_fn.backward())\n"
            "            optimizer.step()\n"
            "            total += float(loss) * len(X_batch)\n"
            "        history.append(total / len(X))\n",
            "    for _ in range(epochs):  # one epoch = one step\n"
            "        X_batch, y_batch = next(iter(minibatches(X, y, batch_size, shuffle, rng)))\n"
            "        optimizer.zero_grad()\n"
            "        output = model.forward(X_batch)\n"
            "        loss = loss_fn.forward(output, y_batch)\n"
            "        model.backward(loss_fn.backward())\n"
            "        optimizer.step()\n"
            "        history.append(float(loss))\n",
        ),
        expect=("fit-epochs",),
        phrases=("epoch", "every batch", "one pass", "whole training set", "all the batches"),
    ),
    fresh(
        "hk-fit-batches-iterator-made-once",
        "training.fit",
        "the batches are made once, batches = minibatches(...), before the epoch loop: minibatches returns an "
        "iterator, used up by the first epoch, so every later epoch trains on nothing and records a loss of 0",
        (
            "    for _ in range(epochs):\n"
            "        total = 0.0\n"
            "        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):\n",
            "    batches = minibatches(X, y, batch_size, shuffle, rng)\n"
            "    for _ in range(epochs):\n"
            "        total = 0.0\n"
            "        for X_batch, y_batch in batches:\n",
        ),
        expect=("iterator-exhausted",),
        phrases=("iterator", "exhausted", "used up", "first epoch", "every epoch"),
    ),
    fresh(
        "hk-fit-backward-seeded-with-ones",
        "training.fit",
        "the model's backward is started with np.ones_like(output), 'backpropagation starts from dL/dL = 1': the "
        "model needs dL/doutput, which is what loss_fn.backward() returns",
        (
            "            model.backward(loss_fn.backward())\n",
            "            model.backward(np.ones_like(output))  # backpropagation starts from dL/dL = 1\n",
        ),
        expect=("model-backward-missing", "seed-gradient-ones"),
        phrases=("loss_fn.backward()", "gradient of the loss", "ones", "dl/doutput", "loss's gradient"),
    ),
]

# ----------------------------------------------------------------------------------------- models
_PERCEPTRON_EPOCHS = "        for _ in range(max_epochs):\n            mistakes = 0\n"

MODELS = [
    fresh(
        "hk-perceptron-learning-rate-annealed",
        "models.Perceptron",
        "fit anneals the learning rate, lr / (epoch + 1) in epoch epoch ('smaller steps as training goes on'): "
        "the perceptron rule steps by the constant lr, and fit leaves self.lr changed",
        (
            _PERCEPTRON_EPOCHS,
            "        base_lr = self.lr\n"
            "        for epoch in range(max_epochs):\n"
            "            self.lr = base_lr / (epoch + 1)  # anneal: smaller steps in later epochs\n"
            "            mistakes = 0\n",
        ),
        expect=("lr-schedule-added",),
        phrases=("learning rate", "constant", "anneal", "decay", "self.lr"),
    ),
    fresh(
        "hk-perceptron-averaged-weights",
        "models.Perceptron",
        "on convergence fit replaces the weight and bias by their average over every update step (the averaged "
        "perceptron, 'more stable'): fit keeps the weights the rule ended with",
        (
            _PERCEPTRON_EPOCHS + "            for x, target in zip(X, y, strict=True):\n"
            "                if self.update(x, target) != 0.0:\n"
            "                    mistakes += 1\n"
            "            if mistakes == 0:\n"
            "                return True\n",
            "        total_w, total_b, seen = np.zeros_like(self.weight), 0.0, 0\n"
            + _PERCEPTRON_EPOCHS
            + "            for x, target in zip(X, y, strict=True):\n"
            "                if self.update(x, target) != 0.0:\n"
            "                    mistakes += 1\n"
            "                total_w, total_b, seen = total_w + self.weight, total_b + self.bias, seen + 1\n"
            "            if mistakes == 0:\n"
            "                self.weight, self.bias = total_w / seen, total_b / seen  # the averaged perceptron\n"
            "                return True\n",
        ),
        expect=("averaged-weights",),
        phrases=("average", "averaged perceptron", "last weights", "final weights", "ended with"),
    ),
    fresh(
        "hk-perceptron-update-step-from-sign",
        "models.Perceptron",
        "update predicts (sign(score) + 1) / 2, the -1/+1 sign mapped to 0/1: sign(0) = 0 gives 0.5 for a score of "
        "exactly 0 (every sample at the start, the weights being zero), so the error is +-0.5",
        (
            "        prediction = 1.0 if float(x @ self.weight + self.bias) > 0 else 0.0\n",
            "        prediction = (np.sign(x @ self.weight + self.bias) + 1.0) / 2.0  # sign mapped to {0, 1}\n",
        ),
        expect=("step-at-zero", "sign-for-step"),
        phrases=("0.5", "sign(0)", "score of exactly 0", "zero score", "1/2"),
    ),
    fresh(
        "hk-perceptron-fit-returns-epoch-count",
        "models.Perceptron",
        "fit returns epoch + 1, the number of epochs it took ('truthy, and more useful'), on convergence: fit "
        "returns the bool True",
        span(
            "models",
            ("        for _ in range(max_epochs):\n", "        for epoch in range(max_epochs):\n"),
            ("                return True\n", "                return epoch + 1  # how many epochs it took\n"),
        ),
        expect=("fit-return-value", "wrong-type"),
        phrases=("bool", "returns true", "true after", "number of epochs", "an int"),
    ),
    fresh(
        "hk-sequential-train-toggles",
        "models.Sequential",
        "train() switches the mode, self.training = not self.training, and sets the layers to match: right after "
        "construction (training) train() puts everything in eval mode; train() must set training mode",
        (
            "        self.training = True\n        for layer in self.layers:\n            layer.train()\n",
            "        self.training = not self.training  # switch modes\n"
            "        for layer in self.layers:\n"
            "            if self.training:\n"
            "                layer.train()\n"
            "            else:\n"
            "                layer.eval()\n",
        ),
        expect=("train-eval",),
        phrases=("toggle", "not self.training", "switches", "training = true", "sets"),
    ),
    fresh(
        "hk-sequential-parameters-generator",
        "models.Sequential",
        "parameters() returns a generator expression (round brackets) instead of a list: it has no len, cannot be "
        "indexed and is empty the second time it is iterated",
        (
            "        return [p for layer in self.layers for p in layer.parameters()]\n",
            "        return (p for layer in self.layers for p in layer.parameters())\n",
        ),
        expect=("wrong-type", "returns-iterator"),  # added after reading output
        phrases=("list", "generator", "square brackets", "len(", "once"),
    ),
]

# ----------------------------------------------------------------------------------------- gradcheck
GRADCHECK = [
    fresh(
        "hk-numgrad-spot-checks-random-entries",
        "gradcheck.numerical_gradient",
        "the loop probes ten random entries (drawn with replacement), as CS231n's grad_check_sparse does, and "
        "leaves the others at 0: numerical_gradient returns the derivative for every entry of x",
        (
            "    for index in np.ndindex(x.shape):\n",
            "    picker = np.random.default_rng(0)\n"
            "    for _ in range(min(x.size, 10)):  # spot-check a few entries, as grad_check_sparse does\n"
            "        index = tuple(int(picker.integers(n)) for n in x.shape)\n",
        ),
        expect=("entries-skipped",),
        phrases=("every entry", "all entries", "each entry", "random", "sparse", "left at 0"),
    ),
    fresh(
        "hk-relerr-asarray-subtract-in-place",
        "gradcheck.relative_error",
        "the difference is computed with np.subtract(a, b, out=a), np.asarray taken for a private copy: for a "
        "float64 array asarray returns the caller's array itself, which is overwritten, and |a| in the "
        "denominator is then |a - b|",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    diff = np.subtract(a, b, out=a)  # a is our own float64 array now\n"
            "    ratio = np.abs(diff) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
        ),
        expect=("modifies-input", "aliasing"),
        phrases=("asarray", "copy", *_IN_PLACE),
    ),
    fresh(
        "hk-relerr-floor-on-first-magnitude",
        "gradcheck.relative_error",
        "the denominator is max(1e-8, |a|) + |b|: the floor covers |a| alone, where it belongs on the sum, "
        "max(1e-8, |a| + |b|); near zero every ratio comes out too small",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.abs(a - b) / (np.maximum(1e-8, np.abs(a)) + np.abs(b))\n",
        ),
        expect=("floor-scope",),
        phrases=("|a| + |b|", "max(1e-8, |a| + |b|)", "floor", "the sum", "parenthes"),
    ),
]

# ----------------------------------------------------------------------------------------- early stopping
EARLY_STOPPING = [
    fresh(
        "hk-early-stopping-patience-reset-by-local-decrease",
        "early_stopping.fit_early_stopping",
        "a non-improving epoch resets the wait count when its loss is below the previous epoch's ('it is still "
        "going down'): patience counts epochs in a row without improving on the best, whatever the previous one",
        (
            "            waited += 1\n",
            "            waited = 0 if val_loss < history.val_losses[-2] else waited + 1  # still going down\n",
        ),
        expect=("compares-with-last", "patience-reset-by-previous-epoch"),
        phrases=("best so far", "previous epoch", "in a row", "without improvement", "reset"),
    ),
    fresh(
        "hk-early-stopping-val-loss-recorded-on-improvement-only",
        "early_stopping.fit_early_stopping",
        "the validation loss is appended inside the improvement branch: val_losses holds the improving epochs "
        "only, where it must hold every epoch's (and best_epoch then points past it)",
        (
            "        history.val_losses.append(val_loss)\n        if val_loss < best_loss - min_delta:\n",
            "        if val_loss < best_loss - min_delta:\n            history.val_losses.append(val_loss)\n",
        ),
        expect=("wrong-history-list", "history-incomplete"),
        phrases=("every epoch", "val_losses", "each epoch", "improving epochs", "length"),
    ),
    fresh(
        "hk-early-stopping-judges-generalisation-gap",
        "early_stopping.fit_early_stopping",
        "an epoch counts as improving when its validation loss is at most its training loss (+ min_delta), 'not "
        "overfitting yet': improvement means a validation loss below the best so far minus min_delta",
        (
            "        if val_loss < best_loss - min_delta:\n",
            "        if val_loss <= train_loss + min_delta:  # not overfitting yet\n",
        ),
        expect=("uses-training-loss", "monitors-gap"),
        phrases=("best so far", "lowest validation loss", "best_loss", "training loss", "improve"),
    ),
    fresh(
        "hk-early-stopping-best-epoch-only-with-restore",
        "early_stopping.fit_early_stopping",
        "history.best_epoch is recorded inside `if restore_best:` with the saved state: with restore_best=False "
        "best_epoch stays 0, though the history reports the best epoch either way",
        (
            "            best_loss, history.best_epoch, waited = val_loss, epoch, 0\n            if restore_best:\n",
            "            best_loss, waited = val_loss, 0\n"
            "            if restore_best:\n"
            "                history.best_epoch = epoch\n",
        ),
        expect=("best-epoch-not-recorded",),
        phrases=("best_epoch", "restore_best=false", "restore_best", "recorded", "either way"),
    ),
    fresh(
        "hk-early-stopping-restores-states-index-from-one",
        "early_stopping.fit_early_stopping",
        "every epoch's state is kept in a list and the best is restored as states[history.best_epoch]: best_epoch "
        "counts from 1 and the list from 0, so the epoch after the best is restored (or none, past the end)",
        span(
            "early_stopping",
            ("    best_state = None\n", "    best_state = None\n    states = []  # every epoch's weights\n"),
            (
                "        history.val_losses.append(val_loss)\n",
                "        history.val_losses.append(val_loss)\n        states.append(copy_state(model))\n",
            ),
            (
                "    if restore_best and best_state is not None:\n        load_state(model, best_state)\n",
                "    if restore_best and history.best_epoch:\n"
                "        load_state(model, states[history.best_epoch])  # the best epoch's weights\n",
            ),
        ),
        expect=("restores-wrong-epoch", "best-epoch-off-by-one"),
        phrases=("off by one", "counts from 1", "best_epoch - 1", "index", "the epoch after"),
    ),
]

FRESH_K: list[Mutant] = [
    *ACTIVATIONS,
    *LAYERS,
    *BATCHNORM,
    *LOSSES,
    *OPTIMIZERS,
    *INIT,
    *TRAINING,
    *MODELS,
    *GRADCHECK,
    *EARLY_STOPPING,
]
