"""Sequential over a tuple with a generator of parameters; a Perceptron whose fit stops as soon
as an epoch starts with every sample classified right (that epoch would make no mistake)."""

import numpy as np


class Sequential:
    def __init__(self, *layers):
        self.layers = list(layers)
        self.training = True

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
        self.training = True
        for layer in self.layers:
            layer.train()
        return self

    def eval(self):
        self.training = False
        for layer in self.layers:
            layer.eval()
        return self


class Perceptron:
    def __init__(self, n_features, lr=1.0):
        self.weight = np.zeros(n_features)
        self.bias = 0.0
        self.lr = lr

    def predict(self, X):
        return np.where(np.asarray(X, dtype=float) @ self.weight + self.bias > 0, 1.0, 0.0)

    def update(self, x, target):
        error = float(target) - (1.0 if float(np.dot(x, self.weight)) + self.bias > 0 else 0.0)
        self.weight = self.weight + self.lr * error * np.asarray(x, dtype=float)
        self.bias = self.bias + self.lr * error
        return error

    def fit(self, X, y, max_epochs=100):
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        for _ in range(max_epochs):
            if np.array_equal(self.predict(X), y):  # this epoch would make no mistake: done
                return True
            for x, target in zip(X, y, strict=True):
                self.update(x, target)
        return False
