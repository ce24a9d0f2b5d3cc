# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders (round 2). The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (los_ce_onehot_buffer) ----
# MODULE: losses
# COMPONENTS: CrossEntropyLoss
# CrossEntropyLoss with a per-instance one-hot buffer reused while (N, C) stays the same
# (cleared and refilled each forward, reallocated on a new shape); the gradient
# (softmax - onehot) / N is computed at forward time into a new array and returned by backward.
class CrossEntropyLoss(Loss):
    def __init__(self):
        self._onehot = None

    def forward(self, input, target):
        x = np.asarray(input, dtype=np.float64)
        labels = np.asarray(target).astype(np.int64)
        N = x.shape[0]
        if self._onehot is None or self._onehot.shape != x.shape:
            self._onehot = np.zeros(x.shape)
        else:
            self._onehot.fill(0.0)
        self._onehot[np.arange(N), labels] = 1.0
        z = x - x.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(z).sum(axis=1, keepdims=True))
        logp = z - log_norm
        self._grad = (np.exp(logp) - self._onehot) / N
        return float(-(logp * self._onehot).sum() / N)

    def backward(self):
        return self._grad


# ---- correct alternative (los_mse_gradbuffer) ----
# MODULE: losses
# COMPONENTS: MSELoss
# MSELoss with a per-instance buffer (reused while the shape stays, reallocated otherwise):
# forward writes input - target into it with np.subtract(out=), takes the mean square, then
# scales the buffer in place into the gradient 2 d / n; backward returns that buffer itself
# (a returned array may be internal state: callers never modify it).
class MSELoss(Loss):
    def __init__(self):
        self._buf = None

    def forward(self, input, target):
        x = np.asarray(input, dtype=np.float64)
        t = np.asarray(target, dtype=np.float64)
        if self._buf is None or self._buf.shape != x.shape:
            self._buf = np.empty(x.shape)
        np.subtract(x, t, out=self._buf)
        loss = float(np.mean(np.square(self._buf)))
        self._buf *= 2.0 / self._buf.size
        return loss

    def backward(self):
        return self._buf
