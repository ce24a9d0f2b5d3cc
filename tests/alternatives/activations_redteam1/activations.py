# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders. The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (act_gelu_sigmoid) ----
# MODULE: activations
# COMPONENTS: GELU
# GELU: the tanh form through 0.5 (1 + tanh u) = sigmoid(2u) (a stable sigmoid from exp(-|.|)),
# the exact form through erf for x >= 0 and erfc for x < 0 (the support module's functions).
def _sig(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


class GELU(Module):
    def __init__(self, approximate="none"):
        super().__init__()
        self.approximate = approximate

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        self.inp = x
        if self.approximate == "tanh":
            xc = np.clip(x, -50.0, 50.0)
            u = SQRT_2_OVER_PI * (xc + GELU_KAPPA * xc**3)
            self.s = _sig(2.0 * u)
            self.du = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_KAPPA * xc**2)
            return x * self.s
        r = x / math.sqrt(2.0)
        self.phi_cdf = np.where(x >= 0, 0.5 + 0.5 * erf(r), 0.5 * erfc(-r))
        return x * self.phi_cdf

    def backward(self, grad_y):
        g = np.asarray(grad_y, dtype=np.float64)
        x = np.clip(self.inp, -50.0, 50.0)
        if self.approximate == "tanh":
            return g * (self.s + x * 2.0 * self.s * (1.0 - self.s) * self.du)
        return g * (self.phi_cdf + x * np.exp(-0.5 * x * x) * INV_SQRT_2PI)


# ---- correct alternative (act_maxout_random_ties) ----
# MODULE: activations
# COMPONENTS: Maxout
# Maxout as one big Linear (K*M outputs) reshaped to (N, K, M); ties broken towards a RANDOM
# maximal piece (API.md: which one is free); backward by matmuls through a one-hot mask.
class Maxout(Module):
    def __init__(self, in_features, out_features, pieces=2):
        super().__init__()
        self.K, self.M, self.D = pieces, out_features, in_features
        rng = np.random.default_rng()
        b = 1.0 / math.sqrt(in_features)
        self.weight = Parameter(rng.uniform(-b, b, (pieces, out_features, in_features)))
        self.bias = Parameter(rng.uniform(-b, b, (pieces, out_features)))
        self.tie_rng = np.random.default_rng()

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        N = x.shape[0]
        W = self.weight.data.reshape(self.K * self.M, self.D)
        z = (x @ W.T + self.bias.data.reshape(-1)).reshape(N, self.K, self.M)
        best = z.max(axis=1, keepdims=True)
        keys = np.where(z == best, self.tie_rng.random(z.shape), -1.0)
        win = keys.argmax(axis=1)  # a random one of the maximal pieces
        self.mask = (np.arange(self.K)[None, :, None] == win[:, None, :]).astype(np.float64)
        self.x = x
        return best[:, 0, :]

    def backward(self, grad_y):
        g = np.asarray(grad_y, dtype=np.float64)
        gz = (self.mask * g[:, None, :]).reshape(g.shape[0], self.K * self.M)
        self.weight.grad += (gz.T @ self.x).reshape(self.K, self.M, self.D)
        self.bias.grad += gz.sum(axis=0).reshape(self.K, self.M)
        return gz @ self.weight.data.reshape(self.K * self.M, self.D)


# ---- correct alternative (act_prelu_einsum) ----
# MODULE: activations
# COMPONENTS: PReLU
# PReLU as max(x,0) + a*min(x,0) with the slope gradient by einsum over a channel one-hot
# (the derivative mask from x > 0, so PReLU'(0) = a); weight stored under a private name
# behind a property.
class PReLU(Module):
    def __init__(self, num_parameters=1, init=0.25):
        super().__init__()
        self._slopes = Parameter(np.full((num_parameters,), init))

    @property
    def weight(self):
        return self._slopes

    def parameters(self):
        return [self._slopes]

    def _a(self, ndim):
        a = self._slopes.data
        if a.size == 1:
            return a.reshape(())
        return a.reshape((1, -1) + (1,) * (ndim - 2))

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        self.neg = np.minimum(x, 0.0)
        self.pos_mask = x > 0
        return np.maximum(x, 0.0) + self._a(x.ndim) * self.neg

    def backward(self, grad_y):
        g = np.asarray(grad_y, dtype=np.float64)
        contrib = g * self.neg
        if self._slopes.data.size == 1:
            self._slopes.grad += np.einsum("i->", contrib.ravel())
        else:
            C = self._slopes.data.size
            flat = np.moveaxis(contrib, 1, -1).reshape(-1, C)
            self._slopes.grad += np.einsum("nc->c", flat)
        return np.where(self.pos_mask, g, self._a(g.ndim) * g)


# ---- correct alternative (act_relu_leaky_minmax) ----
# MODULE: activations
# COMPONENTS: ReLU,LeakyReLU
# ReLU by np.clip, backward by np.heaviside(x, 0) (ReLU'(0) = 0); LeakyReLU as
# max(x, 0) + slope * min(x, 0) (any slope), derivative slope + (1 - slope) * heaviside(x, 0).
class ReLU(Module):
    def forward(self, x):
        self.x_ = np.asarray(x, dtype=np.float64)
        return np.clip(self.x_, 0.0, None)

    def backward(self, grad_y):
        return np.heaviside(self.x_, 0.0) * np.asarray(grad_y, dtype=np.float64)


class LeakyReLU(Module):
    def __init__(self, negative_slope=0.01, inplace=False):
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x):
        self.x_ = np.asarray(x, dtype=np.float64)
        return np.maximum(self.x_, 0.0) + self.negative_slope * np.minimum(self.x_, 0.0)

    def backward(self, grad_y):
        a = self.negative_slope
        return (a + (1.0 - a) * np.heaviside(self.x_, 0.0)) * np.asarray(grad_y, dtype=np.float64)


# ---- correct alternative (act_selu_noinit) ----
# MODULE: activations
# COMPONENTS: ELU,SELU
# ELU with in-place masked writes (np.copyto / np.expm1(out=)); SELU as a subclass of ELU that
# does NOT call super().__init__() but sets its own attributes (training, alpha, scale).
class ELU(Module):
    def __init__(self, alpha=1.0):
        super().__init__()
        self.alpha = alpha
        self.scale = 1.0

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        self.neg = x <= 0
        y = np.array(x, dtype=np.float64)
        xn = np.minimum(x, 0.0)
        e = np.expm1(xn)
        np.copyto(y, self.alpha * e, where=self.neg)
        self.expx = np.exp(xn)
        return self.scale * y

    def backward(self, grad_y):
        d = np.where(self.neg, self.alpha * self.expx, 1.0)
        return self.scale * d * np.asarray(grad_y, dtype=np.float64)


class SELU(ELU):
    def __init__(self):
        self.training = True
        self.alpha = 1.6732632423543772848170429916717
        self.scale = 1.0507009873554804934193349852946


# ---- correct alternative (act_sigmoid_logspace) ----
# MODULE: activations
# COMPONENTS: Sigmoid
# Sigmoid in log space: log s(x) = -logaddexp(0, -x); backward s(1-s) = exp(log s(x) + log s(-x)),
# accurate in both tails (no 1 - s cancellation). Internal state under another name.
class Sigmoid(Module):
    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        self.__log_s = -np.logaddexp(0.0, -x)
        self.__log_1ms = -np.logaddexp(0.0, x)
        return np.exp(self.__log_s)

    def backward(self, grad_y):
        return np.asarray(grad_y, dtype=np.float64) * np.exp(self.__log_s + self.__log_1ms)


# ---- correct alternative (act_silu_logaddexp) ----
# MODULE: activations
# COMPONENTS: SiLU
# SiLU with sigmoid = exp(-logaddexp(0, -x)); derivative s * (1 + x * (1 - s)), 1 - s taken as
# exp(-logaddexp(0, x)) (no cancellation).
class SiLU(Module):
    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        self.s = np.exp(-np.logaddexp(0.0, -x))
        self.one_minus_s = np.exp(-np.logaddexp(0.0, x))
        self.x = x
        return x * self.s

    def backward(self, grad_y):
        return np.asarray(grad_y, dtype=np.float64) * self.s * (1.0 + self.x * self.one_minus_s)


# ---- correct alternative (act_softmax_moveaxis) ----
# MODULE: activations
# COMPONENTS: Softmax,LogSoftmax
# Softmax/LogSoftmax that move `dim` to the last axis, work on rows, and move it back;
# backward by einsum over the last axis. LogSoftmax's backward renormalises exp(y).
class Softmax(Module):
    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        z = np.moveaxis(np.asarray(x, dtype=np.float64), self.dim, -1)
        z = z - z.max(axis=-1)[..., None]
        e = np.exp(z)
        p = e / np.einsum("...i->...", e)[..., None]
        self.p_last = p
        return np.moveaxis(p, -1, self.dim)

    def backward(self, grad_y):
        g = np.moveaxis(np.asarray(grad_y, dtype=np.float64), self.dim, -1)
        dot = np.einsum("...i,...i->...", g, self.p_last)
        return np.moveaxis(self.p_last * (g - dot[..., None]), -1, self.dim)


class LogSoftmax(Module):
    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        z = np.moveaxis(np.asarray(x, dtype=np.float64), self.dim, -1)
        m = z.max(axis=-1, keepdims=True)
        lse = m + np.log(np.exp(z - m).sum(axis=-1, keepdims=True))
        y = z - lse
        self.y_last = y
        return np.moveaxis(y, -1, self.dim)

    def backward(self, grad_y):
        g = np.moveaxis(np.asarray(grad_y, dtype=np.float64), self.dim, -1)
        e = np.exp(self.y_last)
        p = e / e.sum(axis=-1, keepdims=True)
        out = g - p * np.einsum("...i->...", g)[..., None]
        return np.moveaxis(out, -1, self.dim)


# ---- correct alternative (act_softplus_from_output) ----
# MODULE: activations
# COMPONENTS: Softplus
# Softplus with the derivative taken from the output: sigmoid(z) = 1 - exp(-softplus(z)) =
# -expm1(-beta * y), accurate in both tails. Forward splits z > 0 and z <= 0 with boolean
# indexing into a preallocated array. Extra keyword argument with a default.
class Softplus(Module):
    def __init__(self, beta=1.0, threshold=20.0, *, dtype=np.float64):
        super().__init__()
        self.beta, self.threshold, self.dtype = beta, threshold, dtype

    def forward(self, x):
        x = np.asarray(x, dtype=self.dtype)
        z = self.beta * x
        out = np.empty_like(z)
        pos = z > 0
        out[pos] = z[pos] + np.log1p(np.exp(-z[pos]))
        out[~pos] = np.log1p(np.exp(z[~pos]))
        y = out / self.beta
        self.identity = z > self.threshold
        y[self.identity] = x[self.identity]
        self.y = y
        return y

    def backward(self, grad_y):
        slope = -np.expm1(-self.beta * self.y)
        slope[self.identity] = 1.0
        return np.asarray(grad_y, dtype=np.float64) * slope


# ---- correct alternative (act_step_identity) ----
# MODULE: activations
# COMPONENTS: Step,Identity
# Step from the sign: (sign(x) + 1) // 2 (0 at x = 0), backward zeros shaped like grad_y;
# Identity returning copies (np.array) instead of views.
class Step(Module):
    def forward(self, x):
        return (np.sign(np.asarray(x, dtype=np.float64)) + 1.0) // 2.0

    def backward(self, grad_y):
        return np.zeros(np.shape(grad_y))


class Identity(Module):
    def forward(self, x):
        return np.array(x, dtype=np.float64)

    def backward(self, grad_y):
        return np.array(grad_y, dtype=np.float64)


# ---- correct alternative (act_tanh_cosh) ----
# MODULE: activations
# COMPONENTS: Tanh
# Textbook derivative sech^2 x = 1 / cosh^2 x from the saved input (cosh overflows to inf for
# |x| > 710 with a warning, and 1/inf^2 = 0 is the right limit). No super().__init__().
class Tanh(Module):
    def __init__(self):
        self.training = True

    def forward(self, x):
        self.saved_input = np.array(x, dtype=np.float64)
        return np.tanh(self.saved_input)

    def backward(self, grad_y):
        with np.errstate(over="ignore"):
            c = np.cosh(self.saved_input)
        return np.asarray(grad_y, dtype=np.float64) / (c * c)
