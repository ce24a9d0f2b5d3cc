"""Sequential over a reversed slice; Perceptron whose state lives elsewhere behind
properties, predicting through its own predict in update."""

import numpy as np
from base import Module


class Sequential(Module):
    def __init__(self, *layers, name="net"):
        super().__init__()
        self.layers = [*layers]
        self.name = name

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, grad_y):
        for layer in self.layers[::-1]:
            grad_y = layer.backward(grad_y)
        return grad_y

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def train(self):
        super().train()
        for layer in self.layers:
            layer.train()
        return self

    def eval(self):
        super().eval()
        for layer in self.layers:
            layer.eval()
        return self


class Perceptron:
    def __init__(self, n_features, lr=1.0):
        self._state = {"w": np.zeros(n_features), "b": 0.0}
        self.learning_rate = lr

    @property
    def weight(self):
        return self._state["w"]

    @weight.setter
    def weight(self, value):
        self._state["w"] = np.asarray(value, dtype=np.float64)

    @property
    def bias(self):
        return self._state["b"]

    @bias.setter
    def bias(self, value):
        self._state["b"] = float(value)

    def predict(self, X):
        scores = np.dot(X, self.weight) + self.bias
        return (scores > 0) * 1.0

    def update(self, x, target):
        error = float(target) - float(self.predict(np.atleast_2d(x))[0])
        self.weight = self.weight + (self.learning_rate * error) * x
        self.bias = self.bias + self.learning_rate * error
        return error

    def fit(self, X, y, max_epochs=100):
        for _epoch in range(1, max_epochs + 1):
            clean = True
            for x, target in zip(X, y, strict=False):
                clean = (self.update(x, target) == 0.0) and clean
            if clean:
                return True
        return False
