# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different layers found by red-teaming the release checker (round 3). The tests append
# this file to the reference module; later definitions win. Every class must pass the grader and the
# release's self-checker.


# Linear with einsum and its cache in a dict.
class Linear(Linear):
    def forward(self, x):
        x = as_float_array(x, "Linear input")
        check_ndim(x, 2, "Linear", f"(N, {self.in_features})")
        check_feature_size(x, 1, self.in_features, "Linear", "input features")
        self._y_shape = (x.shape[0], self.out_features)
        self.cache = {"x": x}
        y = np.einsum("nd,md->nm", x, self.weight.data)
        return y if self.bias is None else y + self.bias.data

    def backward(self, grad_y):
        grad_y = _grad_array(grad_y, self._y_shape, "Linear")
        x = self.cache["x"]
        self.weight.grad += np.einsum("nm,nd->md", grad_y, x)
        if self.bias is not None:
            self.bias.grad += np.einsum("nm->m", grad_y)
        return np.einsum("nm,md->nd", grad_y, self.weight.data)


# Conv2d without im2col: one einsum per kernel offset over strided slices of the padded input.
class Conv2d(Conv2d):
    def forward(self, x):
        x = as_float_array(x, "Conv2d input")
        check_ndim(x, 4, "Conv2d", "(N, C, H, W)")
        check_feature_size(x, 1, self.in_channels, "Conv2d", "input channels")
        N, C, H, W = x.shape
        (kH, kW), (sH, sW), (pH, pW) = self.kernel_size, self.stride, self.padding
        Ho, Wo = 1 + (H + 2 * pH - kH) // sH, 1 + (W + 2 * pW - kW) // sW
        self._y_shape = (N, self.out_channels, Ho, Wo)
        xp = np.pad(x, ((0, 0), (0, 0), (pH, pH), (pW, pW)))
        self.saved = (xp, H, W)
        y = np.zeros(self._y_shape)
        for i in range(kH):
            for j in range(kW):
                patch = xp[:, :, i : i + sH * (Ho - 1) + 1 : sH, j : j + sW * (Wo - 1) + 1 : sW]
                y += np.einsum("nchw,fc->nfhw", patch, self.weight.data[:, :, i, j])
        if self.bias is not None:
            y += self.bias.data[None, :, None, None]
        return y

    def backward(self, grad_y):
        grad_y = _grad_array(grad_y, self._y_shape, "Conv2d")
        xp, H, W = self.saved
        (kH, kW), (sH, sW), (pH, pW) = self.kernel_size, self.stride, self.padding
        Ho, Wo = grad_y.shape[2:]
        grad_xp = np.zeros_like(xp)
        for i in range(kH):
            for j in range(kW):
                rows, cols = slice(i, i + sH * (Ho - 1) + 1, sH), slice(j, j + sW * (Wo - 1) + 1, sW)
                self.weight.grad[:, :, i, j] += np.einsum("nfhw,nchw->fc", grad_y, xp[:, :, rows, cols])
                grad_xp[:, :, rows, cols] += np.einsum("nfhw,fc->nchw", grad_y, self.weight.data[:, :, i, j])
        if self.bias is not None:
            self.bias.grad += grad_y.sum(axis=(0, 2, 3))
        return grad_xp[:, :, pH : pH + H, pW : pW + W]


# MaxPool2d with Python loops over the output positions; np.argmax picks the first maximum.
class MaxPool2d(MaxPool2d):
    def forward(self, x):
        x = self._check(x)
        (kH, kW), (sH, sW) = self.kernel_size, self.stride
        N, C, Ho, Wo = self._y_shape
        self.input_shape = x.shape
        y = np.empty(self._y_shape)
        self.where = np.empty((N, C, Ho, Wo, 2), dtype=int)
        for p in range(Ho):
            for q in range(Wo):
                window = x[:, :, p * sH : p * sH + kH, q * sW : q * sW + kW].reshape(N, C, -1)
                flat = window.argmax(axis=-1)
                y[:, :, p, q] = np.take_along_axis(window, flat[..., None], axis=-1)[..., 0]
                self.where[:, :, p, q, 0] = p * sH + flat // kW
                self.where[:, :, p, q, 1] = q * sW + flat % kW
        return y

    def backward(self, grad_y):
        grad_y = _grad_array(grad_y, self._y_shape, "MaxPool2d")
        grad_x = np.zeros(self.input_shape)
        N, C = grad_y.shape[:2]
        n, c = np.meshgrid(np.arange(N), np.arange(C), indexing="ij")
        for p in range(grad_y.shape[2]):
            for q in range(grad_y.shape[3]):
                rows, cols = self.where[:, :, p, q, 0], self.where[:, :, p, q, 1]
                np.add.at(grad_x, (n, c, rows, cols), grad_y[:, :, p, q])
        return grad_x


# AvgPool2d: forward sums strided slices, backward scatters with np.add.at.
class AvgPool2d(AvgPool2d):
    def forward(self, x):
        x = self._check(x)
        (kH, kW), (sH, sW) = self.kernel_size, self.stride
        Ho, Wo = self._y_shape[2:]
        self.input_shape = x.shape
        total = np.zeros(self._y_shape)
        for i in range(kH):
            for j in range(kW):
                total += x[:, :, i : i + sH * (Ho - 1) + 1 : sH, j : j + sW * (Wo - 1) + 1 : sW]
        return total / (kH * kW)

    def backward(self, grad_y):
        grad_y = _grad_array(grad_y, self._y_shape, "AvgPool2d")
        (kH, kW), (sH, sW) = self.kernel_size, self.stride
        Ho, Wo = grad_y.shape[2:]
        grad_x = np.zeros(self.input_shape)
        for i in range(kH):
            for j in range(kW):
                rows = (i + sH * np.arange(Ho))[:, None]
                cols = (j + sW * np.arange(Wo))[None, :]
                np.add.at(grad_x, (slice(None), slice(None), rows, cols), grad_y / (kH * kW))
        return grad_x


# Dropout drawing its mask with rng.binomial, keeping the scale and the mask apart.
class Dropout(Dropout):
    def forward(self, x):
        x = as_float_array(x, "Dropout input")
        self._y_shape = x.shape
        if not self.training:
            self.keep = None
            return x
        self.keep = self.rng.binomial(1, 1.0 - self.p, size=x.shape).astype(bool)
        self.scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)
        return np.where(self.keep, x * self.scale, 0.0)

    def backward(self, grad_y):
        grad_y = _grad_array(grad_y, self._y_shape, "Dropout")
        return grad_y if self.keep is None else np.where(self.keep, grad_y * self.scale, 0.0)


# BatchNorm1d and BatchNorm2d written separately: channels moved first and flattened, state in a
# dict, the unbiased variance from np.var(ddof=1) for the running estimate.
class _ChannelRowsNorm(_BatchNorm):
    def forward(self, x):
        name = type(self).__name__
        x = as_float_array(x, f"{name} input")
        check_ndim(x, self._ndims, name, self._layout)
        check_feature_size(x, 1, self.num_features, name, "channels")
        if self.training and x.size // self.num_features == 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input size {x.shape}")
        self._y_shape = x.shape
        rows = np.moveaxis(x, 1, 0).reshape(self.num_features, -1)  # (C, values of the channel)
        if self.training:
            mean, var = rows.mean(axis=1), rows.var(axis=1)
            m = self.momentum
            self.running_mean = (1 - m) * self.running_mean + m * mean
            self.running_var = (1 - m) * self.running_var + m * rows.var(axis=1, ddof=1)
        else:
            mean, var = self.running_mean, self.running_var
        inv = 1.0 / np.sqrt(var + self.eps)
        x_hat = (rows - mean[:, None]) * inv[:, None]
        self.state = {"x_hat": x_hat, "inv": inv, "batch": self.training, "shape": np.moveaxis(x, 1, 0).shape}
        y = self.weight.data[:, None] * x_hat + self.bias.data[:, None]
        return np.moveaxis(y.reshape(self.state["shape"]), 0, 1)

    def backward(self, grad_y):
        grad_y = _grad_array(grad_y, self._y_shape, type(self).__name__)
        g = np.moveaxis(grad_y, 1, 0).reshape(self.num_features, -1)
        s = self.state
        self.weight.grad += (g * s["x_hat"]).sum(axis=1)
        self.bias.grad += g.sum(axis=1)
        gx_hat = g * self.weight.data[:, None]
        if s["batch"]:
            m = gx_hat.shape[1]
            gx = s["inv"][:, None] / m * (m * gx_hat - gx_hat.sum(1, keepdims=True)
                                          - s["x_hat"] * (gx_hat * s["x_hat"]).sum(1, keepdims=True))
        else:
            gx = gx_hat * s["inv"][:, None]
        return np.moveaxis(gx.reshape(s["shape"]), 0, 1)


class BatchNorm1d(_ChannelRowsNorm):
    _ndims = (2, 3)
    _layout = "(N, C) or (N, C, L)"


class BatchNorm2d(_ChannelRowsNorm):
    _ndims = (4,)
    _layout = "(N, C, H, W)"
