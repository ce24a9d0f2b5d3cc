"""Early stopping: stop training when the validation loss stops improving.

Training loss keeps falling as a network memorises its training set; the loss on held-out
validation data falls, flattens, then rises again as the network overfits. Early stopping
watches the validation loss after every epoch, remembers the best weights seen so far,
stops once ``patience`` epochs in a row have not improved on the best by more than
``min_delta``, and (by default) puts the best weights back. The number of epochs becomes a
hyper-parameter chosen by the data, and training longer than useful costs nothing but time.

Other regularisers plug into the same loop:

* L2 regularisation (weight decay) adds ``(lambda / 2) * ||w||^2`` to the loss, i.e.
  ``lambda * w`` to every gradient. It goes through the optimizers' ``weight_decay``
  argument, as in PyTorch (``SGD(params, lr=0.1, weight_decay=1e-4)``), not through the
  loss. Note that ``AdamW`` decays the weights directly instead (decoupled weight decay).
* Dropout and batch normalisation behave differently in training and evaluation, which is
  why the validation loss is computed in eval mode.

This module reuses ``training.fit``, one epoch at a time, instead of repeating the loop.
``copy_state`` and ``load_state`` (support, not exercises) copy a model's parameters and
BatchNorm buffers out and back in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .base import Loss, Module, Optimizer, default_generator
from .training import fit

__all__ = ["History", "fit_early_stopping", "evaluate_loss", "copy_state", "load_state"]

BUFFER_NAMES = ("running_mean", "running_var")  # BatchNorm's state that is not a parameter


@dataclass
class History:
    """What happened during ``fit_early_stopping``.

    Attributes:
        train_losses: mean training loss of each epoch run.
        val_losses: validation loss after each epoch run.
        best_epoch: the epoch (counted from 1) with the lowest validation loss, i.e.
            ``val_losses[best_epoch - 1]``; 0 if no epoch ran.
        stopped_epoch: the epoch after which patience ran out, or None if training ran for
            all ``max_epochs``.
    """

    train_losses: list[float] = field(default_factory=list)
    val_losses: list[float] = field(default_factory=list)
    best_epoch: int = 0
    stopped_epoch: int | None = None

    @property
    def best_val_loss(self) -> float:
        return self.val_losses[self.best_epoch - 1] if self.best_epoch else float("inf")


def evaluate_loss(model: Module, loss_fn: Loss, X: np.ndarray, y: np.ndarray) -> float:
    """The loss of ``model`` on ``(X, y)`` in eval mode; the previous mode is restored."""
    was_training = getattr(model, "training", True)
    model.eval()
    try:
        return float(loss_fn.forward(model.forward(np.asarray(X)), np.asarray(y)))
    finally:
        if was_training:
            model.train()


def _modules(model: object) -> list[object]:
    """The model and, recursively, every layer of its containers."""
    found = [model]
    for layer in getattr(model, "layers", []):
        found.extend(_modules(layer))
    return found


State = tuple[list[np.ndarray], list[dict[str, np.ndarray]]]


def copy_state(model: Module) -> State:
    """Copies (not views) of every parameter's data and every BatchNorm buffer of ``model``.

    Copies, because optimizers and BatchNorm may update their arrays in place: a saved
    reference would follow the training and hold the last weights, not the best.
    """
    params = [np.array(p.data, copy=True) for p in model.parameters()]
    buffers = [
        {name: np.array(getattr(m, name), copy=True) for name in BUFFER_NAMES if hasattr(m, name)}
        for m in _modules(model)
    ]
    return params, buffers


def load_state(model: Module, state: State) -> None:
    """Put a state saved by ``copy_state`` back into ``model`` (fresh copies, so the saved
    state can be loaded again)."""
    params, buffers = state
    for p, saved in zip(model.parameters(), params, strict=True):
        p.data = saved.copy()
    for m, saved_buffers in zip(_modules(model), buffers, strict=True):
        for name, saved in saved_buffers.items():
            setattr(m, name, saved.copy())


def fit_early_stopping(
    model: Module,
    loss_fn: Loss,
    optimizer: Optimizer,
    X: np.ndarray,
    y: np.ndarray,
    X_val: np.ndarray,
    y_val: np.ndarray,
    max_epochs: int = 100,
    patience: int = 5,
    batch_size: int | None = None,
    shuffle: bool = False,
    rng: np.random.Generator | None = None,
    restore_best: bool = True,
    min_delta: float = 0.0,
) -> History:
    """Train with ``training.fit`` one epoch at a time until the validation loss stalls.

    Each epoch is one call ``fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle,
    rng)``, then the validation loss ``evaluate_loss(model, loss_fn, X_val, y_val)``. An
    epoch *improves* when its validation loss is below ``best - min_delta`` (the best so
    far starts at infinity); training stops after ``patience`` consecutive epochs without
    improvement, or after ``max_epochs``. With ``restore_best``, ``copy_state`` saves the
    parameters (and BatchNorm running statistics) of every improving epoch and
    ``load_state`` puts the best ones back at the end.

    Args:
        model, loss_fn, optimizer, X, y, batch_size, shuffle: as in ``training.fit``.
        X_val, y_val: the validation set, evaluated in eval mode after every epoch.
        max_epochs: the most epochs to run.
        patience: epochs without improvement tolerated before stopping (at least 1).
        rng: one generator shared by every epoch's shuffle (default: ``base.default_generator()``).
        restore_best: put the best epoch's weights back before returning.
        min_delta: the smallest decrease of the validation loss that counts as improvement.

    Returns:
        A ``History``: both losses of every epoch run, the best epoch (from 1) and the
        epoch training stopped after (None if it ran all ``max_epochs``).
    """
    if len(X_val) != len(y_val):
        raise ValueError(
            f"fit_early_stopping: X_val and y_val must have the same length, got {len(X_val)} and {len(y_val)}"
        )
    if patience < 1:
        raise ValueError(f"fit_early_stopping: patience must be at least 1, got {patience}")
    if min_delta < 0:
        raise ValueError(f"fit_early_stopping: min_delta must be >= 0, got {min_delta}")
    if rng is None:
        rng = default_generator()
    history = History()
    ### BEGIN SOLUTION
    best_loss = float("inf")
    best_state = None
    waited = 0  # epochs since the last improvement
    for epoch in range(1, max_epochs + 1):
        (train_loss,) = fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)
        val_loss = evaluate_loss(model, loss_fn, X_val, y_val)
        history.train_losses.append(train_loss)
        history.val_losses.append(val_loss)
        if val_loss < best_loss - min_delta:
            best_loss, history.best_epoch, waited = val_loss, epoch, 0
            if restore_best:
                best_state = copy_state(model)
        else:
            waited += 1
            if waited >= patience:
                history.stopped_epoch = epoch
                break
    if restore_best and best_state is not None:
        load_state(model, best_state)
    ### END SOLUTION
    return history
