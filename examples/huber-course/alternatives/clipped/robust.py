"""A correct HuberLoss written another way: no base class, no branches, one clipped error.

With c = clip(d, -delta, delta), the Huber loss of d is c (d - c / 2): 0.5 d^2 inside, and
delta |d| - 0.5 delta^2 outside. Its gradient is c itself.
"""

import numpy as np


class HuberLoss:
    def __init__(self, delta=1.0):
        self.delta = delta

    def forward(self, input, target):
        d = np.asarray(input, dtype=np.float64) - np.asarray(target, dtype=np.float64)
        self.clipped = np.clip(d, -self.delta, self.delta)
        self.count = d.size
        return float(np.sum(self.clipped * (d - self.clipped / 2)) / self.count)

    def backward(self):
        return self.clipped / self.count

    def __call__(self, input, target):
        return self.forward(input, target)
