"""Sequential and Perceptron written with explicit Python loops (as many courses teach first)."""

import numpy as np
from base import Module


class Sequential(Module):
    def __init__(self, *layers):
        super().__init__()
        self.layers = []
        for layer in layers:
            self.layers.append(layer)

    def forward(self, x):
        out = x
        for i in range(len(self.layers)):
            out = self.layers[i].forward(out)
        return out

    def backward(self, grad_y):
        grad = grad_y
        for i in range(len(self.layers) - 1, -1, -1):
            grad = self.layers[i].backward(grad)
        return grad

    def parameters(self):
        params = []
        for layer in self.layers:
            params.extend(layer.parameters())
        return params

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
        self.lr = lr
        self.weight = np.zeros(n_features)
        self.bias = 0.0

    def _score(self, x):
        total = self.bias
        for j in range(len(x)):
            total = total + self.weight[j] * x[j]
        return total

    def predict(self, X):
        out = np.zeros(len(X))
        for i in range(len(X)):
            if self._score(X[i]) > 0:
                out[i] = 1.0
        return out

    def update(self, x, target):
        prediction = 1.0 if self._score(x) > 0 else 0.0
        error = target - prediction
        if error != 0:
            for j in range(len(x)):
                self.weight[j] += self.lr * error * x[j]  # in place, entry by entry
            self.bias += self.lr * error
        return float(error)

    def fit(self, X, y, max_epochs=100):
        epoch = 0
        while epoch < max_epochs:
            mistakes = 0
            for i in range(len(X)):
                if self.update(X[i], y[i]) != 0:
                    mistakes += 1
            if mistakes == 0:
                return True
            epoch += 1
        return False
