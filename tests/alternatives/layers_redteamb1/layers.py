# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders (round 2). The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (lay_avgpool_offsets_addat) ----
# MODULE: layers
# COMPONENTS: AvgPool2d
# AvgPool2d whose forward adds one strided slice per kernel offset into an accumulator (no
# window view) and whose backward scatters each output gradient to its window with
# np.add.at over precomputed index grids; kernel sizes behind read-only properties.
class AvgPool2d(Module):
    def __init__(self, kernel_size, stride=None):
        super().__init__()
        self._k = pair(kernel_size, "kernel_size")
        self._s = self._k if stride is None else pair(stride, "stride")

    kernel_size = property(lambda self: self._k)
    stride = property(lambda self: self._s)

    def forward(self, x):
        x = as_float_array(x)
        (kH, kW), (sH, sW) = self._k, self._s
        Ho, Wo = (x.shape[2] - kH) // sH + 1, (x.shape[3] - kW) // sW + 1
        acc = np.zeros((*x.shape[:2], Ho, Wo))
        for i in range(kH):
            for j in range(kW):
                acc += x[:, :, i:i + sH * (Ho - 1) + 1:sH, j:j + sW * (Wo - 1) + 1:sW]
        acc /= kH * kW
        self._in_shape = x.shape
        return acc

    def backward(self, grad_y):
        g = np.asarray(grad_y, dtype=np.float64) / (self._k[0] * self._k[1])
        (kH, kW), (sH, sW) = self._k, self._s
        Ho, Wo = g.shape[2:]
        rows = (sH * np.arange(Ho)[:, None] + np.arange(kH)[None, :])  # (Ho, kH)
        cols = (sW * np.arange(Wo)[:, None] + np.arange(kW)[None, :])  # (Wo, kW)
        R = rows[:, None, :, None]
        Q = cols[None, :, None, :]
        R, Q = np.broadcast_arrays(R, Q)  # (Ho, Wo, kH, kW)
        grad_x = np.zeros(self._in_shape)
        share = np.broadcast_to(g[:, :, :, :, None, None], (*g.shape, kH, kW))
        np.add.at(grad_x, (slice(None), slice(None), R, Q), share)
        return grad_x


# ---- correct alternative (lay_bn1d_readonly_buffers) ----
# MODULE: layers
# COMPONENTS: BatchNorm1d
# PROBE (borderline): the reference BatchNorm1d with running_mean/running_var exposed as
# READ-ONLY properties over private arrays (updated in place by the layer); API.md says the
# buffers are arrays "updated in place or replaced", not that outside code may assign them.
class BatchNorm1d(BatchNorm1d):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        Module.__init__(self)
        self.num_features, self.eps, self.momentum = num_features, float(eps), float(momentum)
        self.weight = Parameter(np.ones(num_features))
        self.bias = Parameter(np.zeros(num_features))
        self._rm, self._rv = np.zeros(num_features), np.ones(num_features)
        self._y_shape = None

    running_mean = property(lambda self: self._rm)
    running_var = property(lambda self: self._rv)

    def forward(self, x):
        x = as_float_array(x)
        self._y_shape = x.shape
        n = x.shape[0]
        if self.training:
            mean, var = x.mean(axis=0), x.var(axis=0)
            self._rm *= 1.0 - self.momentum
            self._rm += self.momentum * mean
            self._rv *= 1.0 - self.momentum
            self._rv += self.momentum * var * (n / (n - 1))
        else:
            mean, var = self._rm, self._rv
        self._batch_stats = self.training
        self._inv_std = (1.0 / np.sqrt(var + self.eps)).reshape(1, -1)
        self._x_hat = (x - mean) * self._inv_std
        return self._x_hat * self.weight.data + self.bias.data


# ---- correct alternative (lay_bn2d_cm_freed) ----
# MODULE: layers
# COMPONENTS: BatchNorm2d
# BatchNorm2d on a channel-major (C, N*H*W) copy of the input: statistics along axis 1, the
# staged (computational-graph) backward through var and mean, results moved back with
# reshape/transpose; the cache is freed after backward (a second backward raises).
class BatchNorm2d(Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.weight = Parameter(np.ones(num_features))
        self.bias = Parameter(np.zeros(num_features))
        self.running_mean = np.zeros(num_features)
        self.running_var = np.ones(num_features)

    @staticmethod
    def _to_cm(a):
        return a.transpose(1, 0, 2, 3).reshape(a.shape[1], -1)

    @staticmethod
    def _from_cm(a, shape):
        N, C, H, W = shape
        return a.reshape(C, N, H, W).transpose(1, 0, 2, 3)

    def forward(self, x):
        x = as_float_array(x)
        z = self._to_cm(x)
        m = z.shape[1]
        if self.training:
            mu = z.mean(axis=1, keepdims=True)
            xc = z - mu
            var = (xc**2).sum(axis=1, keepdims=True) / m
            self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mu[:, 0]
            self.running_var = (1 - self.momentum) * self.running_var + self.momentum * var[:, 0] * m / (m - 1)
        else:
            xc = z - self.running_mean[:, None]
            var = self.running_var[:, None]
        std = np.sqrt(var + self.eps)
        xhat = xc / std
        self._cache = (xc, std, xhat, self.training, x.shape)
        y = self.weight.data[:, None] * xhat + self.bias.data[:, None]
        return self._from_cm(y, x.shape)

    def backward(self, grad_y):
        xc, std, xhat, batch, shape = self._cache
        del self._cache
        g = self._to_cm(as_float_array(grad_y))
        self.weight.grad += (g * xhat).sum(axis=1)
        self.bias.grad += g.sum(axis=1)
        dxhat = g * self.weight.data[:, None]
        if not batch:
            return self._from_cm(dxhat / std, shape)
        m = g.shape[1]
        dxc = dxhat / std
        dstd = -(dxhat * xc).sum(axis=1, keepdims=True) / std**2
        dvar = dstd / (2 * std)
        dxc = dxc + dvar * 2 * xc / m
        dmu = -dxc.sum(axis=1, keepdims=True)
        return self._from_cm(dxc + dmu / m, shape)


# ---- correct alternative (lay_conv_lrucache) ----
# MODULE: layers
# COMPONENTS: Conv2d
# Conv2d through im2col with flat gather indices built by a module-level functools.lru_cache
# (shared by every instance, keyed by the geometry, so it is pure); forward gathers with
# np.take, backward scatters with one np.bincount over the whole batch; the columns are freed
# after backward (a second backward raises, as PyTorch's freed graph).
import functools as _functools


@_functools.lru_cache(maxsize=64)
def _conv_gather(C, Hp, Wp, kH, kW, sH, sW):
    Ho, Wo = (Hp - kH) // sH + 1, (Wp - kW) // sW + 1
    c, i, j = np.meshgrid(np.arange(C), np.arange(kH), np.arange(kW), indexing="ij")
    p, q = np.meshgrid(np.arange(Ho), np.arange(Wo), indexing="ij")
    rows = i.reshape(-1, 1) + sH * p.reshape(1, -1)
    cols = j.reshape(-1, 1) + sW * q.reshape(1, -1)
    index = (c.reshape(-1, 1) * Hp + rows) * Wp + cols  # (C*kH*kW, Ho*Wo) into one padded image
    index.setflags(write=False)
    return index, Ho, Wo


class Conv2d(Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=True):
        super().__init__()
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = pair(kernel_size, "kernel_size")
        self.stride = pair(stride, "stride")
        self.padding = pair(padding, "padding")
        fan_in = in_channels * self.kernel_size[0] * self.kernel_size[1]
        rng = np.random.default_rng()
        self.weight = _uniform(fan_in, (out_channels, in_channels, *self.kernel_size), rng)
        self.bias = _uniform(fan_in, (out_channels,), rng) if bias else None

    def forward(self, x):
        x = as_float_array(x)
        N, C, H, W = x.shape
        (kH, kW), (sH, sW), (pH, pW) = self.kernel_size, self.stride, self.padding
        xp = np.pad(x, ((0, 0), (0, 0), (pH, pH), (pW, pW)))
        index, Ho, Wo = _conv_gather(C, H + 2 * pH, W + 2 * pW, kH, kW, sH, sW)
        cols = np.take(xp.reshape(N, -1), index, axis=1)  # (N, CkHkW, HoWo)
        self._cache = (cols, xp.shape, index, x.shape)
        y = np.einsum("fk,nkl->nfl", self.weight.data.reshape(self.out_channels, -1), cols)
        if self.bias is not None:
            y = y + self.bias.data[None, :, None]
        return y.reshape(N, self.out_channels, Ho, Wo)

    def backward(self, grad_y):
        cols, xp_shape, index, x_shape = self._cache
        del self._cache
        N, F = grad_y.shape[:2]
        G = np.asarray(grad_y, dtype=np.float64).reshape(N, F, -1)
        self.weight.grad += np.einsum("nfl,nkl->fk", G, cols).reshape(self.weight.data.shape)
        if self.bias is not None:
            self.bias.grad += G.sum(axis=(0, 2))
        dcols = np.einsum("fk,nfl->nkl", self.weight.data.reshape(F, -1), G)
        per_image = int(np.prod(xp_shape[1:]))
        flat = (index[None] + per_image * np.arange(N)[:, None, None]).ravel()
        grad_xp = np.bincount(flat, weights=dcols.ravel(), minlength=N * per_image).reshape(xp_shape)
        (pH, pW), (H, W) = self.padding, x_shape[2:]
        return grad_xp[:, :, pH:pH + H, pW:pW + W]


# ---- correct alternative (lay_dropout_choice_del) ----
# MODULE: layers
# COMPONENTS: Dropout
# Dropout whose mask is drawn directly as values with rng.choice([0, 1/(1-p)], p=[p, 1-p])
# (p = 1: both values 0); the mask is freed after backward (`del`: a second backward raises,
# as PyTorch's freed graph); eval keeps no mask.
class Dropout(Module):
    def __init__(self, p=0.5):
        super().__init__()
        self.p = float(p)
        self.rng = np.random.default_rng()

    def forward(self, x):
        x = as_float_array(x)
        if not self.training:
            self._mask = None
            return x
        kept = 0.0 if self.p >= 1.0 else 1.0 / (1.0 - self.p)
        self._mask = self.rng.choice(np.array([0.0, kept]), size=x.shape, p=[self.p, 1.0 - self.p])
        return x * self._mask

    def backward(self, grad_y):
        mask = self._mask
        del self._mask
        grad_y = as_float_array(grad_y)
        return grad_y if mask is None else grad_y * mask


# ---- correct alternative (lay_flatten_featshape) ----
# MODULE: layers
# COMPONENTS: Flatten
# Flatten as a frozen-free @dataclass with no constructor arguments; forward saves only the
# per-sample shape x.shape[1:] (not the batch size) and backward rebuilds the input shape
# from grad_y's own batch size; np.reshape views both ways.
import dataclasses as _dc


@_dc.dataclass
class Flatten:
    training: bool = _dc.field(default=True, init=False)
    _sample_shape: tuple = _dc.field(default=(), init=False, repr=False)

    def parameters(self):
        return []

    def train(self):
        self.training = True
        return self

    def eval(self):
        self.training = False
        return self

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        self._sample_shape = x.shape[1:]
        return np.reshape(x, (x.shape[0], -1))

    def backward(self, grad_y):
        g = np.asarray(grad_y, dtype=np.float64)
        return np.reshape(g, (g.shape[0], *self._sample_shape))


# ---- correct alternative (lay_linear_dataclass) ----
# MODULE: layers
# COMPONENTS: Linear
# Linear as a @dataclass (eq=True: instances are unhashable and compare by fields); the
# generated __init__ has API.md's (in_features, out_features, bias=True); the parameters are
# init=False fields made in __post_init__ (the `bias` field first holds the flag, then the
# Parameter or None); backward through the transposed product x.T-free: (W^T g^T)^T.
import dataclasses as _dc


@_dc.dataclass
class Linear:
    in_features: int
    out_features: int
    bias: object = True
    training: bool = _dc.field(default=True, init=False)
    weight: object = _dc.field(default=None, init=False, repr=False)

    def __post_init__(self):
        bound = 1.0 / math.sqrt(self.in_features)
        rng = np.random.default_rng()
        self.weight = Parameter(rng.uniform(-bound, bound, (self.out_features, self.in_features)))
        self.bias = Parameter(rng.uniform(-bound, bound, (self.out_features,))) if self.bias else None

    def parameters(self):
        return [p for p in (self.weight, self.bias) if p is not None]

    def train(self):
        self.training = True
        return self

    def eval(self):
        self.training = False
        return self

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        self._saved = x
        out = (self.weight.data @ x.T).T
        if self.bias is not None:
            out = out + self.bias.data[None, :]
        return out

    def backward(self, grad_y):
        g = np.asarray(grad_y, dtype=np.float64)
        self.weight.grad += (g.T @ self._saved)
        if self.bias is not None:
            self.bias.grad += np.ones(g.shape[0]) @ g
        return (self.weight.data.T @ g.T).T


# ---- correct alternative (lay_maxpool_bincount_freed) ----
# MODULE: layers
# COMPONENTS: MaxPool2d
# MaxPool2d that saves the absolute flat index (into x) of each window's first maximum and
# scatters back with np.bincount(minlength=x.size); the saved indices are freed after backward.
class MaxPool2d(Module):
    def __init__(self, kernel_size, stride=None):
        super().__init__()
        self.kernel_size = pair(kernel_size, "kernel_size")
        self.stride = self.kernel_size if stride is None else pair(stride, "stride")

    def forward(self, x):
        x = as_float_array(x)
        N, C, H, W = x.shape
        (kH, kW), (sH, sW) = self.kernel_size, self.stride
        win = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]
        Ho, Wo = win.shape[2:4]
        flat = win.reshape(N, C, Ho, Wo, kH * kW)
        a = flat.argmax(axis=-1)
        i, j = np.divmod(a, kW)
        rows = i + sH * np.arange(Ho)[:, None]
        cols = j + sW * np.arange(Wo)[None, :]
        plane = (np.arange(N)[:, None, None, None] * C + np.arange(C)[None, :, None, None]) * (H * W)
        self._where = (plane + rows * W + cols, x.shape)
        return np.take(x.ravel(), self._where[0])

    def backward(self, grad_y):
        where, shape = self._where
        del self._where
        g = np.asarray(grad_y, dtype=np.float64)
        return np.bincount(where.ravel(), weights=g.ravel(), minlength=int(np.prod(shape))).reshape(shape)


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
