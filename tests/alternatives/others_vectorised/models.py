"""Duck-typed Sequential (no base class) with reduce; a vectorised Perceptron with numpy
float64 bias and in-place weight updates."""

from functools import reduce

import numpy as np


class Sequential:
    def __init__(self, *layers):
        self.layers = list(layers)
        self.training = True

    def forward(self, x):
        return reduce(lambda h, layer: layer.forward(h), self.layers, x)

    def backward(self, grad_y):
        return reduce(lambda g, layer: layer.backward(g), self.layers[::-1], grad_y)

    def parameters(self):
        return sum((list(layer.parameters()) for layer in self.layers), [])

    def _mode(self, training):
        self.training = training
        for layer in self.layers:
            layer.train() if training else layer.eval()
        return self

    def train(self):
        return self._mode(True)

    def eval(self):
        return self._mode(False)


class Perceptron:
    def __init__(self, n_features, lr=1.0, verbose=False):  # an extra keyword with a default
        self.weight = np.zeros((n_features,), dtype=np.float64)
        self.bias = np.float64(0.0)
        self.lr = lr
        self.verbose = verbose

    def predict(self, X):
        return np.where(np.asarray(X, dtype=np.float64) @ self.weight + self.bias > 0, 1.0, 0.0)

    def update(self, x, target):
        error = np.float64(target) - self.predict(np.asarray(x)[None, :])[0]
        self.weight += self.lr * error * np.asarray(x, dtype=np.float64)
        self.bias += self.lr * error
        return error

    def fit(self, X, y, max_epochs=100):
        for _ in range(max_epochs):
            errors = np.array([self.update(x, t) for x, t in zip(X, y, strict=False)])
            if not np.any(errors):
                return True
        return False
