# ruff: noqa: F811, E402, B905, E731  (the alternatives redefine the reference's names, after its code)
# Correct-but-different implementations found by red-teaming the graders (round 2): the reference
# module first, then each alternative, whose classes and functions replace the reference's
# (later definitions win). Every component here must score full marks.
"""Models: composing layers into a network, and the perceptron that started it all.

A feed-forward network is a chain of functions ``f_L(... f_2(f_1(x)))``. Its forward pass
calls every layer in order; by the chain rule its backward pass hands the upstream
gradient to the layers in *reverse* order, each turning ``dL/d(output)`` into
``dL/d(input)`` and adding its parameter gradients on the way. ``Sequential`` is nothing
more than that loop, which is why every layer shares one interface.

The perceptron (Rosenblatt, 1958) is older than backpropagation: a single threshold unit
trained by a mistake-driven rule instead of a gradient. On linearly separable data the
rule stops after finitely many mistakes (Novikoff's convergence theorem); on XOR, which no
line separates, it never settles.
"""

from __future__ import annotations

import numpy as np

from .base import Module, Parameter, as_float_array, check_feature_size, check_ndim

__all__ = ["Sequential", "Perceptron"]


class Sequential(Module):
    """A chain of modules applied one after the other.

    Shapes:
        Whatever the first layer accepts, to whatever the last layer returns; each layer's
        output must be a valid input of the next.

    Forward:
        ``h_0 = x``, ``h_i = layer_i.forward(h_{i-1})``, output ``h_L``.

    Backward:
        ``g_L = grad_y``, ``g_{i-1} = layer_i.backward(g_i)`` for ``i = L .. 1``, returns
        ``g_0 = dL/dx``. Each layer remembers its own input from the forward pass, so the
        container stores nothing itself.

    Idea:
        Backpropagation is the chain rule applied layer by layer, in the reverse order of the
        forward pass. Layers are used through their methods only (duck typing), so any
        object with ``forward``/``backward``/``parameters``/``train``/``eval`` fits.

    Attributes:
        layers: the list of modules, in forward order.
    """

    def __init__(self, *layers: Module) -> None:
        super().__init__()
        self.layers = list(layers)

    def forward(self, x: np.ndarray) -> np.ndarray:
        ### BEGIN SOLUTION
        for layer in self.layers:
            x = layer.forward(x)
        ### END SOLUTION
        return x

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        ### BEGIN SOLUTION
        for layer in reversed(self.layers):
            grad_y = layer.backward(grad_y)
        ### END SOLUTION
        return grad_y

    def parameters(self) -> list[Parameter]:
        """Every layer's parameters, concatenated in layer order."""
        return [p for layer in self.layers for p in layer.parameters()]

    def train(self) -> Sequential:
        """Training mode for the container and every layer (Dropout drops, BatchNorm updates)."""
        self.training = True
        for layer in self.layers:
            layer.train()
        return self

    def eval(self) -> Sequential:
        """Evaluation mode for the container and every layer."""
        self.training = False
        for layer in self.layers:
            layer.eval()
        return self

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, index: int) -> Module:
        return self.layers[index]

    def __repr__(self) -> str:
        inner = "".join(f"\n  ({i}): {layer!r}" for i, layer in enumerate(self.layers))
        return f"Sequential({inner}\n)"


class Perceptron:
    """Rosenblatt's perceptron: a linear threshold unit and its mistake-driven learning rule.

    Shapes:
        ``X (N, n_features) -> predictions (N,)`` of 0.0 / 1.0; one sample ``x`` is
        ``(n_features,)``.

    Prediction:
        ``yhat = step(x . weight + bias)`` with ``step(z) = 1.0 if z > 0 else 0.0``
        (a score of exactly 0 predicts class 0).

    Learning rule (one sample):
        ``error = target - yhat`` (one of -1, 0, 1), then ``weight += lr * error * x`` and
        ``bias += lr * error``. A correct prediction changes nothing; a mistake moves the
        decision boundary towards classifying ``x`` correctly.

    Idea:
        No gradient is involved (the step has none worth following): the rule only reacts to
        mistakes. If some line separates the classes with a margin, the number of mistakes is
        bounded (Novikoff), so ``fit`` ends with an epoch without mistakes; for XOR it cannot.
        This is not a ``Module``: it has no ``forward``/``backward``.

    Attributes:
        weight: float64 array ``(n_features,)``, zeros at start.
        bias: a Python float, 0.0 at start.
        lr: the learning rate.
    """

    def __init__(self, n_features: int, lr: float = 1.0) -> None:
        if int(n_features) != n_features or n_features < 1:
            raise ValueError(f"Perceptron expects a positive int n_features, got {n_features!r}")
        self.n_features = int(n_features)
        self.lr = float(lr)
        self.weight = np.zeros(self.n_features, dtype=np.float64)
        self.bias = 0.0

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Class predictions, 0.0 or 1.0, for every row of ``X (N, n_features)``."""
        X = as_float_array(X, "Perceptron.predict input")
        check_ndim(X, 2, "Perceptron.predict", f"(N, {self.n_features})")
        check_feature_size(X, 1, self.n_features, "Perceptron.predict", "features")
        ### BEGIN SOLUTION
        scores = X @ self.weight + self.bias
        predictions = (scores > 0).astype(np.float64)
        ### END SOLUTION
        return predictions

    def update(self, x: np.ndarray, target: float) -> float:
        """Apply the perceptron rule for one sample ``x (n_features,)``; return the error."""
        x = as_float_array(x, "Perceptron.update sample")
        check_ndim(x, 1, "Perceptron.update", f"({self.n_features},)")
        check_feature_size(x, 0, self.n_features, "Perceptron.update", "features")
        ### BEGIN SOLUTION
        prediction = 1.0 if float(x @ self.weight + self.bias) > 0 else 0.0
        error = float(target) - prediction
        self.weight = self.weight + self.lr * error * x
        self.bias = self.bias + self.lr * error
        ### END SOLUTION
        return error

    def fit(self, X: np.ndarray, y: np.ndarray, max_epochs: int = 100) -> bool:
        """Sweep the samples in order with ``update`` until an epoch makes no mistake.

        Returns:
            True after the first epoch without a mistake, False if none came within
            ``max_epochs`` epochs.
        """
        X = as_float_array(X, "Perceptron.fit input")
        check_ndim(X, 2, "Perceptron.fit", f"(N, {self.n_features})")
        check_feature_size(X, 1, self.n_features, "Perceptron.fit", "features")
        y = as_float_array(y, "Perceptron.fit targets").reshape(-1)
        if len(y) != len(X):
            raise ValueError(f"Perceptron.fit got {len(X)} samples but {len(y)} targets")
        ### BEGIN SOLUTION
        for _ in range(max_epochs):
            mistakes = 0
            for x, target in zip(X, y, strict=True):
                if self.update(x, target) != 0.0:
                    mistakes += 1
            if mistakes == 0:
                return True
        ### END SOLUTION
        return False
