# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different early stopping found by red-teaming the release checker (round 3).


# A while loop counting bad epochs, the best state kept in a dict, the history filled at the end.
def fit_early_stopping(model, loss_fn, optimizer, X, y, X_val, y_val, max_epochs=100, patience=5, batch_size=None,
                       shuffle=False, rng=None, restore_best=True, min_delta=0.0):
    rng = default_generator() if rng is None else rng
    train, val, best = [], [], {"loss": float("inf"), "epoch": 0, "state": None}
    bad, stopped = 0, None
    while len(val) < max_epochs:
        train += fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)
        val.append(evaluate_loss(model, loss_fn, X_val, y_val))
        if val[-1] < best["loss"] - min_delta:
            best.update(loss=val[-1], epoch=len(val), state=copy_state(model) if restore_best else None)
            bad = 0
            continue
        bad += 1
        if bad == patience:
            stopped = len(val)
            break
    if best["state"] is not None:
        load_state(model, best["state"])
    return History(train_losses=train, val_losses=val, best_epoch=best["epoch"], stopped_epoch=stopped)
