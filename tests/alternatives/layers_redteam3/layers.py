# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders. The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (lay_conv_transposed) ----
# MODULE: layers
# COMPONENTS: Conv2d
# Conv2d with sliding_window_view + einsum forward, and the input gradient computed as a
# stride-1 convolution of the dilated, (k-1)-padded output gradient with the flipped kernels
# ("the backward of a convolution is a transposed convolution"); the weight gradient as a
# correlation of the padded input with the dilated gradient (windows of the gradient's size).
from numpy.lib.stride_tricks import sliding_window_view as _swv


class Conv2d(Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=True):
        super().__init__()
        k = kernel_size if isinstance(kernel_size, (tuple, list)) else (kernel_size, kernel_size)
        s = stride if isinstance(stride, (tuple, list)) else (stride, stride)
        p = padding if isinstance(padding, (tuple, list)) else (padding, padding)
        self.k, self.s, self.p = tuple(k), tuple(s), tuple(p)
        fan_in = in_channels * k[0] * k[1]
        self.weight = Parameter(np.random.uniform(-1, 1, (out_channels, in_channels, *k)) / math.sqrt(fan_in))
        self.bias = Parameter(np.random.uniform(-1, 1, out_channels) / math.sqrt(fan_in)) if bias else None

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        (pH, pW), (sH, sW) = self.p, self.s
        self.xp = np.pad(x, ((0, 0), (0, 0), (pH, pH), (pW, pW)))
        self.x_hw = x.shape[2:]
        win = _swv(self.xp, self.k, axis=(2, 3))[:, :, ::sH, ::sW]
        y = np.einsum("nchwij,fcij->nfhw", win, self.weight.data, optimize=True)
        if self.bias is not None:
            y += self.bias.data[:, None, None]
        return y

    def backward(self, grad_y):
        g = np.asarray(grad_y, dtype=np.float64)
        (kH, kW), (sH, sW), (pH, pW) = self.k, self.s, self.p
        N, F, Ho, Wo = g.shape
        Hf, Wf = self.xp.shape[2] - kH + 1, self.xp.shape[3] - kW + 1
        dil = np.zeros((N, F, Hf, Wf))
        dil[:, :, : sH * (Ho - 1) + 1 : sH, : sW * (Wo - 1) + 1 : sW] = g
        if self.bias is not None:
            self.bias.grad += np.einsum("nfhw->f", g)
        big = _swv(self.xp, (Hf, Wf), axis=(2, 3))  # (N, C, kH, kW, Hf, Wf)
        self.weight.grad += np.einsum("nfab,ncijab->fcij", dil, big, optimize=True)
        padded = np.pad(dil, ((0, 0), (0, 0), (kH - 1, kH - 1), (kW - 1, kW - 1)))
        win = _swv(padded, (kH, kW), axis=(2, 3))  # (N, F, Hp, Wp, kH, kW)
        flipped = self.weight.data[:, :, ::-1, ::-1]
        gxp = np.einsum("nfuvij,fcij->ncuv", win, flipped, optimize=True)
        H, W = self.x_hw
        return gxp[:, :, pH : pH + H, pW : pW + W]
