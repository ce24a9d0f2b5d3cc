"""Training: the loop every network is trained with.

Gradient descent repeats four steps: forget the old gradients, run the network forward and
measure the loss, backpropagate, and move every parameter a little against its gradient.
What varies is how many samples each step sees:

* ``batch_size=None``: all of them (batch gradient descent): the exact gradient of the
  training loss, one step per epoch;
* ``batch_size=1``: one sample (stochastic gradient descent): a noisy but cheap estimate,
  N steps per epoch;
* ``batch_size=k``: mini-batches of ``k``, the usual compromise (vectorised like batch GD,
  many steps per epoch like SGD). The last batch is smaller when ``k`` does not divide N.

Shuffling draws a new order every epoch so that consecutive batches are not always the
same samples in the same order. Everything here talks to the model, loss and optimizer
through their methods only, so it trains a student's modules as well as the reference's.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .base import Loss, Module, Optimizer, default_generator

__all__ = ["minibatches", "fit", "accuracy"]


def _check_pair(X: np.ndarray, y: np.ndarray, where: str) -> None:
    if len(X) != len(y):
        raise ValueError(f"{where}: X and y must have the same length, got {len(X)} and {len(y)}")


def _check_batch_size(batch_size: int | None, where: str) -> None:
    if batch_size is None:
        return
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)):
        raise TypeError(f"{where}: batch_size must be a positive int or None, got {batch_size!r}")
    if batch_size < 1:
        raise ValueError(f"{where}: batch_size must be a positive int or None, got {batch_size}")


def minibatches(
    X: np.ndarray,
    y: np.ndarray,
    batch_size: int | None = None,
    shuffle: bool = False,
    rng: np.random.Generator | None = None,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The batches of one epoch: ``(X_batch, y_batch)`` pairs covering every sample once.

    Args:
        X: inputs, samples along axis 0.
        y: targets, samples along axis 0 (same length as ``X``).
        batch_size: ``None`` for one batch of everything, ``1`` for SGD, ``k`` for
            mini-batches of ``k`` (the last one holds the remainder).
        shuffle: visit the samples in the order of one random permutation (X and y stay
            paired); otherwise in their stored order.
        rng: the ``numpy.random.Generator`` the permutation comes from (default:
            ``base.default_generator()``, seeded by ``manual_seed``).

    Returns:
        An iterator over ``(X_batch, y_batch)`` with ``len(X_batch) == len(y_batch)``. The
        arguments are checked and the permutation drawn when the function is called, not
        lazily at the first batch.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    _check_pair(X, y, "minibatches")
    _check_batch_size(batch_size, "minibatches")
    if shuffle and rng is None:
        rng = default_generator()
    batches: list[tuple[np.ndarray, np.ndarray]] = []
    ### BEGIN SOLUTION
    if shuffle:
        order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs
        X, y = X[order], y[order]
    size = len(X) if batch_size is None else batch_size
    for start in range(0, len(X), max(size, 1)):
        batches.append((X[start : start + size], y[start : start + size]))
    ### END SOLUTION
    return iter(batches)


def fit(
    model: Module,
    loss_fn: Loss,
    optimizer: Optimizer,
    X: np.ndarray,
    y: np.ndarray,
    epochs: int = 10,
    batch_size: int | None = None,
    shuffle: bool = False,
    rng: np.random.Generator | None = None,
) -> list[float]:
    """Train ``model`` for ``epochs`` passes over ``(X, y)``.

    For every batch from ``minibatches``: ``optimizer.zero_grad()``, ``model.forward``,
    ``loss_fn.forward``, ``model.backward(loss_fn.backward())``, ``optimizer.step()``.

    Args:
        model: anything with ``forward`` and ``backward``.
        loss_fn: anything with ``forward(input, target)`` and ``backward()``.
        optimizer: anything with ``zero_grad()`` and ``step()``, built on the model's parameters.
        X, y: the training set.
        epochs: number of passes over the data.
        batch_size, shuffle: as in ``minibatches``.
        rng: the generator every epoch's permutation comes from; with ``None`` the default
            generator (``base.default_generator()``) serves the whole run, so epochs still
            get different orders and ``manual_seed`` makes the run reproducible.

    Returns:
        The mean training loss of each epoch: batch losses weighted by batch size, so a
        small last batch counts for its few samples only.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    _check_pair(X, y, "fit")
    _check_batch_size(batch_size, "fit")
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
        raise ValueError(f"fit: epochs must be a non-negative int, got {epochs!r}")
    if len(X) == 0:
        raise ValueError("fit: the training set is empty")
    if rng is None:
        rng = default_generator()
    history: list[float] = []
    ### BEGIN SOLUTION
    for _ in range(epochs):
        total = 0.0
        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):
            optimizer.zero_grad()
            output = model.forward(X_batch)
            loss = loss_fn.forward(output, y_batch)
            model.backward(loss_fn.backward())
            optimizer.step()
            total += float(loss) * len(X_batch)
        history.append(total / len(X))
    ### END SOLUTION
    return history


def accuracy(model: Module, X: np.ndarray, y: np.ndarray, batch_size: int = 256, threshold: float = 0.0) -> float:
    """The fraction of samples whose predicted class is ``y``, computed in eval mode.

    Outputs ``(N, C)`` with ``C > 1`` predict ``argmax`` over classes; a single score per
    sample (``(N,)`` or ``(N, 1)``) predicts class 1 where it is ``> threshold`` (0 suits
    logits; use 0.5 for probabilities). The model's training/eval mode is restored after.
    """
    X = np.asarray(X)
    y = np.asarray(y).reshape(-1)
    _check_pair(X, y, "accuracy")
    _check_batch_size(batch_size, "accuracy")
    was_training = getattr(model, "training", True)
    model.eval()
    try:
        predicted = []
        for X_batch, _ in minibatches(X, y, batch_size):
            scores = np.asarray(model.forward(X_batch))
            if scores.ndim == 2 and scores.shape[1] > 1:
                predicted.append(np.argmax(scores, axis=1))
            else:
                predicted.append((scores.reshape(len(X_batch)) > threshold).astype(np.int64))
    finally:
        if was_training:
            model.train()
    return float(np.mean(np.concatenate(predicted) == y)) if len(y) else 0.0
