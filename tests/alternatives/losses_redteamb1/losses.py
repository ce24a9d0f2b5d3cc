# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders (round 2). The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (los_bcelogits_softplus) ----
# MODULE: losses
# COMPONENTS: BCEWithLogitsLoss
# BCE on logits as softplus(x) - t*x with softplus = np.logaddexp(0, x); the gradient
# sigmoid(x) - t with sigmoid = (1 + tanh(x/2)) / 2, both stable for any logit; saves x and t.
class BCEWithLogitsLoss(Loss):
    def forward(self, input, target):
        self._x = np.asarray(input, dtype=np.float64)
        self._t = np.asarray(target, dtype=np.float64)
        return float(np.mean(np.logaddexp(0.0, self._x) - self._t * self._x))

    def backward(self):
        return (0.5 * (1.0 + np.tanh(0.5 * self._x)) - self._t) / self._x.size


# ---- correct alternative (los_ce_freed) ----
# MODULE: losses
# COMPONENTS: CrossEntropyLoss
# CrossEntropyLoss through np.logaddexp.reduce (a pairwise-stable logsumexp), labels via
# np.asarray(target).astype(np.intp), the gradient built in backward from the saved log-probs
# with np.put_along_axis, and the saved state freed afterwards (a second backward raises, as a
# freed PyTorch graph).
class CrossEntropyLoss(Loss):
    def forward(self, input, target):
        x = np.asarray(input, dtype=np.float64)
        labels = np.asarray(target).astype(np.intp).reshape(-1)
        logp = x - np.logaddexp.reduce(x, axis=1, keepdims=True)
        self._saved = (logp, labels)
        return float(-np.take_along_axis(logp, labels[:, None], axis=1).mean())

    def backward(self):
        logp, labels = self._saved
        del self._saved
        grad = np.exp(logp)
        picked = np.take_along_axis(grad, labels[:, None], axis=1)
        np.put_along_axis(grad, labels[:, None], picked - 1.0, axis=1)
        return grad / len(labels)


# ---- correct alternative (los_hinge_columns_slots) ----
# MODULE: losses
# COMPONENTS: HingeLoss
# HingeLoss with __slots__, looping over the class columns: column j contributes
# max(0, x_j - x_true + margin) where j is not the label; the gradient is +1 per active
# column and minus the number of active columns on the true class, written column by column.
class HingeLoss:
    __slots__ = ("margin", "_active", "_labels")

    def __init__(self, margin=1.0):
        self.margin = margin

    def forward(self, input, target):
        x = np.asarray(input, dtype=np.float64)
        labels = np.asarray(target).astype(np.intp)
        N, C = x.shape
        true = x[np.arange(N), labels]
        active = np.zeros((N, C), dtype=bool)
        total = 0.0
        for j in range(C):
            slack = x[:, j] - true + self.margin
            use = (labels != j) & (slack > 0)
            active[:, j] = use
            total += slack[use].sum()
        self._active, self._labels = active, labels
        return total / N

    def backward(self):
        N, C = self._active.shape
        grad = np.zeros((N, C))
        for j in range(C):
            grad[:, j] += self._active[:, j]
            grad[self._labels == j, j] -= self._active[self._labels == j].sum(axis=1)
        return grad / N


# ---- correct alternative (los_mse_dataclass_freed) ----
# MODULE: losses
# COMPONENTS: MSELoss
# MSELoss as a field-less @dataclass (no base class) that saves the input and target as given
# (as float64 views) and computes the gradient in backward, then frees them (`del`).
import dataclasses as _dc


@_dc.dataclass
class MSELoss:
    def forward(self, input, target):
        self._pair = (np.asarray(input, dtype=np.float64), np.asarray(target, dtype=np.float64))
        d = self._pair[0] - self._pair[1]
        return float(np.tensordot(d, d, axes=d.ndim)) / d.size

    def backward(self):
        x, t = self._pair
        del self._pair
        return (x - t) * (2.0 / x.size)
