# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders. The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (lay_conv_pair_defaults) ----
# MODULE: layers
# COMPONENTS: Conv2d
# The reference Conv2d with torch-like signature extras: defaults written as pairs
# (stride=(1, 1), padding=(0, 0): API.md says sizes are an int or a pair) and extra
# keyword arguments dilation=1, groups=1 (only the defaults supported).
class Conv2d(Conv2d):
    def __init__(self, in_channels, out_channels, kernel_size, stride=(1, 1), padding=(0, 0), bias=True,
                 dilation=1, groups=1):
        if dilation != 1 or groups != 1:
            raise ValueError("only dilation=1, groups=1")
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, bias)


# ---- correct alternative (lay_dropout_boolmask) ----
# MODULE: layers
# COMPONENTS: Dropout
# Dropout keeping entries with u < 1 - p (u ~ U[0,1)), a boolean mask and np.where; the scale is
# computed at construction; mask and generator under other names; eval stores mask None.
class Dropout(Module):
    def __init__(self, p=0.5):
        super().__init__()
        self.p = p
        self._keep_prob = 1.0 - p
        self._scale = 0.0 if p == 1 else 1.0 / (1.0 - p)
        self._gen = np.random.default_rng()
        self._keep = None

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        if self.training:
            self._keep = self._gen.random(x.shape) < self._keep_prob
            return np.where(self._keep, x * self._scale, 0.0)
        self._keep = None
        return x

    def backward(self, grad_y):
        g = np.asarray(grad_y, dtype=np.float64)
        return g if self._keep is None else np.where(self._keep, g * self._scale, 0.0)


# ---- correct alternative (lay_maxpool_random_ties) ----
# MODULE: layers
# COMPONENTS: MaxPool2d
# MaxPool2d that breaks ties towards a RANDOM maximal entry of the window (API.md: which one is
# free); windows by sliding_window_view, scatter back with np.add.at on absolute indices.
from numpy.lib.stride_tricks import sliding_window_view as _swv


class MaxPool2d(Module):
    def __init__(self, kernel_size, stride=None):
        super().__init__()
        self.kernel_size = pair(kernel_size, "kernel_size")
        self.stride = self.kernel_size if stride is None else pair(stride, "stride")
        self.rng = np.random.default_rng()

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        (kH, kW), (sH, sW) = self.kernel_size, self.stride
        w = _swv(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]
        flat = w.reshape(*w.shape[:4], kH * kW)
        top = flat.max(axis=-1)
        keys = np.where(flat == top[..., None], self.rng.random(flat.shape), -1.0)
        k = keys.argmax(axis=-1)
        N, C, Ho, Wo = top.shape
        rows = np.arange(Ho)[:, None] * sH + k // kW
        cols = np.arange(Wo)[None, :] * sW + k % kW
        self.rows, self.cols, self.shape = rows, cols, x.shape
        return top

    def backward(self, grad_y):
        g = np.asarray(grad_y, dtype=np.float64)
        N, C = g.shape[:2]
        n = np.arange(N)[:, None, None, None]
        c = np.arange(C)[None, :, None, None]
        dx = np.zeros(self.shape)
        np.add.at(dx, (n, c, self.rows, self.cols), g)
        return dx
