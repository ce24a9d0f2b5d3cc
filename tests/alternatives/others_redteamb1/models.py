# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders (round 2). The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (mod_perceptron_dataclass) ----
# MODULE: models
# COMPONENTS: Perceptron
# Perceptron as a @dataclass (generated __init__(n_features, lr=1.0); weight and bias are
# init=False fields made in __post_init__); fit counts mistakes with sum() over a generator.
import dataclasses as _dc


@_dc.dataclass
class Perceptron:
    n_features: int
    lr: float = 1.0
    weight: np.ndarray = _dc.field(init=False)
    bias: float = _dc.field(init=False, default=0.0)

    def __post_init__(self):
        self.weight = np.zeros(self.n_features)
        self.bias = 0.0

    def predict(self, X):
        return np.where(np.asarray(X, dtype=float) @ self.weight + self.bias > 0, 1.0, 0.0)

    def update(self, x, target):
        x = np.asarray(x, dtype=float)
        error = float(target) - float(self.predict(x[None, :])[0])
        if error:
            self.weight = self.weight + self.lr * error * x
            self.bias += self.lr * error
        return error

    def fit(self, X, y, max_epochs=100):
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float).ravel()
        for _ in range(max_epochs):
            if sum(self.update(x, t) != 0 for x, t in zip(X, y)) == 0:
                return True
        return False


# ---- correct alternative (mod_sequential_slots) ----
# MODULE: models
# COMPONENTS: Sequential
# Sequential with __slots__ and no base class; parameters through itertools.chain, backward
# through functools.reduce over the reversed layers, train/eval via a shared helper.
import functools as _functools
import itertools as _itertools


class Sequential:
    __slots__ = ("layers", "training")

    def __init__(self, *layers):
        self.layers = list(layers)
        self.training = True

    def forward(self, x):
        return _functools.reduce(lambda h, layer: layer.forward(h), self.layers, x)

    def backward(self, grad_y):
        return _functools.reduce(lambda g, layer: layer.backward(g), reversed(self.layers), grad_y)

    def parameters(self):
        return list(_itertools.chain.from_iterable(layer.parameters() for layer in self.layers))

    def _mode(self, training):
        self.training = training
        for layer in self.layers:
            layer.train() if training else layer.eval()
        return self

    def train(self):
        return self._mode(True)

    def eval(self):
        return self._mode(False)
