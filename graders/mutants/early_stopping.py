"""Mutants of the reference early stopping (early_stopping.py): realistic student bugs (see __init__).

Grouped by the class of mistake: what is judged (the training loss), patience (one epoch too
many, never reset), what counts as an improvement (an equal loss, min_delta ignored), what is
restored (references instead of copies, the parameters without the BatchNorm buffers,
restore_best ignored), the bookkeeping (best_epoch counted from 0), the modes (validation in
train mode, the model left in eval mode) and the generator (a new one per epoch).
"""

from . import Mutant
from .activations import span

_IMPROVES = "        if val_loss < best_loss - min_delta:\n"
_BEST = "            best_loss, history.best_epoch, waited = val_loss, epoch, 0\n"
_STOP = "            if waited >= patience:\n"
_VALIDATE = "        val_loss = evaluate_loss(model, loss_fn, X_val, y_val)\n"
_SAVE_AND_RESTORE = """            if restore_best:
                best_state = copy_state(model)
        else:
            waited += 1
            if waited >= patience:
                history.stopped_epoch = epoch
                break
    if restore_best and best_state is not None:
        load_state(model, best_state)
"""
_LOAD = "    if restore_best and best_state is not None:\n        load_state(model, best_state)\n"
_RESTORE_LOOP = """    if restore_best and best_state is not None:
        for p, data in zip(model.parameters(), best_state):
            p.data = data
"""

_EPOCH_TO_SAVE = """        (train_loss,) = fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)
        val_loss = evaluate_loss(model, loss_fn, X_val, y_val)
        history.train_losses.append(train_loss)
        history.val_losses.append(val_loss)
        if val_loss < best_loss - min_delta:
            best_loss, history.best_epoch, waited = val_loss, epoch, 0
            if restore_best:
                best_state = copy_state(model)
"""

MUTANTS: list[Mutant] = [
    Mutant(
        "early-stopping-judges-training-loss",
        "early_stopping.fit_early_stopping",
        "decides on the training loss instead of the validation loss",
        _IMPROVES + _BEST,
        "        if train_loss < best_loss - min_delta:\n"
        "            best_loss, history.best_epoch, waited = train_loss, epoch, 0\n",
        ("uses-training-loss",),
    ),
    Mutant(
        "early-stopping-patience-off-by-one",
        "early_stopping.fit_early_stopping",
        "stops when waited > patience: one epoch too late",
        _STOP,
        "            if waited > patience:\n",
        ("patience-off-by-one",),
    ),
    Mutant(
        "early-stopping-patience-not-reset",
        "early_stopping.fit_early_stopping",
        "never resets the count of epochs without improvement",
        _BEST,
        "            best_loss, history.best_epoch = val_loss, epoch\n",
        ("patience-not-reset",),
    ),
    Mutant(
        "early-stopping-equal-improves",
        "early_stopping.fit_early_stopping",
        "counts a loss equal to the best as an improvement (<=)",
        _IMPROVES,
        "        if val_loss <= best_loss - min_delta:\n",
        ("equal-counts-as-improvement",),
    ),
    Mutant(
        "early-stopping-min-delta-ignored",
        "early_stopping.fit_early_stopping",
        "ignores min_delta",
        _IMPROVES,
        "        if val_loss < best_loss:\n",
        ("min-delta-ignored",),
    ),
    Mutant(
        "early-stopping-min-delta-wrong-way",
        "early_stopping.fit_early_stopping",
        "adds min_delta to the best instead of subtracting it",
        _IMPROVES,
        "        if val_loss < best_loss + min_delta:\n",
        ("min-delta-sign", "min-delta-ignored"),
    ),
    Mutant(
        "early-stopping-saves-references",
        "early_stopping.fit_early_stopping",
        "keeps references to the parameter arrays (best = [p.data ...]), which the optimizer then updates in place",
        _SAVE_AND_RESTORE,
        _SAVE_AND_RESTORE.replace(
            "best_state = copy_state(model)", "best_state = [p.data for p in model.parameters()]"
        ).replace(_LOAD, _RESTORE_LOOP),
        ("restores-last",),
    ),
    Mutant(
        "early-stopping-buffers-not-restored",
        "early_stopping.fit_early_stopping",
        "saves and restores copies of the parameters but not the BatchNorm buffers",
        _SAVE_AND_RESTORE,
        _SAVE_AND_RESTORE.replace(
            "best_state = copy_state(model)", "best_state = [p.data.copy() for p in model.parameters()]"
        ).replace(_LOAD, _RESTORE_LOOP),
        ("buffers-not-restored",),
    ),
    Mutant(
        "early-stopping-restore-best-ignored",
        "early_stopping.fit_early_stopping",
        "restores the best weights even when restore_best=False",
        _SAVE_AND_RESTORE,
        _SAVE_AND_RESTORE.replace(
            "            if restore_best:\n                best_state = copy_state(model)\n",
            "            best_state = copy_state(model)\n",
        ).replace("    if restore_best and best_state is not None:\n", "    if best_state is not None:\n"),
        ("restore-best-ignored",),
    ),
    Mutant(
        "early-stopping-best-epoch-is-an-index",
        "early_stopping.fit_early_stopping",
        "stores the best loss's index in val_losses (from 0) as best_epoch",
        _BEST,
        "            best_loss, history.best_epoch, waited = val_loss, len(history.val_losses) - 1, 0\n",
        ("best-epoch-off-by-one",),
    ),
    # best_epoch stored from 0 and the improvement test reading the best loss back through it (set AH)
    Mutant(
        "early-stopping-best-epoch-index-read-back",
        "early_stopping.fit_early_stopping",
        "keeps no best loss of its own: the improvement test compares with history.best_val_loss and an improvement "
        "stores the loss's index, len(history.val_losses) - 1 (from 0), as best_epoch, so best_val_loss reads the "
        "entry before the best one (infinity while best_epoch is 0)",
        _IMPROVES + _BEST,
        "        if val_loss < history.best_val_loss - min_delta:\n"
        "            history.best_epoch, waited = len(history.val_losses) - 1, 0\n",
        ("best-epoch-off-by-one",),
    ),
    Mutant(
        "early-stopping-best-loss-read-one-entry-late",
        "early_stopping.fit_early_stopping",
        "reads the best loss back from the record as history.val_losses[history.best_epoch] (best_epoch counted from "
        "1), the loss of the epoch after the best",
        _IMPROVES,
        '        best_seen = history.val_losses[history.best_epoch] if history.best_epoch else float("inf")\n'
        "        if val_loss < best_seen - min_delta:\n",
        ("best-epoch-off-by-one",),
    ),
    Mutant(
        "early-stopping-validates-in-train-mode",
        "early_stopping.fit_early_stopping",
        "computes the validation loss with the model still in train mode",
        _VALIDATE,
        "        val_loss = float(loss_fn.forward(model.forward(X_val), y_val))\n",
        ("validation-in-train-mode",),
    ),
    Mutant(
        "early-stopping-left-in-eval-mode",
        "early_stopping.fit_early_stopping",
        "switches to eval mode for the validation loss and never back to train mode",
        _VALIDATE,
        "        model.eval()\n        val_loss = float(loss_fn.forward(model.forward(X_val), y_val))\n",
        ("left-in-eval-mode",),
    ),
    Mutant(
        "early-stopping-rng-not-passed",
        "early_stopping.fit_early_stopping",
        "does not pass rng on to fit (every epoch shuffles with the default generator)",
        "        (train_loss,) = fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)\n",
        "        (train_loss,) = fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle)\n",
        ("rng-ignored",),
    ),
]

# Red team, round 3 (the release's self-checker): each also fails the checker on its own component.
MUTANTS += [
    Mutant(
        "early-stopping-saves-every-epoch",
        "early_stopping.fit_early_stopping",
        "saves the state after every epoch, not only after an improving one: restores the last",
        "        history.val_losses.append(val_loss)\n",
        "        history.val_losses.append(val_loss)\n"
        "        if restore_best:\n"
        "            best_state = copy_state(model)\n",
        ("restores-last",),
    ),
    Mutant(
        "early-stopping-stopped-epoch-minus-patience",
        "early_stopping.fit_early_stopping",
        "reports stopped_epoch = epoch - patience (the epoch of the best), not the epoch it stopped after",
        "                history.stopped_epoch = epoch\n",
        "                history.stopped_epoch = epoch - patience\n",
        ("stopped-epoch", "patience"),
    ),
    Mutant(
        "early-stopping-first-epoch-not-saved",
        "early_stopping.fit_early_stopping",
        "the first epoch only sets best_loss (no copy_state): when it stays the best, the last weights remain",
        "        if val_loss < best_loss - min_delta:\n",
        "        if epoch == 1:\n"
        "            best_loss, history.best_epoch = val_loss, 1\n"
        "        elif val_loss < best_loss - min_delta:\n",
        ("restores-last",),
    ),
]

# Issue 11: classic mistakes the catalogue lacked, each reproduced by a simulation of the loop.
MUTANTS += [
    Mutant(
        "early-stopping-compares-with-last",
        "early_stopping.fit_early_stopping",
        "compares each validation loss with the previous epoch's, not with the best so far",
        _IMPROVES + _BEST,
        "        improved = val_loss < best_loss - min_delta\n"
        "        best_loss = val_loss\n"
        "        if improved:\n"
        "            history.best_epoch, waited = epoch, 0\n",
        ("compares-with-last",),
    ),
    Mutant(
        "early-stopping-never-loads",
        "early_stopping.fit_early_stopping",
        "saves the best state but never loads it back: the last weights remain",
        _LOAD,
        "",
        ("restores-last",),
    ),
]

# Issue 11, round 2 (D7): the best loss never moving, a snapshot from before the epoch, the epoch
# budget off by one; each named by its simulation in checks/early_stopping.py.
MUTANTS += [
    Mutant(
        "early-stopping-best-assigned-to-a-typo",
        "early_stopping.fit_early_stopping",
        "an improvement assigns best_val (a typo), so best_loss stays inf and every epoch improves",
        _BEST,
        "            best_val, history.best_epoch, waited = val_loss, epoch, 0\n",
        ("best-loss-not-updated",),
    ),
    Mutant(
        "early-stopping-snapshot-at-epoch-start",
        "early_stopping.fit_early_stopping",
        "copies the state at the top of each epoch and saves that copy on improvement: the weights it began with",
        _EPOCH_TO_SAVE,
        _EPOCH_TO_SAVE.replace(
            "        (train_loss,)", "        snapshot = copy_state(model)\n        (train_loss,)"
        ).replace("best_state = copy_state(model)", "best_state = snapshot"),
        ("restores-wrong-epoch",),
    ),
    Mutant(
        "early-stopping-while-one-epoch-short",
        "early_stopping.fit_early_stopping",
        "counts epochs in a while loop that stops at max_epochs - 1",
        "    for epoch in range(1, max_epochs + 1):\n",
        "    epoch = 0\n    while epoch < max_epochs - 1:\n        epoch += 1\n",
        ("max-epochs-off-by-one",),
    ),
]

# Issue 11, set B's misses generalised (G6): fit's arity (one loss per epoch trained, in a list), the
# epochs reported off by one, and min_delta read as a fraction of the best loss.
_FIT_EPOCH = "        (train_loss,) = fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)\n"
MUTANTS += [
    Mutant(
        "early-stopping-fit-runs-max-epochs",
        "early_stopping.fit_early_stopping",
        "each pass calls fit with max_epochs as its epochs: fit returns max_epochs losses, which one name cannot hold",
        _FIT_EPOCH,
        _FIT_EPOCH.replace("X, y, 1, batch_size", "X, y, max_epochs, batch_size"),
        ("fit-arguments",),
    ),
    Mutant(
        "early-stopping-keeps-fit-history",
        "early_stopping.fit_early_stopping",
        "keeps fit's returned list (keyword arguments) as the epoch's training loss: train_losses holds lists",
        _FIT_EPOCH,
        "        train_loss = fit(\n"
        "            model, loss_fn, optimizer, X, y, epochs=1, batch_size=batch_size, shuffle=shuffle, rng=rng\n"
        "        )\n",
        ("fit-result-not-unpacked",),
    ),
    Mutant(
        "early-stopping-stopped-epoch-previous",
        "early_stopping.fit_early_stopping",
        "stopped_epoch is recorded as epoch - 1, as if the epoch that ran out of patience did not count",
        "                history.stopped_epoch = epoch\n",
        "                history.stopped_epoch = epoch - 1\n",
        ("stopped-epoch",),
    ),
    Mutant(
        "early-stopping-min-delta-as-ratio",
        "early_stopping.fit_early_stopping",
        "an improvement needs val_loss / best below 1 - min_delta: min_delta read as a fraction of the best loss",
        _IMPROVES,
        "        if val_loss / best_loss < 1.0 - min_delta:\n",
        ("min-delta-relative",),
    ),
    # Issue 11 (G3): the loop that never leaves, with continue where break belongs.
    Mutant(
        "early-stopping-continue-for-break",
        "early_stopping.fit_early_stopping",
        "patience running out records stopped_epoch and then continues: the loop runs to max_epochs",
        "                history.stopped_epoch = epoch\n                break\n",
        "                history.stopped_epoch = epoch\n                continue\n",
        ("break-missing",),
    ),
]

# Issue 11, set D's misses generalised (G6): a best loss no epoch can beat, the best state loaded back
# inside the loop.
MUTANTS += [
    Mutant(
        "early-stopping-best-starts-at-minus-inf",
        "early_stopping.fit_early_stopping",
        "best_loss starts at -inf (the sign of float('inf') flipped): no loss is below it, so no epoch improves",
        '    best_loss = float("inf")\n',
        '    best_loss = float("-inf")\n',
        ("best-loss-initial-value",),
        # No run tells it from a best updated before the comparison: the feedback names both, untagged.
        ("started at -inf",),
    ),
    Mutant(
        "early-stopping-restores-after-each-bad-epoch",
        "early_stopping.fit_early_stopping",
        "every epoch without improvement loads the best state back: training restarts from the best weights",
        "        else:\n            waited += 1\n",
        "        else:\n            waited += 1\n"
        "            if best_state is not None:\n                load_state(model, best_state)\n",
        ("restores-every-epoch",),
    ),
    Mutant(
        "early-stopping-best-lowered-before-the-test",
        "early_stopping.fit_early_stopping",
        "a lower validation loss is stored as the best first, then tested against it: no epoch can improve",
        "        if val_loss < best_loss - min_delta:\n",
        "        if val_loss < best_loss:\n"
        "            best_loss = val_loss\n"
        "        if val_loss < best_loss - min_delta:\n",
        ("best-loss-updated-before-compare",),
        # No run tells it from a best that starts at -inf: the feedback names both, untagged.
        ("before the comparison",),
    ),
    Mutant(
        "early-stopping-wait-reset-after-validation",
        "early_stopping.fit_early_stopping",
        "the count of epochs without improvement is set to 0 after each validation loss: it never passes 1",
        "        history.val_losses.append(val_loss)\n",
        "        history.val_losses.append(val_loss)\n        waited = 0\n",
        ("patience-never-reached",),
    ),
    Mutant(
        "early-stopping-validates-training-rows",
        "early_stopping.fit_early_stopping",
        "the validation loss is taken on the first len(y_val) training rows with the validation targets",
        _VALIDATE,
        "        val_loss = evaluate_loss(model, loss_fn, X[: len(y_val)], y_val)\n",
        ("validation-inputs-wrong",),
    ),
]

# Round 3 (set G's classes, each a different edit from the held-apart bugs): the best state loaded back
# only in the branch where patience runs out, and the training pair rebound to the validation pair.
MUTANTS += [
    Mutant(
        "early-stopping-restores-in-the-stop-branch",
        "early_stopping.fit_early_stopping",
        "the best state is loaded back just before the break that patience triggers, and nowhere else: a run "
        "that max_epochs ends keeps its last weights",
        "                history.stopped_epoch = epoch\n                break\n" + _LOAD,
        "                history.stopped_epoch = epoch\n"
        "                if restore_best:\n"
        "                    load_state(model, best_state)\n"
        "                break\n",
        ("restores-last",),
    ),
    Mutant(
        "early-stopping-training-pair-rebound-to-validation",
        "early_stopping.fit_early_stopping",
        "X, y = X_val, y_val before the loop (meant as a check that the pairs match): every epoch trains on the "
        "validation set, and the training set is never used",
        '    best_loss = float("inf")\n',
        '    X, y = X_val, y_val\n    best_loss = float("inf")\n',
        ("trains-on-validation",),
    ),
]

_FIRST_EPOCH = (  # from the best loss's initial value to the improvement test
    "    best_state = None\n"
    "    waited = 0  # epochs since the last improvement\n"
    "    for epoch in range(1, max_epochs + 1):\n"
    "        (train_loss,) = fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)\n"
    + _VALIDATE
    + "        history.train_losses.append(train_loss)\n"
    "        history.val_losses.append(val_loss)\n"
)

# Round 4 (set H's classes, each a different edit from the held-apart bugs): the validation loss one
# epoch behind the weights, a test written for a score to maximise, the two history lists exchanged, and
# PyTorch's loss.item() on a float.
MUTANTS += [
    Mutant(
        "early-stopping-validates-at-the-end-for-the-next-epoch",
        "early_stopping.fit_early_stopping",
        "the validation loss is computed once before the loop and then at the end of each epoch, for the next "
        "one: every epoch is judged on the weights of the epoch before it",
        "    for epoch in range(1, max_epochs + 1):\n"
        "        (train_loss,) = fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)\n"
        + _VALIDATE
        + "        history.train_losses.append(train_loss)\n"
        "        history.val_losses.append(val_loss)\n" + _IMPROVES + _BEST + _SAVE_AND_RESTORE,
        "    val_loss = evaluate_loss(model, loss_fn, X_val, y_val)\n"
        "    for epoch in range(1, max_epochs + 1):\n"
        "        (train_loss,) = fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)\n"
        "        history.train_losses.append(train_loss)\n"
        "        history.val_losses.append(val_loss)\n"
        + _IMPROVES
        + _BEST
        + _SAVE_AND_RESTORE.replace("                break\n", "                break\n" + _VALIDATE),
        ("call-order",),
    ),
    Mutant(
        "early-stopping-improvement-as-a-gain",
        "early_stopping.fit_early_stopping",
        "an improvement is tested as a gain, val_loss - best_loss > min_delta from best_loss = -inf, the test for "
        "an accuracy: a loss that goes down never counts",
        '    best_loss = float("inf")\n' + _FIRST_EPOCH + _IMPROVES,
        '    best_loss = -float("inf")\n' + _FIRST_EPOCH + "        if val_loss - best_loss > min_delta:\n",
        ("monitor-direction",),
    ),
    Mutant(
        "early-stopping-history-lists-exchanged",
        "early_stopping.fit_early_stopping",
        "each epoch appends val_loss to train_losses and train_loss to val_losses: the record is swapped, the "
        "decisions are right",
        "        history.train_losses.append(train_loss)\n        history.val_losses.append(val_loss)\n",
        "        history.train_losses.append(val_loss)\n        history.val_losses.append(train_loss)\n",
        ("wrong-history-list",),
    ),
    Mutant(
        "early-stopping-loss-item",
        "early_stopping.fit_early_stopping",
        "the validation loss is recorded as val_loss.item(), PyTorch's tensor idiom: evaluate_loss returns a "
        "Python float, which has no item method",
        "        history.val_losses.append(val_loss)\n",
        "        history.val_losses.append(val_loss.item())\n",
        ("pytorch-idiom",),
    ),
]

# Set I's class in early stopping, a different edit from the held-apart bug: the best taken over a list that
# already holds the epoch's own loss.
MUTANTS += [
    Mutant(
        "early-stopping-best-of-list-with-current",
        "early_stopping.fit_early_stopping",
        "best_loss = min(history.val_losses) right after the append, then the usual test: the best already holds "
        "val_loss, so no epoch improves",
        "        if val_loss < best_loss - min_delta:\n",
        "        best_loss = min(history.val_losses)\n        if val_loss < best_loss - min_delta:\n",
        ("best-loss-updated-before-compare",),
        # No run tells it from a best that starts at -inf: the feedback names both, untagged.
        ("already held this epoch's own loss",),
    ),
]

# Set J's classes in early stopping, each a different edit from the held-apart bugs: the improvement test on the size
# of the change (its sign lost), and a smoothed validation curve monitored instead of the epoch's own loss.
MUTANTS += [
    Mutant(
        "early-stopping-improvement-when-not-close",
        "early_stopping.fit_early_stopping",
        "an epoch improves when its loss is not within min_delta of the best, np.isclose(..., atol=min_delta): a "
        "loss that rose by more than min_delta counts as well",
        _IMPROVES,
        "        if not np.isclose(val_loss, best_loss, rtol=0.0, atol=min_delta):  # moved by more than min_delta\n",
        ("sign-lost",),
    ),
    Mutant(
        "early-stopping-monitors-mean-of-last-three",
        "early_stopping.fit_early_stopping",
        "the improvement test and the best use the mean of the last three validation losses, a smoothed curve, "
        "instead of the epoch's own loss",
        _IMPROVES + _BEST,
        "        smoothed = float(np.mean(history.val_losses[-3:]))  # average out the noise of single epochs\n"
        "        if smoothed < best_loss - min_delta:\n"
        "            best_loss, history.best_epoch, waited = smoothed, epoch, 0\n",
        ("smoothed-monitor",),
    ),
    Mutant(
        "early-stopping-patience-reset-while-going-down",
        "early_stopping.fit_early_stopping",
        "an epoch that does not beat the best but is below the epoch before it resets the wait ('still going "
        "down'): patience counts the epochs in a row without a new best",
        *span(
            "early_stopping",
            (
                _VALIDATE,
                _VALIDATE + "        going_down = bool(history.val_losses) and val_loss < history.val_losses[-1]\n",
            ),
            ("            waited += 1\n", "            waited = 0 if going_down else waited + 1\n"),
        ),
        ("patience-reset-by-previous-epoch",),
    ),
    Mutant(
        "early-stopping-monitors-generalisation-gap",
        "early_stopping.fit_early_stopping",
        "the improvement test and the best use the gap val_loss - train_loss ('how far validation lags training') "
        "instead of the validation loss",
        _IMPROVES + _BEST,
        "        gap = val_loss - train_loss  # how far validation lags training\n"
        "        if gap < best_loss - min_delta:\n"
        "            best_loss, history.best_epoch, waited = gap, epoch, 0\n",
        ("monitors-gap",),
    ),
    Mutant(
        "early-stopping-restores-waited-from-the-end",
        "early_stopping.fit_early_stopping",
        "every epoch's state is kept and the one restored is kept[len(kept) - waited], 'the best was waited epochs "
        "before the last': the last is at len(kept) - 1, so the epoch after the best is restored",
        *span(
            "early_stopping",
            ("    best_state = None\n", "    best_state = None\n    kept = []\n"),
            (
                "        history.train_losses.append(train_loss)\n",
                "        history.train_losses.append(train_loss)\n        kept.append(copy_state(model))\n",
            ),
            (
                _LOAD,
                "    if restore_best and waited:  # else the last epoch is the best and the model holds it\n"
                "        load_state(model, kept[len(kept) - waited])  # the best was `waited` epochs before the last\n",
            ),
        ),
        ("restores-wrong-epoch",),
    ),
    Mutant(
        "early-stopping-losses-formatted-to-decimals",
        "early_stopping.fit_early_stopping",
        'the losses are compared as printed with 5 decimals (f"{val_loss:.5f}"), \'no improvement below the '
        "display precision': a decrease smaller than the rounding is no improvement, where min_delta=0 counts any",
        _IMPROVES,
        '        if float(f"{val_loss:.5f}") < float(f"{best_loss - min_delta:.5f}"):  # as printed\n',
        ("rounded-values",),
    ),
]

# Set M, taught by class of mistake: a different edit of a misconception set M showed.
MUTANTS += [
    Mutant(
        "early-stopping-min-delta-on-both-sides",
        "early_stopping.fit_early_stopping",
        "the improvement test takes the margin on both sides, val_loss + min_delta < best_loss - min_delta: "
        "min_delta is applied twice, so an epoch must beat the best by 2 * min_delta",
        _IMPROVES,
        "        if val_loss + min_delta < best_loss - min_delta:  # clear of the margin on each side\n",
        ("min-delta-applied-twice",),
    ),
]

# Set N's classes in early stopping, each a different edit from the held-apart bugs: the History's records wrong
# while the run is right (one list object for both, the epoch of the break left out, the training loss measured
# after the epoch instead of fit's mean over it).
MUTANTS += [
    Mutant(
        "early-stopping-records-share-one-list",
        "early_stopping.fit_early_stopping",
        "history.val_losses = history.train_losses ('both start empty'): one list object holds both records, so "
        "each holds the two losses of every epoch interleaved",
        '    best_loss = float("inf")\n',
        '    history.val_losses = history.train_losses  # both records start empty\n    best_loss = float("inf")\n',
        ("aliasing",),
    ),
    Mutant(
        "early-stopping-records-at-the-end-of-the-epoch",
        "early_stopping.fit_early_stopping",
        "the losses are appended at the end of the loop body, after the improvement test: the break of patience "
        "skips them, so the epoch training stopped after is not recorded",
        *span(
            "early_stopping",
            ("        history.train_losses.append(train_loss)\n        history.val_losses.append(val_loss)\n", ""),
            (
                "                break\n",
                "                break\n"
                "        history.train_losses.append(train_loss)\n"
                "        history.val_losses.append(val_loss)\n",
            ),
        ),
        ("history-incomplete",),
    ),
    Mutant(
        "early-stopping-train-loss-measured-in-eval-mode",
        "early_stopping.fit_early_stopping",
        "fit's return value is dropped and the epoch's training loss is measured afterwards on (X, y) in eval mode: "
        "the loss of the weights the epoch ended with, not the mean over the epoch's batches",
        _FIT_EPOCH,
        "        fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)\n"
        "        model.eval()\n"
        "        train_loss = float(loss_fn.forward(model.forward(X), y))\n"
        "        model.train()\n",
        ("wrong-history-list",),
    ),
    # the History kept between calls (set O: a default argument history=History()), here in a default dict
    Mutant(
        "early-stopping-history-in-default-dict",
        "early_stopping.fit_early_stopping",
        "the History is kept in a dict given as a keyword-only default argument, _runs={}, with history = "
        "_runs.setdefault('history', History()): the dict is made once, so every run appends to the epochs of all "
        "the earlier runs and keeps their best_epoch and stopped_epoch",
        *span(
            "early_stopping",
            (
                "    min_delta: float = 0.0,\n) -> History:\n",
                "    min_delta: float = 0.0,\n    *,\n    _runs: dict = {},  # noqa: B006\n) -> History:\n",
            ),
            ("    history = History()\n", '    history = _runs.setdefault("history", History())\n'),
        ),
        ("mutable-default-argument", "state-kept-between-calls"),
    ),
]
