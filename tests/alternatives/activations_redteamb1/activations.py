# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders (round 2). The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (act_elu_from_output) ----
# MODULE: activations
# COMPONENTS: ELU,SELU
# ELU and SELU with the textbook derivative from the output (Clevert et al.): for x <= 0,
# d/dx alpha(e^x - 1) = y + alpha (SELU: y + scale*alpha); only the output and the sign mask
# are saved; alpha behind a read-only property.
class ELU(Module):
    def __init__(self, alpha=1.0):
        super().__init__()
        self._alpha = float(alpha)

    alpha = property(lambda self: self._alpha)

    def forward(self, x):
        x = as_float_array(x)
        self._pos = x > 0
        self._y = np.where(self._pos, x, self._alpha * np.expm1(np.minimum(x, 0.0)))
        return self._y

    def backward(self, grad_y):
        return as_float_array(grad_y) * np.where(self._pos, 1.0, self._y + self._alpha)


class SELU(Module):
    def forward(self, x):
        x = as_float_array(x)
        self._pos = x > 0
        self._y = SELU_SCALE * np.where(self._pos, x, SELU_ALPHA * np.expm1(np.minimum(x, 0.0)))
        return self._y

    def backward(self, grad_y):
        return as_float_array(grad_y) * np.where(self._pos, SELU_SCALE, self._y + SELU_SCALE * SELU_ALPHA)


# ---- correct alternative (act_identity_step_slots) ----
# MODULE: activations
# COMPONENTS: Identity,Step
# Identity and Step with __slots__ = ("training",) and no base class; Identity returns its
# (float64) input and grad_y themselves (views are allowed: callers never modify them); Step
# through np.heaviside(x, 0) and a backward of np.zeros(grad_y.shape).
class _Slotted:
    __slots__ = ("training",)

    def __init__(self):
        self.training = True

    def parameters(self):
        return []

    def train(self):
        self.training = True
        return self

    def eval(self):
        self.training = False
        return self


class Identity(_Slotted):
    __slots__ = ()

    def forward(self, x):
        return np.asarray(x, dtype=np.float64)

    def backward(self, grad_y):
        return np.asarray(grad_y, dtype=np.float64)


class Step(_Slotted):
    __slots__ = ()

    def forward(self, x):
        return np.heaviside(np.asarray(x, dtype=np.float64), 0.0)

    def backward(self, grad_y):
        return np.zeros(np.shape(grad_y))


# ---- correct alternative (act_leakyrelu_dcslots) ----
# MODULE: activations
# COMPONENTS: LeakyReLU
# LeakyReLU as @dataclass(slots=True): no instance __dict__, every attribute a declared field
# (negative_slope is the only __init__ argument); the derivative as a saved slope array.
import dataclasses as _dc


@_dc.dataclass(slots=True)
class LeakyReLU:
    negative_slope: float = 0.01
    training: bool = _dc.field(default=True, init=False)
    _slope: object = _dc.field(default=None, init=False, repr=False)

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
        self._slope = np.where(x > 0, 1.0, self.negative_slope)
        return x * self._slope

    def backward(self, grad_y):
        return np.asarray(grad_y, dtype=np.float64) * self._slope


# ---- correct alternative (act_logsoftmax_dataclass) ----
# MODULE: activations
# COMPONENTS: LogSoftmax
# LogSoftmax as a @dataclass(dim: int = -1) with no base class; the normaliser as
# np.logaddexp.reduce along dim (pairwise-stable); backward g - exp(y) * sum(g) from the
# saved output.
import dataclasses as _dc


@_dc.dataclass
class LogSoftmax:
    dim: int = -1
    training: bool = _dc.field(default=True, init=False)

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
        self._y = x - np.logaddexp.reduce(x, axis=self.dim, keepdims=True)
        return self._y

    def backward(self, grad_y):
        g = np.asarray(grad_y, dtype=np.float64)
        return g - np.exp(self._y) * g.sum(axis=self.dim, keepdims=True)


# ---- correct alternative (act_maxout_pieceloop_freed) ----
# MODULE: activations
# COMPONENTS: Maxout
# Maxout as a loop over pieces keeping a running maximum and the winning piece (strict >, so
# ties go to the first piece); backward piece by piece through the winner mask; the saved
# input and winners are freed after backward.
class Maxout(Module):
    def __init__(self, in_features, out_features, pieces=2):
        super().__init__()
        self.in_features, self.out_features, self.pieces = in_features, out_features, pieces
        bound = 1.0 / math.sqrt(in_features)
        rng = np.random.default_rng()
        self.weight = Parameter(rng.uniform(-bound, bound, (pieces, out_features, in_features)))
        self.bias = Parameter(rng.uniform(-bound, bound, (pieces, out_features)))

    def forward(self, x):
        x = as_float_array(x)
        best = x @ self.weight.data[0].T + self.bias.data[0]
        winner = np.zeros(best.shape, dtype=np.intp)
        for k in range(1, self.pieces):
            z = x @ self.weight.data[k].T + self.bias.data[k]
            better = z > best
            best = np.where(better, z, best)
            winner[better] = k
        self._saved = (x, winner)
        return best

    def backward(self, grad_y):
        x, winner = self._saved
        del self._saved
        g = as_float_array(grad_y)
        grad_x = np.zeros(x.shape)
        for k in range(self.pieces):
            gk = np.where(winner == k, g, 0.0)
            self.weight.grad[k] += gk.T @ x
            self.bias.grad[k] += gk.sum(axis=0)
            grad_x += gk @ self.weight.data[k]
        return grad_x


# ---- correct alternative (act_prelu_moveaxis_freed) ----
# MODULE: activations
# COMPONENTS: PReLU
# PReLU with the channel axis moved last (np.moveaxis) so that the slopes broadcast as a
# trailing vector; the slope gradient as a sum over a (-1, C) reshape; the saved input is
# freed after backward (a second backward raises).
class PReLU(Module):
    def __init__(self, num_parameters=1, init=0.25):
        super().__init__()
        self.num_parameters = num_parameters
        self.weight = Parameter(np.full(num_parameters, float(init)))

    def _last(self, a):
        return a if self.num_parameters == 1 else np.moveaxis(a, 1, -1)

    def _back(self, a):
        return a if self.num_parameters == 1 else np.moveaxis(a, -1, 1)

    def forward(self, x):
        x = as_float_array(x)
        xm = self._last(x)
        self._xm = xm
        a = self.weight.data if self.num_parameters > 1 else self.weight.data[0]
        return self._back(np.where(xm > 0, xm, a * xm))

    def backward(self, grad_y):
        xm = self._xm
        del self._xm
        gm = self._last(as_float_array(grad_y))
        neg = xm <= 0
        contrib = np.where(neg, gm * xm, 0.0)
        if self.num_parameters == 1:
            self.weight.grad += contrib.sum()
            a = self.weight.data[0]
        else:
            self.weight.grad += contrib.reshape(-1, self.num_parameters).sum(axis=0)
            a = self.weight.data
        return self._back(np.where(neg, a * gm, gm))


# ---- correct alternative (act_relu_packbits) ----
# MODULE: activations
# COMPONENTS: ReLU
# ReLU that saves its derivative mask as packed bits (np.packbits: 1 bit per entry) and
# unpacks it in backward with the saved count and shape.
class ReLU(Module):
    def forward(self, x):
        x = as_float_array(x)
        positive = x > 0
        self._bits = (np.packbits(positive, axis=None), x.shape)
        return np.where(positive, x, 0.0)

    def backward(self, grad_y):
        bits, shape = self._bits
        mask = np.unpackbits(bits, count=math.prod(shape)).reshape(shape).astype(bool)
        return np.where(mask, as_float_array(grad_y), 0.0)


# ---- correct alternative (act_sigmoid_masked_freed) ----
# MODULE: activations
# COMPONENTS: Sigmoid
# Sigmoid filled into a preallocated float64 array by boolean masks (1/(1+e^-x) where x >= 0,
# e^x/(1+e^x) elsewhere: each exp only of a non-positive number); the returned array is the
# saved one; backward frees it (`del`, as PyTorch frees its graph).
class Sigmoid(Module):
    def forward(self, x):
        x = as_float_array(x)
        y = np.empty(x.shape, dtype=np.float64)
        pos = x >= 0
        y[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
        e = np.exp(x[~pos])
        y[~pos] = e / (1.0 + e)
        self._out = y
        return y

    def backward(self, grad_y):
        y = self._out
        del self._out
        return as_float_array(grad_y) * (y - y * y)


# ---- correct alternative (act_softmax_inplace_freed) ----
# MODULE: activations
# COMPONENTS: Softmax
# Softmax computed in place in its own shifted copy (np.exp(out=), /=), returning that saved
# array; backward as the Jacobian-vector product y*(g - <g, y>) and then frees the saved output.
class Softmax(Module):
    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        x = as_float_array(x)
        z = x - x.max(axis=self.dim, keepdims=True)  # a new array: ours to overwrite
        np.exp(z, out=z)
        z /= z.sum(axis=self.dim, keepdims=True)
        self._probs = z
        return z

    def backward(self, grad_y):
        y = self._probs
        del self._probs
        g = as_float_array(grad_y)
        return y * (g - np.einsum("...,...->...", g, y).sum(axis=self.dim, keepdims=True))
