# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different losses found by red-teaming the release checker (round 3). The tests append
# this file to the reference module; later definitions win.


# MSE with np.square and .item(); the gradient from the cached input and target.
class MSELoss(MSELoss):
    def forward(self, input, target):  # noqa: A002
        x = as_float_array(input, "MSELoss input")
        t = as_float_array(target, "MSELoss target")
        _same_shape("MSELoss", x, t)
        self.pair = (x, t)
        return np.square(x - t).mean().item()

    def backward(self):
        x, t = self.pair
        return (x - t) * (2.0 / x.size)


# BCEWithLogits through np.logaddexp: log(1 + e^x) - x t; sigmoid as exp(-logaddexp(0, -x)).
class BCEWithLogitsLoss(BCEWithLogitsLoss):
    def forward(self, input, target):  # noqa: A002
        x = as_float_array(input, "BCEWithLogitsLoss input")
        t = as_float_array(target, "BCEWithLogitsLoss target")
        _same_shape("BCEWithLogitsLoss", x, t)
        self.cache = {"x": x, "t": t}
        return float(np.mean(np.logaddexp(0.0, x) - x * t))

    def backward(self):
        x, t = self.cache["x"], self.cache["t"]
        return (np.exp(-np.logaddexp(0.0, -x)) - t) / x.size


# Cross-entropy with np.logaddexp.reduce and a one-hot matrix from np.eye; softmax recomputed in backward.
class CrossEntropyLoss(CrossEntropyLoss):
    def forward(self, input, target):  # noqa: A002
        x = as_float_array(input, "CrossEntropyLoss input")
        check_ndim(x, 2, "CrossEntropyLoss", "(N, C)")
        if x.size == 0:
            raise ValueError(f"CrossEntropyLoss needs N >= 1 and C >= 1, got shape {x.shape}")
        self._labels = _class_indices("CrossEntropyLoss", target, x)
        self.logits = x
        onehot = np.eye(x.shape[1])[self._labels]
        log_probs = x - np.logaddexp.reduce(x, axis=1, keepdims=True)
        return float(-(onehot * log_probs).sum() / x.shape[0])

    def backward(self):
        x = self.logits
        probs = np.exp(x - np.logaddexp.reduce(x, axis=1, keepdims=True))
        return (probs - np.eye(x.shape[1])[self._labels]) / x.shape[0]


# Hinge with a Python loop over the samples.
class HingeLoss(HingeLoss):
    def forward(self, input, target):  # noqa: A002
        x = as_float_array(input, "HingeLoss input")
        check_ndim(x, 2, "HingeLoss", "(N, C)")
        if x.size == 0:
            raise ValueError(f"HingeLoss needs N >= 1 and C >= 1, got shape {x.shape}")
        self._labels = _class_indices("HingeLoss", target, x)
        N, C = x.shape
        total, self.grad = 0.0, np.zeros((N, C))
        for n in range(N):
            true = self._labels[n]
            for j in range(C):
                if j == true:
                    continue
                slack = x[n, j] - x[n, true] + self.margin
                if slack > 0:
                    total += slack
                    self.grad[n, j] += 1.0
                    self.grad[n, true] -= 1.0
        self.grad /= N
        return total / N

    def backward(self):
        return self.grad.copy()
