"""Correct losses written with plain Python loops over the entries (as courses teach first)."""

import math

import numpy as np
from base import Loss


def _entries(input, target):
    x = np.asarray(input, dtype=np.float64)
    t = np.asarray(target, dtype=np.float64)
    return x, t, list(zip(x.reshape(-1).tolist(), t.reshape(-1).tolist(), strict=False))


def _clamped_log(value):
    if value <= 0.0:
        return -100.0
    return max(math.log(value), -100.0)


def _sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


class MSELoss(Loss):
    def forward(self, input, target):
        x, _, self.pairs = _entries(input, target)
        self.shape = x.shape
        total = 0.0
        for a, b in self.pairs:
            total += (a - b) ** 2
        return total / len(self.pairs)

    def backward(self):
        grad = np.zeros(len(self.pairs))
        for i, (a, b) in enumerate(self.pairs):
            grad[i] = 2.0 * (a - b) / len(self.pairs)
        return grad.reshape(self.shape)


class BCELoss(Loss):
    def forward(self, input, target):
        x, _, self.pairs = _entries(input, target)
        self.shape = x.shape
        total = 0.0
        for p, t in self.pairs:
            log_1mp = math.log1p(-p) if p < 1.0 else -math.inf
            total -= t * _clamped_log(p) + (1.0 - t) * max(log_1mp, -100.0)
        return total / len(self.pairs)

    def backward(self):
        grad = np.zeros(len(self.pairs))
        for i, (p, t) in enumerate(self.pairs):
            grad[i] = (p - t) / max(p * (1.0 - p), 1e-12) / len(self.pairs)
        return grad.reshape(self.shape)


class BCEWithLogitsLoss(Loss):
    def forward(self, input, target):
        x, _, self.pairs = _entries(input, target)
        self.shape = x.shape
        total = 0.0
        for z, t in self.pairs:
            total += max(z, 0.0) - z * t + math.log1p(math.exp(-abs(z)))
        return total / len(self.pairs)

    def backward(self):
        grad = np.zeros(len(self.pairs))
        for i, (z, t) in enumerate(self.pairs):
            grad[i] = (_sigmoid(z) - t) / len(self.pairs)
        return grad.reshape(self.shape)


class CrossEntropyLoss(Loss):
    def forward(self, input, target):
        self.rows = np.asarray(input, dtype=np.float64).tolist()
        self.labels = [int(y) for y in np.asarray(target).tolist()]
        total = 0.0
        self.lse = []
        for row, y in zip(self.rows, self.labels, strict=False):
            m = max(row)
            lse = m + math.log(sum(math.exp(v - m) for v in row))
            self.lse.append(lse)
            total += lse - row[y]
        return total / len(self.rows)

    def backward(self):
        N, C = len(self.rows), len(self.rows[0])
        grad = np.zeros((N, C))
        for n in range(N):
            for j in range(C):
                grad[n, j] = math.exp(self.rows[n][j] - self.lse[n]) / N
            grad[n, self.labels[n]] -= 1.0 / N
        return grad


class HingeLoss(Loss):
    def __init__(self, margin=1.0):
        self.margin = margin

    def forward(self, input, target):
        self.rows = np.asarray(input, dtype=np.float64).tolist()
        self.labels = [int(y) for y in np.asarray(target).tolist()]
        total = 0.0
        for row, y in zip(self.rows, self.labels, strict=False):
            for j, v in enumerate(row):
                if j != y:
                    total += max(0.0, v - row[y] + self.margin)
        return total / len(self.rows)

    def backward(self):
        N, C = len(self.rows), len(self.rows[0])
        grad = np.zeros((N, C))
        for n, (row, y) in enumerate(zip(self.rows, self.labels, strict=False)):
            for j in range(C):
                if j != y and row[j] - row[y] + self.margin > 0:
                    grad[n, j] += 1.0 / N
                    grad[n, y] -= 1.0 / N
        return grad
