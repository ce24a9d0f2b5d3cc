# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders. The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (los_bce_true_derivative) ----
# MODULE: losses
# COMPONENTS: BCELoss
# BCE written as two separate terms with explicit floors: loss terms -t*max(log p,-100) and
# -(1-t)*max(log(1-p),-100) via np.clip; gradient -t/p + (1-t)/(1-p) with each denominator
# floored at 1e-12 (the derivative of each term; finite at p = 0 and 1).
class BCELoss(Loss):
    def forward(self, input, target):
        p = np.asarray(input, dtype=np.float64)
        t = np.asarray(target, dtype=np.float64)
        with np.errstate(divide="ignore"):
            lp = np.clip(np.log(p), -100.0, None)
            lq = np.clip(np.log(1.0 - p), -100.0, None)
        self.p, self.t = p, t
        return float(-(np.sum(t * lp) + np.sum((1.0 - t) * lq)) / p.size)

    def backward(self):
        p, t = self.p, self.t
        g = -t / np.maximum(p, 1e-12) + (1.0 - t) / np.maximum(1.0 - p, 1e-12)
        return g / p.size


# ---- correct alternative (los_bcelogits_logsigmoid) ----
# MODULE: losses
# COMPONENTS: BCEWithLogitsLoss
# BCE on logits via log-sigmoid: -(t log s(x) + (1-t) log s(-x)), log s(x) = -(max(-x,0) +
# log1p(exp(-|x|))); gradient s(x) - t with s from exp(log s(x)).
def _log_sigmoid(x):
    return -(np.maximum(-x, 0.0) + np.log1p(np.exp(-np.abs(x))))


class BCEWithLogitsLoss(Loss):
    def forward(self, input, target):
        x = np.asarray(input, dtype=np.float64)
        t = np.asarray(target, dtype=np.float64)
        ls_pos, ls_neg = _log_sigmoid(x), _log_sigmoid(-x)
        self.s, self.t = np.exp(ls_pos), t
        return float(-np.mean(t * ls_pos + (1.0 - t) * ls_neg))

    def backward(self):
        return (self.s - self.t) / self.s.size


# ---- correct alternative (los_ce_onehot) ----
# MODULE: losses
# COMPONENTS: CrossEntropyLoss
# Cross-entropy with an explicit one-hot matrix and einsum; labels taken from float or int
# targets with astype(int); logsumexp written out.
class CrossEntropyLoss(Loss):
    def forward(self, input, target):
        x = np.asarray(input, dtype=np.float64)
        labels = np.asarray(target).astype(np.int64)
        N, C = x.shape
        self.onehot = np.zeros((N, C))
        self.onehot[np.arange(N), labels] = 1.0
        m = x.max(axis=1, keepdims=True)
        lse = m + np.log(np.exp(x - m).sum(axis=1, keepdims=True))
        logp = x - lse
        self.probs = np.exp(logp)
        return float(-np.einsum("nc,nc->", self.onehot, logp) / N)

    def backward(self):
        return (self.probs - self.onehot) / self.probs.shape[0]


# ---- correct alternative (los_hinge_onehot) ----
# MODULE: losses
# COMPONENTS: HingeLoss
# Multiclass hinge with a one-hot mask: slack * (1 - onehot), backward through the mask,
# gradient of the true class from the row sums; extra keyword argument with default.
class HingeLoss(Loss):
    def __init__(self, margin=1.0, reduction="mean"):
        self.margin = margin
        self.reduction = reduction

    def forward(self, input, target):
        x = np.asarray(input, dtype=np.float64)
        y = np.asarray(target).astype(np.int64)
        N, C = x.shape
        onehot = np.eye(C, dtype=bool)[y]
        true = np.einsum("nc,nc->n", x, onehot.astype(np.float64))
        slack = (x - true[:, None] + self.margin) * ~onehot
        self.active = (slack > 0) & ~onehot
        self.onehot = onehot
        return float(np.sum(slack, where=self.active) / N)

    def backward(self):
        a = self.active.astype(np.float64)
        g = a - self.onehot * a.sum(axis=1, keepdims=True)
        return g / a.shape[0]


# ---- correct alternative (los_mse_vdot) ----
# MODULE: losses
# COMPONENTS: MSELoss
# MSE with np.vdot and the gradient stored at forward time (backward returns the saved array).
class MSELoss:
    def forward(self, input, target, reduction="mean"):
        d = np.asarray(input, dtype=np.float64) - np.asarray(target, dtype=np.float64)
        self._g = d * (2.0 / d.size)
        return np.vdot(d, d) / d.size

    def backward(self):
        return self._g
