# ruff: noqa: F811, F821, E402  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# fit_early_stopping with a training loop of its own (minibatches, not fit), the best state
# kept by deep copies of every array attribute, restored in place, and patience counted from
# the best epoch. Appended to the reference module; later definitions win.
import copy
import math

from .training import minibatches


def _arrays(model):
    """Every parameter and every running_* array of the model and its layers, by position."""
    found = [p for p in model.parameters()]
    stack = [model]
    while stack:
        module = stack.pop(0)
        for name in ("running_mean", "running_var"):
            if hasattr(module, name):
                found.append((module, name))
        stack.extend(getattr(module, "layers", []))
    return found


def _save(model):
    saved = []
    for item in _arrays(model):
        if isinstance(item, tuple):
            saved.append(copy.deepcopy(getattr(*item)))
        else:
            saved.append(copy.deepcopy(item.data))
    return saved


def _load(model, saved):
    for item, value in zip(_arrays(model), saved, strict=True):
        if isinstance(item, tuple):
            getattr(*item)[...] = value
        else:
            item.data[...] = value


def fit_early_stopping(
    model, loss_fn, optimizer, X, y, X_val, y_val, max_epochs=100, patience=5, batch_size=None,
    shuffle=False, rng=None, restore_best=True, min_delta=0.0,
):  # fmt: skip
    if len(X_val) != len(y_val) or patience < 1 or min_delta < 0:
        raise ValueError("bad arguments")
    rng = default_generator() if rng is None else rng
    history = History()
    best, saved = math.inf, None
    for epoch in range(1, max_epochs + 1):
        total = 0.0
        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):
            optimizer.zero_grad()
            loss = loss_fn.forward(model.forward(X_batch), y_batch)
            model.backward(loss_fn.backward())
            optimizer.step()
            total += float(loss) * len(X_batch)
        history.train_losses.append(total / len(X))
        model.eval()
        try:
            history.val_losses.append(float(loss_fn.forward(model.forward(X_val), y_val)))
        finally:
            model.train()
        if history.val_losses[-1] < best - min_delta:
            best, history.best_epoch = history.val_losses[-1], epoch
            saved = _save(model) if restore_best else None
        elif epoch - history.best_epoch >= patience:
            history.stopped_epoch = epoch
            break
    if saved is not None:
        _load(model, saved)
    return history
