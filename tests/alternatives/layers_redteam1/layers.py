# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders. The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (lay_avgpool_matrices) ----
# MODULE: layers
# COMPONENTS: AvgPool2d
# AvgPool2d as two pooling matrices, y = P_h x P_w^T / (kH kW) per image (one einsum); the
# backward is the transpose: grad_x = P_h^T g P_w / (kH kW). Rows of x past the last window are
# in no column of P and get 0.
class AvgPool2d(Module):
    def __init__(self, kernel_size, stride=None):
        super().__init__()
        self.kernel_size = pair(kernel_size, "kernel_size")
        self.stride = self.kernel_size if stride is None else pair(stride, "stride")

    @staticmethod
    def _matrix(size, k, s):
        out = (size - k) // s + 1
        P = np.zeros((out, size))
        for p in range(out):
            P[p, p * s : p * s + k] = 1.0
        return P

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        (kH, kW), (sH, sW) = self.kernel_size, self.stride
        self.Ph = self._matrix(x.shape[2], kH, sH)
        self.Pw = self._matrix(x.shape[3], kW, sW)
        return np.einsum("ph,nchw,qw->ncpq", self.Ph, x, self.Pw, optimize=True) / (kH * kW)

    def backward(self, grad_y):
        (kH, kW) = self.kernel_size
        g = np.asarray(grad_y, dtype=np.float64)
        return np.einsum("ph,ncpq,qw->nchw", self.Ph, g, self.Pw, optimize=True) / (kH * kW)


# ---- correct alternative (lay_bn2d_rows) ----
# MODULE: layers
# COMPONENTS: BatchNorm2d
# BatchNorm2d by moving channels last and flattening to rows (N*H*W, C), then a plain 1-D batch
# norm on the rows with the compact backward (M dxhat - sum dxhat - xhat sum(dxhat xhat)) / (M std);
# buffers replaced by new arrays each step, the unbiased variance via np.var(ddof=1).
class BatchNorm2d(Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.eps, self.momentum = eps, momentum
        self.weight = Parameter(np.ones(num_features))
        self.bias = Parameter(np.zeros(num_features))
        self.running_mean = np.zeros(num_features)
        self.running_var = np.ones(num_features)

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        N, C, H, W = x.shape
        rows = x.transpose(0, 2, 3, 1).reshape(-1, C)
        if self.training:
            mu = rows.mean(axis=0)
            var = rows.var(axis=0)
            m = self.momentum
            self.running_mean = (1 - m) * self.running_mean + m * mu
            self.running_var = (1 - m) * self.running_var + m * rows.var(axis=0, ddof=1)
        else:
            mu, var = self.running_mean, self.running_var
        self.std = np.sqrt(var + self.eps)
        self.xhat = (rows - mu) / self.std
        self.batch = self.training
        out = self.xhat * self.weight.data + self.bias.data
        return out.reshape(N, H, W, C).transpose(0, 3, 1, 2)

    def backward(self, grad_y):
        g = np.asarray(grad_y, dtype=np.float64)
        N, C, H, W = g.shape
        gr = g.transpose(0, 2, 3, 1).reshape(-1, C)
        self.weight.grad += (gr * self.xhat).sum(axis=0)
        self.bias.grad += gr.sum(axis=0)
        dxhat = gr * self.weight.data
        if self.batch:
            M = gr.shape[0]
            dx = (M * dxhat - dxhat.sum(axis=0) - self.xhat * (dxhat * self.xhat).sum(axis=0)) / (M * self.std)
        else:
            dx = dxhat / self.std
        return dx.reshape(N, H, W, C).transpose(0, 3, 1, 2)


# ---- correct alternative (lay_conv_fft) ----
# MODULE: layers
# COMPONENTS: Conv2d
# Conv2d by FFT: the stride-1 cross-correlation of the padded input with each kernel is a
# product of spectra (conjugate of the kernel's), then subsampled by the stride. Backward:
# the output gradient is dilated back onto the stride-1 grid; grad_x is a full convolution
# with the kernels, grad_w a correlation with the padded input, both by FFT.
class Conv2d(Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=True):
        super().__init__()
        self.kernel_size = pair(kernel_size, "kernel_size")
        self.stride = pair(stride, "stride")
        self.padding = pair(padding, "padding")
        kH, kW = self.kernel_size
        bound = 1.0 / math.sqrt(in_channels * kH * kW)
        rng = np.random.default_rng()
        self.weight = Parameter(rng.uniform(-bound, bound, (out_channels, in_channels, kH, kW)))
        self.bias = Parameter(rng.uniform(-bound, bound, out_channels)) if bias else None

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        (kH, kW), (sH, sW), (pH, pW) = self.kernel_size, self.stride, self.padding
        xp = np.pad(x, ((0, 0), (0, 0), (pH, pH), (pW, pW)))
        Hp, Wp = xp.shape[2:]
        self.fft_size = (Hp, Wp)
        self.Xf = np.fft.rfft2(xp, s=(Hp, Wp))
        Wf = np.fft.rfft2(self.weight.data, s=(Hp, Wp))
        full = np.fft.irfft2(np.einsum("ncuv,fcuv->nfuv", self.Xf, np.conj(Wf)), s=(Hp, Wp))
        Hf, Wf_ = Hp - kH + 1, Wp - kW + 1
        self.full_shape = (Hf, Wf_)
        self.in_hw = x.shape[2:]
        y = full[:, :, :Hf:sH, :Wf_:sW]
        if self.bias is not None:
            y = y + self.bias.data[None, :, None, None]
        return y

    def backward(self, grad_y):
        g = np.asarray(grad_y, dtype=np.float64)
        (kH, kW), (sH, sW), (pH, pW) = self.kernel_size, self.stride, self.padding
        N, F = g.shape[:2]
        s = self.fft_size
        dil = np.zeros((N, F, *self.full_shape))
        dil[:, :, ::sH, ::sW][:, :, : g.shape[2], : g.shape[3]] = g
        Gf = np.fft.rfft2(dil, s=s)
        if self.bias is not None:
            self.bias.grad += g.sum(axis=(0, 2, 3))
        gw = np.fft.irfft2(np.einsum("ncuv,nfuv->fcuv", self.Xf, np.conj(Gf)), s=s)[:, :, :kH, :kW]
        self.weight.grad += gw
        Wf = np.fft.rfft2(self.weight.data, s=s)
        gxp = np.fft.irfft2(np.einsum("nfuv,fcuv->ncuv", Gf, Wf), s=s)
        H, W = self.in_hw
        return gxp[:, :, pH : pH + H, pW : pW + W]


# ---- correct alternative (lay_dropout_binomial_seeded) ----
# MODULE: layers
# COMPONENTS: Dropout
# Dropout whose masks come from rng.binomial(1, 1 - p) of a generator seeded at construction
# (a fixed seed: reproducible runs; API.md: "the random source is free"); p = 1 special-cased.
class Dropout(Module):
    def __init__(self, p=0.5, seed=1234):
        super().__init__()
        self.p = p
        self.generator = np.random.default_rng(seed)

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        if not self.training:
            self.mask = np.ones_like(x)
            return x
        if self.p >= 1.0:
            self.mask = np.zeros_like(x)
        else:
            self.mask = self.generator.binomial(1, 1.0 - self.p, size=x.shape) / (1.0 - self.p)
        return x * self.mask

    def backward(self, grad_y):
        return np.asarray(grad_y, dtype=np.float64) * self.mask


# ---- correct alternative (lay_flatten_noinit) ----
# MODULE: layers
# COMPONENTS: Flatten
# Flatten as a plain class (no base, no super), stacking each sample's ravel (a copy), and
# np.reshape back in backward.
class Flatten:
    training = True

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
        self.in_shape = x.shape
        return np.stack([sample.ravel() for sample in x])

    def backward(self, grad_y):
        return np.reshape(np.asarray(grad_y, dtype=np.float64), self.in_shape)


# ---- correct alternative (lay_linear_augmented) ----
# MODULE: layers
# COMPONENTS: Linear
# Linear through the "bias trick": x is augmented with a column of ones and [W | b] is one matrix;
# every product is an einsum. No super().__init__(); extra keyword arguments with defaults.
class Linear:
    def __init__(self, in_features, out_features, bias=True, *, rng=None, init_scale=None):
        rng = np.random.default_rng() if rng is None else rng
        bound = init_scale if init_scale is not None else 1.0 / math.sqrt(in_features)
        self.training = True
        self.weight = Parameter(rng.uniform(-bound, bound, (out_features, in_features)))
        self.bias = Parameter(rng.uniform(-bound, bound, (out_features,))) if bias else None

    def parameters(self):
        return [self.weight] if self.bias is None else [self.weight, self.bias]

    def train(self):
        self.training = True
        return self

    def eval(self):
        self.training = False
        return self

    def _matrix(self):
        if self.bias is None:
            return self.weight.data
        return np.concatenate([self.weight.data, self.bias.data[:, None]], axis=1)

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        if self.bias is not None:
            x = np.concatenate([x, np.ones((x.shape[0], 1))], axis=1)
        self.xa = x
        return np.einsum("nd,md->nm", x, self._matrix())

    def backward(self, grad_y):
        g = np.asarray(grad_y, dtype=np.float64)
        dA = np.einsum("nm,nd->md", g, self.xa)
        D = self.weight.data.shape[1]
        self.weight.grad += dA[:, :D]
        if self.bias is not None:
            self.bias.grad += dA[:, D]
        return np.einsum("nm,md->nd", g, self.weight.data)


# ---- correct alternative (lay_maxpool_offsets) ----
# MODULE: layers
# COMPONENTS: MaxPool2d
# MaxPool2d without any window view: a running maximum over the kH*kW kernel offsets, each a
# strided slice of x; the winner index is replaced only on a strictly larger value (first max).
class MaxPool2d(Module):
    def __init__(self, kernel_size, stride=None):
        super().__init__()
        self.kernel_size = pair(kernel_size, "kernel_size")
        self.stride = self.kernel_size if stride is None else pair(stride, "stride")

    def _slice(self, i, j, Ho, Wo):
        (sH, sW) = self.stride
        return (slice(None), slice(None), slice(i, i + sH * (Ho - 1) + 1, sH), slice(j, j + sW * (Wo - 1) + 1, sW))

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        (kH, kW), (sH, sW) = self.kernel_size, self.stride
        Ho, Wo = (x.shape[2] - kH) // sH + 1, (x.shape[3] - kW) // sW + 1
        best = np.full((*x.shape[:2], Ho, Wo), -np.inf)
        which = np.zeros(best.shape, dtype=np.int64)
        for i in range(kH):
            for j in range(kW):
                v = x[self._slice(i, j, Ho, Wo)]
                better = v > best
                best = np.where(better, v, best)
                which[better] = i * kW + j
        self.which, self.x_shape = which, x.shape
        return best

    def backward(self, grad_y):
        g = np.asarray(grad_y, dtype=np.float64)
        (kH, kW) = self.kernel_size
        Ho, Wo = g.shape[2:]
        dx = np.zeros(self.x_shape)
        for i in range(kH):
            for j in range(kW):
                dx[self._slice(i, j, Ho, Wo)] += g * (self.which == i * kW + j)
        return dx
