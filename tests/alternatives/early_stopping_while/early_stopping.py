"""Early stopping as a while loop over epochs, with a History of its own (a plain class)."""

import numpy as np
from training import fit


class History:
    def __init__(self):
        self.train_losses = []
        self.val_losses = []
        self.best_epoch = 0
        self.stopped_epoch = None

    @property
    def best_val_loss(self):
        return self.val_losses[self.best_epoch - 1] if self.best_epoch else float("inf")


def evaluate_loss(model, loss_fn, X, y):
    mode = model.training
    model.eval()
    value = float(loss_fn.forward(model.forward(np.asarray(X)), np.asarray(y)))
    if mode:
        model.train()
    return value


def _layers(model):
    return [model] + [m for layer in getattr(model, "layers", []) for m in _layers(layer)]


def copy_state(model):
    return (
        [np.copy(p.data) for p in model.parameters()],
        [{k: np.copy(v) for k, v in vars(m).items() if k.startswith("running_")} for m in _layers(model)],
    )


def load_state(model, state):
    params, buffers = state
    for p, value in zip(model.parameters(), params, strict=True):
        p.data = np.copy(value)
    for m, saved in zip(_layers(model), buffers, strict=True):
        for k, v in saved.items():
            setattr(m, k, np.copy(v))


def fit_early_stopping(
    model, loss_fn, optimizer, X, y, X_val, y_val, max_epochs=100, patience=5, batch_size=None,
    shuffle=False, rng=None, restore_best=True, min_delta=0.0,
):  # fmt: skip
    if rng is None:
        from base import default_generator

        rng = default_generator()
    history = History()
    best_loss, best_state, epochs_without_improvement, epoch = None, None, 0, 0
    while epoch < max_epochs and epochs_without_improvement < patience:
        epoch += 1
        history.train_losses.extend(fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng))
        loss = evaluate_loss(model, loss_fn, X_val, y_val)
        history.val_losses.append(loss)
        if best_loss is None or best_loss - loss > min_delta:
            best_loss, history.best_epoch, epochs_without_improvement = loss, epoch, 0
            if restore_best:
                best_state = copy_state(model)
        else:
            epochs_without_improvement += 1
    if epochs_without_improvement >= patience:
        history.stopped_epoch = epoch
    if best_state is not None:
        load_state(model, best_state)
    return history
