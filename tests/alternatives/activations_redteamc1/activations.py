# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different activations found by red-teaming the release checker (round 3). The tests
# append this file to the reference module; later definitions win. Every class must pass the grader
# and the release's self-checker.


# Sigmoid through tanh (stable: tanh never overflows), output cached under another name.
class Sigmoid(Module):
    def forward(self, x):
        x = as_float_array(x)
        self.out = 0.5 * (1.0 + np.tanh(0.5 * x))
        return self.out

    def backward(self, grad_y):
        grad_y = as_float_array(grad_y, "grad_y")
        return grad_y * self.out * (1.0 - self.out)


# Tanh with __slots__ for its cache (the base class still has a __dict__ for `training`).
class Tanh(Module):
    __slots__ = ("_t",)

    def forward(self, x):
        x = as_float_array(x)
        self._t = np.tanh(x)
        return self._t

    def backward(self, grad_y):
        grad_y = as_float_array(grad_y, "grad_y")
        return grad_y - grad_y * self._t**2


# ELU whose negative-branch derivative is read off the output: alpha e^x = y + alpha.
class ELU(Module):
    def __init__(self, alpha=1.0):
        super().__init__()
        self.alpha = float(alpha)

    def forward(self, x):
        x = as_float_array(x)
        self.cache = {"positive": x > 0}
        self.cache["y"] = np.where(self.cache["positive"], x, self.alpha * np.expm1(np.minimum(x, 0.0)))
        return self.cache["y"]

    def backward(self, grad_y):
        grad_y = as_float_array(grad_y, "grad_y")
        return grad_y * np.where(self.cache["positive"], 1.0, self.cache["y"] + self.alpha)


# GELU with the standard library's erfc, one float at a time (slow, exact).
class GELU(Module):
    _erfc = staticmethod(np.vectorize(math.erfc, otypes=[np.float64]))

    def __init__(self, approximate="none"):
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, x):
        x = as_float_array(x)
        self.x = x
        if self.approximate == "tanh":
            u = np.clip(x, -10.0, 10.0)
            self.t = np.tanh(math.sqrt(2.0 / math.pi) * (u + 0.044715 * u**3))
            return x * (1.0 + self.t) / 2.0
        self.phi_cdf = self._erfc(-x / math.sqrt(2.0)) / 2.0
        return x * self.phi_cdf

    def backward(self, grad_y):
        grad_y = as_float_array(grad_y, "grad_y")
        if self.approximate == "tanh":
            u = np.clip(self.x, -10.0, 10.0)
            du = math.sqrt(2.0 / math.pi) * (1.0 + 3 * 0.044715 * u**2)
            return grad_y * ((1.0 + self.t) / 2.0 + u / 2.0 * (1.0 - self.t**2) * du)
        u = np.clip(self.x, -40.0, 40.0)
        return grad_y * (self.phi_cdf + u * np.exp(-(u**2) / 2.0) / math.sqrt(2.0 * math.pi))


# Softplus through np.logaddexp (stable), the identity above the threshold.
class Softplus(Module):
    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        self.beta, self.threshold = float(beta), float(threshold)

    def forward(self, x):
        x = as_float_array(x)
        z = self.beta * x
        self._lin = z > self.threshold
        self._slope = np.exp(z - np.logaddexp(0.0, z))  # sigmoid(z), stable
        return np.where(self._lin, x, np.logaddexp(0.0, z) / self.beta)

    def backward(self, grad_y):
        grad_y = as_float_array(grad_y, "grad_y")
        return grad_y * np.where(self._lin, 1.0, self._slope)


# Softmax along any dim by moving that axis last; backward with einsum.
class Softmax(Module):
    def __init__(self, dim=-1):
        super().__init__()
        self.dim = int(dim)

    def forward(self, x):
        x = as_float_array(x)
        _check_dim(x, self.dim, "Softmax")
        last = np.moveaxis(x, self.dim, -1)
        e = np.exp(last - last.max(axis=-1, keepdims=True))
        self._p_last = e / e.sum(axis=-1, keepdims=True)
        return np.moveaxis(self._p_last, -1, self.dim)

    def backward(self, grad_y):
        grad_y = np.moveaxis(as_float_array(grad_y, "grad_y"), self.dim, -1)
        p = self._p_last
        dot = np.einsum("...i,...i->...", grad_y, p)[..., None]
        return np.moveaxis(p * (grad_y - dot), -1, self.dim)


# LogSoftmax with np.logaddexp.reduce (a stable logsumexp of its own).
class LogSoftmax(Module):
    def __init__(self, dim=-1):
        super().__init__()
        self.dim = int(dim)

    def forward(self, x):
        x = as_float_array(x)
        _check_dim(x, self.dim, "LogSoftmax")
        y = x - np.logaddexp.reduce(x, axis=self.dim, keepdims=True)
        self._y = y
        return y

    def backward(self, grad_y):
        grad_y = as_float_array(grad_y, "grad_y")
        return grad_y - np.exp(self._y) * grad_y.sum(axis=self.dim, keepdims=True)


# Maxout with a loop over pieces: a running maximum and the first winner kept as a mask per piece.
class Maxout(Module):
    def __init__(self, in_features, out_features, pieces=2, *, rng=None):
        super().__init__()
        self.in_features, self.out_features, self.pieces = int(in_features), int(out_features), int(pieces)
        bound = 1.0 / math.sqrt(self.in_features)
        rng = default_generator() if rng is None else rng
        self.weight = Parameter(rng.uniform(-bound, bound, (self.pieces, self.out_features, self.in_features)))
        self.bias = Parameter(rng.uniform(-bound, bound, (self.pieces, self.out_features)))

    def forward(self, x):
        x = as_float_array(x)
        check_ndim(x, 2, "Maxout", f"(N, {self.in_features})")
        check_feature_size(x, 1, self.in_features, "Maxout", "features")
        self.x = x
        best = winner = None
        for k in range(self.pieces):
            z = x @ self.weight.data[k].T + self.bias.data[k]
            if best is None:
                best, winner = z, np.zeros(z.shape, dtype=int)
            else:
                better = z > best  # strictly: a tie keeps the earlier piece
                best, winner = np.where(better, z, best), np.where(better, k, winner)
        self.winner = winner
        return best

    def backward(self, grad_y):
        grad_y = as_float_array(grad_y, "grad_y")
        grad_x = np.zeros_like(self.x)
        for k in range(self.pieces):
            g = np.where(self.winner == k, grad_y, 0.0)
            self.weight.grad[k] += g.T @ self.x
            self.bias.grad[k] += g.sum(axis=0)
            grad_x += g @ self.weight.data[k]
        return grad_x
