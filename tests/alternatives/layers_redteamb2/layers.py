# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders (round 2). The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (lay_bn1d_stacked_props) ----
# MODULE: layers
# COMPONENTS: BatchNorm1d
# BatchNorm1d (input (N, C)) whose running statistics live in one (2, C) array; running_mean
# and running_var are properties returning its rows (views) with setters; the buffers move by
# one in-place lerp of the stacked statistics (r += m * (batch - r)); backward in the compact
# form (N g - sum g - xhat sum(g xhat)) * inv_std / N.
class BatchNorm1d(Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.weight = Parameter(np.ones(num_features))
        self.bias = Parameter(np.zeros(num_features))
        self._running = np.array([np.zeros(num_features), np.ones(num_features)])

    @property
    def running_mean(self):
        return self._running[0]

    @running_mean.setter
    def running_mean(self, value):
        self._running[0] = value

    @property
    def running_var(self):
        return self._running[1]

    @running_var.setter
    def running_var(self, value):
        self._running[1] = value

    def forward(self, x):
        x = as_float_array(x)
        if self.training:
            n = x.shape[0]
            mu = x.mean(axis=0)
            xc = x - mu
            var = (xc * xc).mean(axis=0)
            self._running += self.momentum * (np.stack([mu, var * n / (n - 1)]) - self._running)
        else:
            mu, var = self._running
            xc = x - mu
        self._batch = self.training
        self._inv_std = 1.0 / np.sqrt(var + self.eps)
        self._xhat = xc * self._inv_std
        return self.weight.data * self._xhat + self.bias.data

    def backward(self, grad_y):
        g = as_float_array(grad_y)
        self.weight.grad += np.sum(g * self._xhat, axis=0)
        self.bias.grad += np.sum(g, axis=0)
        gx = g * self.weight.data
        if not self._batch:
            return gx * self._inv_std
        n = g.shape[0]
        return (n * gx - gx.sum(axis=0) - self._xhat * (gx * self._xhat).sum(axis=0)) * self._inv_std / n


# ---- correct alternative (lay_conv_reused_pad) ----
# MODULE: layers
# COMPONENTS: Conv2d
# Conv2d that keeps one zero-padded input buffer per instance, reused while the input shape
# stays the same (only the interior is rewritten: the border stays zero) and reallocated when
# it changes; the windows are a sliding_window_view of that buffer (no im2col copy), read again
# by backward for the weight gradient; products by np.tensordot; col2im by a loop over offsets.
class Conv2d(Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=True):
        super().__init__()
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride, self.padding = pair(kernel_size, "k"), pair(stride, "s"), pair(padding, "p")
        fan_in = in_channels * self.kernel_size[0] * self.kernel_size[1]
        rng = np.random.default_rng()
        self.weight = _uniform(fan_in, (out_channels, in_channels, *self.kernel_size), rng)
        self.bias = _uniform(fan_in, (out_channels,), rng) if bias else None
        self._xp = None

    def _windows(self):
        (kH, kW), (sH, sW) = self.kernel_size, self.stride
        return sliding_window_view(self._xp, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]  # (N,C,Ho,Wo,kH,kW)

    def forward(self, x):
        x = as_float_array(x)
        N, C, H, W = x.shape
        (pH, pW) = self.padding
        shape = (N, C, H + 2 * pH, W + 2 * pW)
        if self._xp is None or self._xp.shape != shape:
            self._xp = np.zeros(shape)
        self._xp[:, :, pH:pH + H, pW:pW + W] = x
        y = np.tensordot(self._windows(), self.weight.data, axes=([1, 4, 5], [1, 2, 3]))  # (N,Ho,Wo,F)
        if self.bias is not None:
            y = y + self.bias.data
        return y.transpose(0, 3, 1, 2)

    def backward(self, grad_y):
        g = as_float_array(grad_y)  # (N, F, Ho, Wo)
        windows = self._windows()
        self.weight.grad += np.tensordot(g, windows, axes=([0, 2, 3], [0, 2, 3])).transpose(0, 1, 2, 3)
        if self.bias is not None:
            self.bias.grad += g.sum(axis=(0, 2, 3))
        (kH, kW), (sH, sW), (pH, pW) = self.kernel_size, self.stride, self.padding
        Ho, Wo = g.shape[2:]
        grad_xp = np.zeros(self._xp.shape)
        for i in range(kH):
            for j in range(kW):
                grad_xp[:, :, i:i + sH * (Ho - 1) + 1:sH, j:j + sW * (Wo - 1) + 1:sW] += np.einsum(
                    "nfpq,fc->ncpq", g, self.weight.data[:, :, i, j])
        H, W = self._xp.shape[2] - 2 * pH, self._xp.shape[3] - 2 * pW
        return grad_xp[:, :, pH:pH + H, pW:pW + W]


# ---- correct alternative (lay_dropout_f32_lazy) ----
# MODULE: layers
# COMPONENTS: Dropout
# Dropout with a generator created lazily at the first training forward (PCG64 from fresh OS
# entropy), uniforms drawn in float32 (rng.random(dtype=np.float32), plenty for a coin),
# a boolean keep mask, and the scale applied with np.where in both directions.
class Dropout(Module):
    def __init__(self, p=0.5):
        super().__init__()
        self.p = p
        self._generator = None
        self._keep = None

    def forward(self, x):
        x = as_float_array(x)
        if not self.training:
            self._keep = None
            return x.copy()
        if self._generator is None:
            self._generator = np.random.Generator(np.random.PCG64(np.random.SeedSequence()))
        self._keep = self._generator.random(x.shape, dtype=np.float32) >= np.float32(self.p)
        return self._apply(x)

    def _apply(self, a):
        if self.p >= 1:
            return np.zeros(a.shape)
        return np.where(self._keep, a / (1.0 - self.p), 0.0)

    def backward(self, grad_y):
        grad_y = as_float_array(grad_y)
        return grad_y.copy() if self._keep is None else self._apply(grad_y)


# ---- correct alternative (lay_linear_slots_freed) ----
# MODULE: layers
# COMPONENTS: Linear
# Linear with __slots__ (no instance __dict__) and no base class; forward saves x, backward
# frees it (PyTorch frees its graph: a second backward raises), dW by np.einsum into a new
# array, grads added with np.add(out=).
class Linear:
    __slots__ = ("training", "in_features", "out_features", "weight", "bias", "_x")

    def __init__(self, in_features, out_features, bias=True):
        self.training = True
        self.in_features, self.out_features = int(in_features), int(out_features)
        bound = 1.0 / math.sqrt(self.in_features)
        rng = np.random.default_rng()
        self.weight = Parameter(rng.uniform(-bound, bound, (self.out_features, self.in_features)))
        self.bias = Parameter(rng.uniform(-bound, bound, self.out_features)) if bias else None
        self._x = None

    def parameters(self):
        return [self.weight] if self.bias is None else [self.weight, self.bias]

    def train(self):
        self.training = True
        return self

    def eval(self):
        self.training = False
        return self

    def forward(self, x):
        self._x = np.asarray(x, dtype=np.float64)
        y = np.einsum("nd,md->nm", self._x, self.weight.data)
        return y if self.bias is None else y + self.bias.data

    def backward(self, grad_y):
        if self._x is None:
            raise RuntimeError("Linear.backward: no saved input (call forward first; backward frees it)")
        x, self._x = self._x, None
        g = np.asarray(grad_y, dtype=np.float64)
        np.add(self.weight.grad, np.einsum("nm,nd->md", g, x), out=self.weight.grad)
        if self.bias is not None:
            np.add(self.bias.grad, g.sum(axis=0), out=self.bias.grad)
        return g @ self.weight.data


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
