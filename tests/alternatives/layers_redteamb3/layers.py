# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders (round 2). The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (lay_torchport_linear_bn1d) ----
# MODULE: layers
# COMPONENTS: Linear,BatchNorm1d
# A port of torch.nn.Module's attribute machinery: parameters live in self._parameters and
# buffers in self._buffers (not in __dict__), routed by __setattr__/__getattr__ exactly as
# torch does (bias=False registers the parameter None; assigning a buffer name replaces the
# buffer); Linear and BatchNorm1d written on top of it, the BN buffers replaced each step.
class _TorchLikeModule:
    def __init__(self):
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "training", True)

    def __setattr__(self, name, value):
        params, buffers = self.__dict__["_parameters"], self.__dict__["_buffers"]
        if isinstance(value, Parameter) or (name in params and value is None):
            params[name] = value
        elif name in buffers:
            buffers[name] = np.asarray(value, dtype=np.float64)
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name):
        d = self.__dict__
        for store in ("_parameters", "_buffers"):
            if name in d.get(store, {}):
                return d[store][name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def register_buffer(self, name, value):
        self._buffers[name] = np.asarray(value, dtype=np.float64)

    def parameters(self):
        return [p for p in self._parameters.values() if p is not None]

    def train(self, mode=True):
        object.__setattr__(self, "training", bool(mode))
        return self

    def eval(self):
        return self.train(False)


class Linear(_TorchLikeModule):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        k = 1.0 / math.sqrt(in_features)
        rng = np.random.default_rng()
        self.weight = Parameter(rng.uniform(-k, k, (out_features, in_features)))
        self.bias = Parameter(rng.uniform(-k, k, out_features)) if bias else None

    def forward(self, x):
        self.input = np.asarray(x, dtype=np.float64)
        out = np.matmul(self.input, self.weight.data.T)
        return out + self.bias.data if self.bias is not None else out

    def backward(self, grad_y):
        g = np.asarray(grad_y, dtype=np.float64)
        self.weight.grad += np.matmul(g.T, self.input)
        if self.bias is not None:
            self.bias.grad += g.sum(0)
        return np.matmul(g, self.weight.data)


class BatchNorm1d(_TorchLikeModule):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.weight = Parameter(np.ones(num_features))
        self.bias = Parameter(np.zeros(num_features))
        self.register_buffer("running_mean", np.zeros(num_features))
        self.register_buffer("running_var", np.ones(num_features))

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0)
            self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
            self.running_var = (1 - self.momentum) * self.running_var + self.momentum * var * (n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        self.ctx = (self.training, (x - mean) / np.sqrt(var + self.eps), 1 / np.sqrt(var + self.eps))
        return self.ctx[1] * self.weight.data + self.bias.data

    def backward(self, grad_y):
        batch, xhat, inv = self.ctx
        g = np.asarray(grad_y, dtype=np.float64)
        self.weight.grad += (g * xhat).sum(0)
        self.bias.grad += g.sum(0)
        d = g * self.weight.data
        if not batch:
            return d * inv
        return inv * (d - d.mean(0) - xhat * (d * xhat).mean(0))


# ---- (N, C, L) input for the BatchNorm1d above ----
# docs/api.md's BatchNorm1d also takes (N, C, L): normalised as the (N*L, C) rows of the 2-D code
# above (added when the fixtures gained that layout; the statistics per channel are the same).
class BatchNorm1d(BatchNorm1d):
    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 3:
            self._sequences = None
            return super().forward(x)
        N, C, L = x.shape
        self._sequences = (N, C, L)
        return super().forward(x.transpose(0, 2, 1).reshape(N * L, C)).reshape(N, L, C).transpose(0, 2, 1)

    def backward(self, grad_y):
        if self._sequences is None:
            return super().backward(grad_y)
        N, C, L = self._sequences
        g = np.asarray(grad_y, dtype=np.float64).transpose(0, 2, 1).reshape(N * L, C)
        return super().backward(g).reshape(N, L, C).transpose(0, 2, 1)
