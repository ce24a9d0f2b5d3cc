"""Known optimizer mistakes, simulated: each update rule with one bug switched on.

When a student's trajectory is wrong, :func:`variants` runs the rule of that optimizer once
per known mistake on the same parameters and gradients; a mistake whose trajectory matches
the student's names the bug ("Adam without bias correction"), from the evidence alone.
Each rule reads like PyTorch's pseudo-code, with the bug's branch beside the right line; what
each mistake is, in a sentence for the student, is in :mod:`.optimizer_mistake_texts`.

Most mistakes are members of a family shared by every optimizer they apply to, so that a bug
nobody wrote down still has its simulation: the step count t off by one or counted twice
(``_STEP_COUNTS``); a bias correction missing, rooted, inverted or applied twice
(``_CORRECTION_POWERS``); a weight decay not proportional to p (``_DECAY_SHAPES``), doubled or
outside lr; a square or a square root left out, or typed ``x**1/2`` (half of x, ``_HALVED``); a running
size of the gradients reduced to one number per parameter (``not-per-coordinate``); one state entry not
stored back, stored at the first step only (``state-reset#<key>@first``), or started at ones; eps in the
step instead of the denominator; the parentheses around a running average's ``1 - rate`` left out
(``_blended``); the coefficient beside weight_decay typed for it (``wrong-hyperparameter#<name>``); a running
update that reads another state entry, the line it was copied from (``copy-paste-wrong-state#<entry>``); step()
returning inside the loop, after the first parameter; a running average set to its first value, at the first step or
while still all zero (``average-started-at-first-value``); eps stored into a running size and piling up
(``eps-accumulated-in-state``); the step along p.grad while the running size uses g with weight decay
(``raw-gradient-in-step``; ``#momentum-buffer``: RMSprop's buffer fed g, not g / avg, and never divided); no weight
decay on 1-D parameters (``decay-skips-biases``); a running update written in one
branch of an ``if`` only (``update-in-one-branch#<key>@<flag>``); two running averages stored under each other's keys
(``saved-values-swapped``); Adam's first moment overwritten by the step (``saved-state-overwritten``), its bias
corrections kept from the first step (``cached-first-call#bias-correction``); the Nesterov direction stored as the
velocity (``nesterov-wrong-operand#lookahead-stored``); g^2 written as a product that is not elementwise, g @ g or
g * g.T (``_SQUARE_PRODUCTS``: ``Undefined`` on the shapes where numpy refuses it, as the student's step crashes there);
centered RMSprop's v made the average of the squared deviation from the mean (``centered-variance-formula``), or squared
again in the variance (``centered-square-avg-squared``), or its mean m given alpha's and 1 - alpha's places exchanged
(``alpha-swapped#mean``); SGD's velocity started as p.grad's own array, no copy
(``velocity-is-gradient``); AdamW's
decay factor in a form right to first order only (``decay-factor-form``) or kept from the first AdamW built
(``cached-first-call#decay-factor``); the first-step test kept on the optimizer, not per parameter
(``state-shared-between-parameters#first-step``); Adam's first moment given the second's share 1 - beta2, or the
second the first's (``betas-swapped#m-share``, ``#v-share``: a line copied); SGD stepping along p.grad, the
direction built from it thrown away (``raw-gradient-in-step``); a division by the running size itself, no root and
no eps (``sqrt-missing#bare``); the update never written to p.data while the state goes on
(``result-discarded#update``); a running average's old value not decayed, avg + (1 - rate) * x, a growing sum
(``average-not-decayed#<entry>``); Adagrad's sum squared whole, (sum + g) ** 2 (``squared-after-adding``); amsgrad's
maximum taken against the stored maximum's largest entry (``amsgrad-wrong-operand#all-entries``); Adam's second moment
fed the first moment's square (``copy-paste-wrong-state#v-from-m``); centered RMSprop's variance v - g^2, the gradient
in the mean's place (``centered-variance-formula#gradient-squared``); AdamW's decay at half strength
(``weight-decay-halved``); AdamW's factor split into (1 - lr) * (1 - weight_decay) (``decay-factor-form#split``);
Adagrad's initial_accumulator_value added to the sum at every step (``initial-value-every-step``); centered
RMSprop's mean given the whole g, its 1 - alpha weight left out (``average-weight-missing#mean``); SGD's nesterov tested
against None, so nesterov=False still runs the Nesterov step (``flag-tested-against-none#nesterov``); Adagrad's schedule
reading weight_decay where lr_decay belongs (``wrong-hyperparameter#weight_decay@lr-decay``); any boolean option always
on (``flag-tested-against-none#<flag>``); a hyper-parameter stored from its neighbour's argument
(``wrong-hyperparameter#<key>=<source>``); SGD storing the gradient as its velocity
(``velocity-not-stored#gradient-stored``); Adadelta's acc_delta fed delta * g
(``gradient-not-squared#step-times-gradient``); Adadelta's sqrt(x + eps) split into sqrt(x) + sqrt(eps)
(``adadelta-eps-outside-sqrt#root-split``); Adagrad's lr / (1 + t - 1 * lr_decay)
(``lr-decay-precedence#t-unbracketed``); a hyper-parameter at its documented default whatever the caller passed
(``hyperparameter-ignored#<key>=default``: AdamW's constructor not passing betas or lr on); one running entry stored
under the key of another (``state-key-mismatch#<source>><target>``); SGD's first velocity lr * g
(``lr-applied-twice#first-velocity``); Adadelta's decay added to delta before acc_delta averages it
(``weight-decay-after-scaling#before-accumulator``); the running size's square taken in place, so g becomes g^2 for
the rest of the step (``modifies-grad#squared-in-place``); a valid 0 taken for "not given" and replaced by the default,
``rho or 0.9`` (``zero-taken-as-unset#<key>``); a hyper-parameter stored from another role's argument
(``hyperparameter-ignored#<key>=<source>``); RMSprop's buffer divided whole, (momentum * buf + g) / avg
(``precedence#momentum-buffer``); centered RMSprop's variance written into square_avg
(``saved-state-overwritten#centered-variance``); Adam's v read before its update (``accumulator-after-step#v``), from
max_exp_avg_sq's key (``state-key-mismatch#v-read-from-vmax``), or amsgrad's maximum read before its own update
(``saved-state-stale#amsgrad-max``), or its first moment (``saved-state-stale#first-moment``); RMSprop's step along
the buffer before its update (``saved-state-stale#momentum-buffer``); eps a floor of the denominator, not added
(``formula-wrong#eps-as-floor``); centered RMSprop's mean decayed with momentum
(``wrong-hyperparameter#momentum@mean``); Adam's numerator NAdam's look-ahead
(``nesterov-wrong-operand#look-ahead-moment``); AdamW's factor raised to the step count
(``decay-factor-form#power-of-step``) or a quotient of lr and weight_decay (``decay-factor-form#divided-by-lr``,
``#lr-over-decay``); momentum multiplying the new term too, SGD's dampening dropped with the brackets
(``momentum-on-velocity-and-gradient#dampening-lost``) and RMSprop's scaled step; SGD's Nesterov direction an average
of velocity and gradient (``momentum-as-average#look-ahead``); two state entries read into locals and never stored
(``state-reset#<key>+<key>``); amsgrad's maximum against the last step's average, no running maximum kept
(``amsgrad-wrong-operand#previous-average``); the running size's g^2 read in the step as well
(``copy-paste#squared-gradient-in-step``: the in-place square's numbers, told apart by p.grad); the scaled step
lr * g squared into Adagrad's sum or RMSprop's average, so that the learning rate cancels (``lr-in-accumulator``;
``#undecayed``: Adagrad's base lr squared in, the step's lr_t decayed); a running size replaced by a value derived
from it for the step, computed in place on the state (``saved-state-overwritten#root-eps``: sqrt(s) + eps in Adagrad's
sum or RMSprop's average; Adam's second moment, or amsgrad's maximum, replaced by its root ``#root``, the corrected
root ``#root-corrected`` or the whole denominator ``#denominator``; Adadelta's averages replaced by their roots
sqrt(x + eps), ``#square-avg-rooted``, ``#acc-delta-rooted``, ``#both``); SGD's CS231n Nesterov step reading a
"previous" velocity that is the state's own array, updated in place since (``aliasing#previous-velocity``: right at
the first step, plain momentum after); Adadelta's denominator root without eps (``eps-missing#denominator``) and its
ratio under one root without brackets, sqrt(u + eps / v + eps) (``precedence#ratio-under-one-root``), its two averages
one array (``aliasing#state``); Adam's eps and weight_decay exchanged, passed on in another order
(``wrong-hyperparameter#eps<>weight_decay``). The tables are keyed by
formula (``Component.formula``), never by a component's name.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import numpy as np
from nnlab.graders import settings

from ..tolerance import agrees, agrees_rowwise
from .optimizer_mistake_texts import (
    API_DEFAULTS,
    DEFAULT_EPS,
    DEFAULT_LR,
    DEFAULT_WEIGHT_DECAY,
    MISTAKES,
    ONE_MISTAKE,
    SQUARE_IN_STEP,
    SQUARED_IN_PLACE,
    ZERO_DEFAULTS,
)

Trajectory = list[list[np.ndarray]]  # positions after each step, one array per parameter


_AFTER = "weight-decay-after-scaling"  # and its variants: the decay joins the step, not the gradient
_NEIGHBOUR = "wrong-hyperparameter#"  # and the name of the hyper-parameter used where weight_decay belongs
# A state entry whose running update reads another entry's value (the line above copied): ``#<entry>``.
_COPIED = "copy-paste-wrong-state#"
# ``self.<key> = <key> or <default>``: a valid 0 taken for "not given" and replaced by the default (``#<key>``).
_ZERO_UNSET = "zero-taken-as-unset#"
# The Nesterov direction d = g + momentum * b stored as the velocity: the value the step uses kept where b belongs.
_LOOKAHEAD_STORED = "nesterov-wrong-operand#lookahead-stored"
# A running update written in one branch of an ``if`` only: under the other branch the entry is never updated and
# stays at zeros. ``#<key>@<flag>``: the entry ``key`` stays zero when ``flag`` (``plain``: the flag's absence) holds.
_ONE_BRANCH = "update-in-one-branch#"
# A running entry's new value computed and thrown away (np.add(square_avg, ...) on a line of its own, as if it worked
# in place): the entry stays at its start for good and the step reads it there. ``#<key>``, by the simulator's keys.
_ENTRY_DISCARDED = "result-discarded#never-stored-"
# A running state created with an integer dtype (np.full(shape, value, dtype=int)): its starting value truncated toward
# 0, while the first update's float sum replaces the array with a float one, so later steps run as written.
TRUNCATED_START = "integer-buffer-truncates#initial-accumulator"


def _frozen_in_branch(bug: str, key: str, flag: str, on: bool) -> bool:
    """Is ``key``'s update left out under this branch (``_ONE_BRANCH``): updated only where ``flag`` is not ``on``?"""
    return bug == f"{_ONE_BRANCH}{key}@{flag if on else 'plain'}"


# What a weight decay shrinks by instead of weight_decay * p (L2) or lr * weight_decay * p (AdamW).
_DECAY_SHAPES: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "weight-decay-constant": lambda p, g: np.ones_like(p),
    "weight-decay-l1": lambda p, g: np.sign(p),
    "weight-decay-on-gradient": lambda p, g: g,
    "weight-decay-squared": lambda p, g: p * p,  # the penalty's shape, not its derivative
}


def _decayed(p: np.ndarray, g: np.ndarray, hp: dict, bug: str) -> np.ndarray:
    """The gradient with the L2 term, ``grad + weight_decay * p``, as each bug forms it."""
    wd = hp["weight_decay"]
    if wd == 0 and bug == "conditional-expression-precedence#decay":  # g + (wd * p if wd != 0 else g): g + g
        return g + g
    if wd == 0 or bug in ("weight-decay-ignored", "weight-decay-after-momentum") or bug.startswith(_AFTER):
        return g
    if bug in _DECAY_SHAPES:  # a decay not proportional to p: a constant, p's sign, the gradient
        return g + wd * _DECAY_SHAPES[bug](p, g)
    if bug == "gradient-dropped":  # the L2 term returned (or assigned) in place of grad + L2 term
        return wd * p
    # g + lr_decay * p: the hyper-parameter beside weight_decay typed for it (a name not in hp is another place's)
    if bug.startswith(_NEIGHBOUR) and bug.partition("#")[2] in hp:
        return g + hp[bug.partition("#")[2]] * p
    factor = {
        "weight-decay-times-lr": hp["lr"],
        "weight-decay-wrong-sign": -1.0,
        "weight-decay-doubled": 2.0,
        "weight-decay-halved": 0.5,  # the 1/2 of the penalty weight_decay/2 * |p|^2 kept in its derivative
    }
    return g + factor.get(bug, 1.0) * wd * p


class Undefined(ValueError):
    """The mistake cannot run on these shapes: the student's code with it raises there (numpy refuses the shapes)."""


# g^2 written as a product that is not elementwise: a matrix product (g @ g, g @ g.T, g.T @ g) or g times its
# transpose. Each equals the square only on some shapes (g * g.T on a vector or a symmetric matrix) and raises on the
# shapes whose axes do not line up (a non-square matrix), where the student's step crashes.
_SQUARE_PRODUCTS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "matmul-for-elementwise": lambda g: g @ g,
    "matmul-for-elementwise#with-transpose": lambda g: g @ g.T,
    "matmul-for-elementwise#transpose-first": lambda g: g.T @ g,
    "transposed#square": lambda g: g * g.T,
}


def _square_product(g: np.ndarray, bug: str) -> np.ndarray:
    """The stand-in ``_SQUARE_PRODUCTS[bug]`` for g^2, as it joins a state entry of g's shape; ``Undefined`` where
    numpy refuses it (the product's axes, or its result against the state, do not line up)."""
    try:
        product = np.asarray(_SQUARE_PRODUCTS[bug](g))
        if np.broadcast_shapes(product.shape, g.shape) != g.shape:
            raise ValueError(f"{product.shape} does not join a state of shape {g.shape}")
    except ValueError as error:
        raise Undefined(str(error)) from error
    return np.broadcast_to(product, g.shape).copy()


# The step lr * g formed first and its square accumulated, sum += (lr * g)^2, the step lr * g / sqrt(sum): the running
# size holds squared steps, not squared gradients, so the learning rate (and its schedule) nearly cancels between
# the numerator and the denominator (Adadelta's member of the family: ``adadelta-lr-in-accumulator``). ``#undecayed``:
# Adagrad's sum fed (lr * g)^2 with the base rate while the step uses the decayed lr_t.
LR_IN_SIZE = "lr-in-accumulator"


def _squares(raw: np.ndarray, g: np.ndarray, bug: str, lr: float = 1.0) -> np.ndarray:
    """What a running size of the gradients accumulates: ``g^2``, or a bug's stand-in for it. ``lr`` is the rate the
    step multiplies g by, squared into the size with g when the scaled step is what accumulates (``LR_IN_SIZE``)."""
    g = raw if bug == "squares-without-decay" else g
    g = lr * g if bug.startswith(LR_IN_SIZE) else g
    if bug.startswith("not-per-coordinate"):  # np.mean(g * g) or np.sum(g * g): one number for the parameter
        return np.full_like(g, np.sum(g * g) if bug.endswith("#sum") else np.mean(g * g))
    if bug in _SQUARE_PRODUCTS:
        return _square_product(g, bug)
    return {"gradient-not-squared": np.abs(g), "gradient-not-squared#signed": g}.get(bug, g * g)


# A running average set to its first value instead of averaged from zeros: at the first step (``state`` has no
# entry yet), or, ``#while-zero``, whenever it is still all zero (``if not v.any():``, which also restarts it after a
# first step whose gradient was all zero).
_STARTED = "average-started-at-first-value"


def _starts_here(bug: str, state: dict, key: str) -> bool:
    """Does this step set the running average ``key`` to its first value (the mistake ``_STARTED``)?"""
    if bug == _STARTED:
        return key not in state
    return bug == f"{_STARTED}#while-zero" and not np.any(state.get(key, 0.0))


# eps added into a stored running size (``v = rho * v + (1 - rho) * g^2 + eps``) and left out where its root is taken:
# it piles up, one eps per step, where it belongs once at the point of use.
_EPS_STORED = "eps-accumulated-in-state"
# A one-time starting value added again at every step: Adagrad's sum = sum + g^2 + initial_accumulator_value, the
# start piling up (t + 1 of it after t steps) where the sum begins at it once.
START_EVERY_STEP = "initial-value-every-step#initial-accumulator"
# A running average's old value not decayed, avg + (1 - rate) * x (``#<entry>``): a sum that grows.
_NOT_DECAYED = "average-not-decayed#"


# RMSprop's momentum buffer fed the unprocessed gradient, b = momentum * b + g, and the step lr * b: the division by
# avg = sqrt(v) + eps, the processing the buffer exists to accumulate, thrown away (as p.grad is in the step above).
_RAW_IN_BUFFER = "raw-gradient-in-step#momentum-buffer"


def _grad_in_step(raw: np.ndarray, g: np.ndarray, bug: str) -> np.ndarray:
    """The gradient the step moves along: g, with weight decay; the raw p.grad when the step reads p.grad while the
    running size accumulates g (``raw-gradient-in-step``); g^2, the running size's own term (``SQUARE_IN_STEP``)."""
    if bug == SQUARE_IN_STEP:  # the running size's g * g, kept in a variable, read in the step as well
        return g * g
    return raw if bug == "raw-gradient-in-step" else g


def _squared_in_place(g: np.ndarray, bug: str) -> np.ndarray:
    """g after the running size's line: g^2 when that line squared g in place (np.square(g, out=g)), so every
    later line (the centered mean, the momentum buffer, the step) reads g^2."""
    return g * g if bug == SQUARED_IN_PLACE else g


# The step's division written as a floor division, g // avg: each ratio rounded down to a whole number.
_FLOORED = "floor-division"
# eps taken as a floor of the denominator, np.maximum(sqrt(v), eps), where it is added: sqrt(v) + eps.
_EPS_FLOOR = "formula-wrong#eps-as-floor"
# RMSprop's parameters moved by the momentum buffer before the buffer's update: each step applies the last velocity.
_VELOCITY_STALE = "saved-state-stale#momentum-buffer"
# Centered RMSprop's running mean decayed with momentum where alpha belongs, m = momentum * m + (1 - momentum) * g.
_MEAN_RATE_MOMENTUM = "wrong-hyperparameter#momentum@mean"
# RMSprop's buffer with parentheses around the whole update, (momentum * buf + g) / avg: the old velocity divided.
_BUFFER_DIVIDED = "precedence#momentum-buffer"
# Centered RMSprop's variance written into the average of squares (np.maximum(..., out=square_avg)).
_VARIANCE_STORED = "saved-state-overwritten#centered-variance"
# SGD's first velocity started at momentum * g, where it is g itself (as if the zeros' update kept only its first term).
_FIRST_TIMES_MOMENTUM = "state-not-initialised#times-momentum"
# SGD's first momentum step only stores the velocity b = g and leaves p where it is (``continue`` after starting the
# buffer, "the velocity starts at the next step"): every later step is the right update from the stored b.
FIRST_STEP_STORES_ONLY = "state-not-initialised#first-step-stores-only"
# A velocity update with momentum multiplying the new term too, momentum * (b + x) for momentum * b + x: SGD's
# (1 - dampening) * g, or (``#dampening-lost``) g alone, dampening dropped with the brackets; RMSprop's g / avg.
_TIMES_SUM = "momentum-on-velocity-and-gradient"
# SGD's Nesterov direction written as an average, momentum * b + (1 - momentum) * g, where it adds the whole g:
# g + momentum * b (the look-ahead's gradient share scaled down as a running average's new term is).
_LOOKAHEAD_AVERAGED = "momentum-as-average#look-ahead"
# AdamW's decay added to the gradient as lr * weight_decay * p: the decoupled factor in Adam's coupled (L2) place.
_L2_TIMES_LR = "adamw-l2-decay#times-lr"


# The division by the running size itself, g / v: neither its square root nor eps (0/0 where v is 0).
_BARE = "sqrt-missing#bare"
# The update computed and never written to p (a local name rebound, a result discarded): the state goes on.
_DISCARDED = "result-discarded#update"


# A square root typed x**1/2, which Python reads as (x**1) / 2 (``#...-numerator``/``-denominator``: one root of two).
_HALVED = "precedence#root-halved"


# A running average written as PyTorch's lerp, avg.lerp_(x, w) = avg + w * (x - avg), with the difference reversed,
# avg += w * (avg - x): the average moves away from x by as much as it should move towards it, (1 + w) avg - w x.
# ``#<key>``, by the simulator's keys: Adam's m, centered RMSprop's mean and Adadelta's acc_delta. (An average of g^2
# so reversed turns negative at the first step: nan under the root, or a clamped variance that other mistakes share.)
_LERP_REVERSED = "sign-flipped#lerp-reversed-"


def _lerp(bug: str, key: str, before: Any, new: np.ndarray) -> np.ndarray:
    """A running average's new value; with its lerp reversed (``_LERP_REVERSED``), as far from ``before`` on the other
    side: avg - w * (x - avg) = 2 * avg - (avg + w * (x - avg))."""
    return 2 * before - new if bug == f"{_LERP_REVERSED}{key}" else new


def _blended(share: float, x: np.ndarray, rate: float, bug: str, key: str) -> np.ndarray:
    """What a running average adds, ``share * x`` with ``share = 1 - rate``; ``precedence#<key>`` writes
    ``1 - rate * x``, the parentheses around ``1 - rate`` left out."""
    return 1.0 - rate * x if bug == f"precedence#{key}" else share * x


def _after_scaling(p: np.ndarray, step: np.ndarray, lr: float, hp: dict, bug: str) -> np.ndarray:
    """``p - lr * step``; with the decay added after the adaptive scaling, ``p - lr * (step + wd * p)``
    (or ``- wd * p`` outside lr)."""
    if bug == "weight-decay-after-scaling#without-lr":
        return p - lr * step - hp["weight_decay"] * p
    return p - lr * (step + hp["weight_decay"] * p if bug == "weight-decay-after-scaling" else step)


# The learning-rate schedules a student writes for lr / (1 + (t - 1) * lr_decay): each form of a decay.
_SCHEDULES: dict[str, Callable[[float, float, int], float]] = {
    "lr-decay-off-by-one": lambda lr, decay, t: lr / (1 + t * decay),
    "lr-decay-ignored": lambda lr, decay, t: lr,
    "lr-decay-compounded": lambda lr, decay, t: lr / (1 + decay) ** (t - 1),
    "lr-decay-compounded#exponential": lambda lr, decay, t: lr * (1 - decay) ** (t - 1),
    "lr-decay-compounded#exp": lambda lr, decay, t: lr * float(np.exp(-(t - 1) * decay)),
    "lr-decay-linear": lambda lr, decay, t: lr * (1 - (t - 1) * decay),
    "lr-decay-square-root": lambda lr, decay, t: lr / float(np.sqrt(1 + (t - 1) * decay)),
    "lr-decay-applied-twice": lambda lr, decay, t: lr / (1 + (t - 1) * decay) ** 2,
    "lr-decay-inverted": lambda lr, decay, t: lr * (1 + (t - 1) * decay),
    # the parentheses of lr / (1 + (t - 1) * lr_decay) misplaced or missing
    "lr-decay-precedence": lambda lr, decay, t: lr / (1 + (t - 1)) * decay,
    "lr-decay-precedence#division-first": lambda lr, decay, t: lr / 1 + (t - 1) * decay,
    # lr / (1 + t - 1 * lr_decay): the brackets around t - 1 left out, so lr_decay multiplies the 1 alone
    "lr-decay-precedence#t-unbracketed": lambda lr, decay, t: lr / (1 + t - decay),
    # self.lr = self.lr / (1 + (t - 1) * lr_decay): each step decays the rate the step before left in self.lr
    "hyperparameter-overwritten#lr-decay": lambda lr, decay, t: lr / float(np.prod(1 + np.arange(t) * decay)),
    # lr_decay read as a factor the rate is multiplied by at every step (lr * lr_decay^(t - 1)), as a scheduler's gamma
    "lr-decay-as-factor": lambda lr, decay, t: lr * decay ** (t - 1),
    "lr-decay-as-factor#t": lambda lr, decay, t: lr * decay**t,
}
# weight_decay typed where lr_decay belongs in the schedule, lr / (1 + (t - 1) * weight_decay): the neighbour of
# ``wrong-hyperparameter#<name>`` the other way round (the L2 term itself is right).
SCHEDULE_READS_DECAY = "wrong-hyperparameter#weight_decay@lr-decay"
# lr_decay applied to the sum of squares, which then forgets as RMSprop's average does, and the rate left at lr.
_ON_SUM = "decay-on-accumulator"


# Adadelta's denominator without eps, sqrt(u + eps) / sqrt(v) (eps left out of one root: the numerator's is
# adadelta-eps-numerator-missing); and the ratio of roots written under one root without parentheses,
# sqrt(u + eps / v + eps), which Python reads as u + (eps / v) + eps.
_EPS_MISSING_BELOW = "eps-missing#denominator"
_RATIO_UNBRACKETED = "precedence#ratio-under-one-root"


# Adadelta's root of a sum taken as the sum of the roots, sqrt(x) + sqrt(eps) for sqrt(x + eps): in both roots, or
# (@numerator, @denominator) in one.
_ROOT_SPLIT = "adadelta-eps-outside-sqrt#root-split"


# Two state entries bound to one array (a chained assignment, m = v = zeros) and updated in place: one running update
# reads the other's new value, and both hold the last one.
_ALIASED = "aliasing#state"
# sqrt(v - m^2) written with the mean taken off outside the root: sqrt(v) - m, sqrt(v) - m^2, or sqrt(v) - sqrt(m^2).
_ROOT_OVER_DIFFERENCE: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "root-scope#centered": lambda m: m,
    "root-scope#centered-squared": lambda m: m * m,
    "root-scope#centered-abs": np.abs,
}
# The velocity started as p.grad's own array (buf = g without a copy, where g is p.grad itself: no weight decay made a
# new array). The grader's loop zeroes p.grad in place at every zero_grad() and binds new gradient arrays at every
# second step (optimizers.Remote.run), so at step 2 the buffer reads zeros: the first step's velocity is lost. (The
# same numbers come when the later updates are in place as well, buf *= momentum: the buffer has left p.grad by then.)
_GRAD_AS_VELOCITY = "velocity-is-gradient"
# Nesterov in the CS231n form, step = (1 + momentum) * b - momentum * b_prev (= g + momentum * b), with b_prev = b
# saved without a copy and b then updated in place: the saved "previous" velocity is the new one, so the step is b,
# plain momentum, from the second step on (at the first, b_prev is a fresh array of zeros and the step is right).
PREVIOUS_ALIASED = "aliasing#previous-velocity"
# A running state replaced by a value derived from it for the step, computed in place (np.sqrt(v, out=v), v += eps,
# v /= 1 - beta2^t: a port of PyTorch's in-place methods, sqrt_() / add_(), onto the state itself): the next step goes
# on from the derived value. ``#<what>``: which value is kept (the plain tag: the root alone).
_OVERWRITTEN = "saved-state-overwritten"
_ROOT_EPS_STORED = f"{_OVERWRITTEN}#root-eps"  # sqrt(s) + eps: the whole denominator
# Adam's second moment (amsgrad's maximum when amsgrad is on, the array the denominator comes from) replaced by its
# root, by the root of the corrected moment, or by the whole denominator sqrt(v) / sqrt(1 - beta2^t) + eps.
_ADAM_OVERWRITTEN = {
    f"{_OVERWRITTEN}#root": lambda v, c2, eps: np.sqrt(v),
    f"{_OVERWRITTEN}#root-corrected": lambda v, c2, eps: np.sqrt(v) / np.sqrt(c2),
    f"{_OVERWRITTEN}#denominator": lambda v, c2, eps: np.sqrt(v) / np.sqrt(c2) + eps,
}
# Adadelta's roots sqrt(x + eps) taken in place (x += eps; np.sqrt(x, out=x)): square_avg replaced by std, acc_delta
# by the numerator's root before its own update (``#both``: the two).
_ADADELTA_OVERWRITTEN = (
    f"{_OVERWRITTEN}#square-avg-rooted",
    f"{_OVERWRITTEN}#acc-delta-rooted",
    f"{_OVERWRITTEN}#both",
)
# Centered RMSprop's averages mixed up: v made the running average of the squared deviation (g - m)^2 from the mean
# gradient m, and the step divided by its root (``#old-mean``: the deviation from m before this step's update).
_DEVIATIONS = "centered-variance-formula"
# centered RMSprop's mean given the whole g, grad_avg = alpha * grad_avg + g (its 1 - alpha weight left out).
_MEAN_UNWEIGHTED = "average-weight-missing#mean"
# Centered RMSprop's variance v - m^2 written with the gradient in the running mean's place, v - g^2 (``#raw``: p.grad,
# without the weight decay term): the mean is kept up to date and never read.
_GRADIENT_FOR_MEAN: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    f"{_DEVIATIONS}#gradient-squared": lambda raw, g: g * g,
    f"{_DEVIATIONS}#gradient-squared-raw": lambda raw, g: raw * raw,
}
# The gradient clipped before the update (p.grad as it is, with weight decay added after): rescaled to norm 1 per
# parameter, over all the parameters together (#global), or each entry clipped to [-1, 1] (#value).
_CLIPPED = "gradient-clipped"


def _clipped(g: np.ndarray, step_grads: Sequence[np.ndarray], bug: str) -> np.ndarray:
    """``g`` as a clip to 1 leaves it (see ``_CLIPPED``)."""
    if bug == f"{_CLIPPED}#value":
        return np.clip(g, -1.0, 1.0)
    if bug == f"{_CLIPPED}#global":
        norm = float(np.sqrt(sum(np.sum(np.square(np.asarray(x, dtype=np.float64))) for x in step_grads)))
    else:
        norm = float(np.linalg.norm(g))
    return g / norm if norm > 1.0 else g


# nesterov tested as ``nesterov is not None``: False is not None, so the Nesterov step runs wherever momentum does.
FLAG_NOT_NONE = "flag-tested-against-none#nesterov"
# Any boolean option so stored or tested (``self.amsgrad = amsgrad is not None``): ``#<flag>``, the option always on.
_FLAG_ON = "flag-tested-against-none#"
# A hyper-parameter stored from its neighbour's argument (``self.momentum = float(alpha)``, the line above copied and
# not changed): ``#<key>=<source>``, key holding source's value. The tables of neighbours are in the texts module.
_ARGUMENT_COPIED = "wrong-hyperparameter#"
# SGD's new velocity computed and used, and the gradient stored in its place (``state["momentum_buffer"] = g``):
# each step's momentum * b reads the last gradient, not the running velocity (``#raw``: p.grad, without the decay;
# ``#copy``: g.copy()). Without weight decay g is p.grad's own array, and so is ``#raw``'s always: the grader's loop
# zeroes p.grad in place at every zero_grad() and writes the next gradient into it, or binds a new array at every
# second step (optimizers.Remote.run), so the stored array reads this step's gradient, or zeros where it was rebound.
_GRADIENT_STORED = "velocity-not-stored#gradient-stored"


def _stored_gradient(bug: str, raw: np.ndarray, g: np.ndarray, hp: dict) -> tuple[np.ndarray, bool]:
    """What ``_GRADIENT_STORED`` stores as the velocity, and whether it is p.grad's own array (an alias)."""
    if bug.endswith("#raw"):
        return raw, True
    return g, hp["weight_decay"] == 0 and not bug.endswith("#copy")


def _aliased_gradient(raw: np.ndarray, t: int) -> np.ndarray:
    """A stored alias of p.grad as step ``t`` reads it (see ``_GRADIENT_STORED``)."""
    return np.zeros_like(raw) if t % 2 == 0 else np.array(raw)


def _sgd(p: np.ndarray, g: np.ndarray, state: dict, t: int, hp: dict, bug: str) -> np.ndarray:
    m, d = hp["momentum"], hp["dampening"]
    if bug == "no-step-without-momentum" and m == 0:  # p -= lr * g indented into `if momentum != 0:`
        return p
    raw, g = g, _decayed(p, g, hp, bug)
    if m != 0 or bug == "dampening-without-momentum":
        share = {"dampening-ignored": 1.0, "dampening-inverted": d}.get(bug, 1 - d)
        if bug.startswith("momentum-as-average") and bug != _LOOKAHEAD_AVERAGED:
            share = 1 - m
        b = state.get("b")
        if b is not None and state.get("b_aliased"):  # _GRADIENT_STORED's p.grad, zeroed or rewritten since
            b = _aliased_gradient(raw, t)
        if b is not None and bug == _GRAD_AS_VELOCITY and t == 2 and hp["weight_decay"] == 0:
            b = np.zeros_like(b)  # the first step's p.grad, zeroed in place by zero_grad() and then left behind
        fresh = b is None  # the first step of this parameter: a velocity made, none updated
        if b is None or (bug == "zero-velocity-restarted" and not b.any()):
            old = np.zeros_like(g)
            b = {
                # b = momentum * 0 + (1 - dampening) * g: a velocity started at zeros
                "dampening-on-first-step": (1 - d) * g,
                _VELOCITY_STALE: (1 - d) * g,  # started at zeros: b = momentum * 0 + (1 - dampening) * g
                "velocity-initialised-and-updated": m * g + share * g,
                "momentum-as-average#zero-start": share * g,
                "weight-decay-not-accumulated#first": raw,
                "lr-applied-twice#first-velocity": hp["lr"] * g,  # b = lr * g, then p -= lr * b: lr twice at first
                _FIRST_TIMES_MOMENTUM: m * g,  # b = momentum * g: the later steps' momentum * b applied to g
            }.get(bug, g)
            if bug == FIRST_STEP_STORES_ONLY:
                state["b"] = b
                return p
        else:
            old = b
            share *= hp["lr"] if bug == "lr-applied-twice#velocity" else 1.0  # b += lr * g, then p -= lr * b
            added = raw if bug.startswith("weight-decay-not-accumulated") else g  # p.grad, not g with the L2 term
            b = (-m if bug == "momentum-wrong-sign" else m) * b + _blended(share, added, d, bug, "dampening")
            if bug == "dampening-on-velocity":  # (1 - dampening) * (momentum * b + g): the whole velocity
                b = (1 - d) * (m * old + g)
            elif bug == "dampening-on-velocity#old":  # the old velocity dampened instead of the gradient
                b = (1 - d) * m * old + g
            elif bug.startswith(_TIMES_SUM):  # momentum * (b + (1 - dampening) * g), or (#dampening-lost) * (b + g)
                b = m * (old + (1.0 if bug == f"{_TIMES_SUM}#dampening-lost" else share) * g)
            elif bug == f"{_ENTRY_DISCARDED}momentum_buffer":  # its update thrown away: the first velocity for good
                b = old
        state["b"] = b
        if bug == _VELOCITY_STALE:  # the step reads the velocity before its update: each step a step behind
            b = old
        if bug.startswith(_GRADIENT_STORED):
            state["b"], state["b_aliased"] = _stored_gradient(bug, raw, g, hp)
        if hp["nesterov"] and bug == PREVIOUS_ALIASED and not fresh:  # (1 + m) * b - m * b: the new velocity alone
            g = b
        elif hp["nesterov"] and bug != "nesterov-ignored":
            # Each operand of g + momentum * b, dropped or replaced by its sibling (b for g, g for b).
            look = {
                "nesterov-without-decay": raw,
                "nesterov-missing-gradient": 0.0,
                "nesterov-wrong-operand#velocity-for-gradient": b,
                "nesterov-wrong-operand#swapped": b,
                _LOOKAHEAD_AVERAGED: (1 - m) * g,  # momentum * b + (1 - momentum) * g: an average, not a sum
            }
            swapped = ("nesterov-wrong-operand#gradient-for-velocity", "nesterov-wrong-operand#swapped")
            ahead = old if bug == "nesterov-old-buffer" else g if bug in swapped else b
            g = look.get(bug, g) + m * ahead
            if bug == _LOOKAHEAD_STORED:  # state["momentum_buffer"] = g after the Nesterov line: d kept, not b
                state["b"] = g
        elif bug == "conditional-expression-precedence":  # g = g + (momentum * b if nesterov else b)
            g = g + b
        elif bug != "momentum-ignored":  # that bug keeps the velocity up to date and steps along g all the same
            g = b
    if bug == "weight-decay-after-momentum":
        g = g + hp["weight_decay"] * p
    g = raw if bug == "raw-gradient-in-step" else g  # the direction built above, thrown away: p -= lr * p.grad
    return _after_scaling(p, g, hp["lr"], hp, bug)


def _adagrad(p: np.ndarray, g: np.ndarray, state: dict, t: int, hp: dict, bug: str) -> np.ndarray:
    lr, decay, eps = hp["lr"], hp["lr_decay"], hp["eps"]
    clr = _SCHEDULES.get(bug, lambda lr, decay, t: lr / (1 + (t - 1) * decay))(lr, decay, t)
    clr = lr if bug == _ON_SUM else clr
    if bug == SCHEDULE_READS_DECAY:
        clr = lr / (1 + (t - 1) * hp["weight_decay"])
    raw, g = g, _decayed(p, g, hp, bug)
    start = 0.0 if bug == "initial-accumulator-ignored" else hp["initial_accumulator_value"]
    if bug == TRUNCATED_START:  # np.full(shape, 0.1, dtype=int): the integer buffer holds int(0.1) = 0
        start = float(np.trunc(start))
    before = state.get("sum", np.full_like(p, start))
    if bug.startswith(_ON_SUM):  # sum <- (1 - lr_decay) * sum + g^2 (#with-schedule: and the rate decayed as well)
        before = (1.0 - decay) * before
    rate = lr if bug == f"{LR_IN_SIZE}#undecayed" else clr  # the rate squared into the sum with g (LR_IN_SIZE)
    s = state["sum"] = before + _squares(raw, g, bug, rate) + (hp["eps"] if bug == _EPS_STORED else 0.0)
    if bug == START_EVERY_STEP:
        s = state["sum"] = s + start
    if bug == "squared-after-adding":  # (sum + g) ** 2: the square around the whole sum, not the term added
        s = state["sum"] = (before + g) ** 2
    if bug == "accumulator-averaged#stored":  # the sum kept as a running mean, (s * (t - 1) + g^2) / t
        s = state["sum"] = (before * (t - 1) + _squares(raw, g, bug)) / t
    elif bug == "accumulator-averaged":  # the step divides by sqrt(sum / t), the root of the mean square
        s = s / t
    s = before if bug == "accumulator-after-step" else s  # the step read the sum before this g^2 joined it
    if bug == f"{_ENTRY_DISCARDED}sum":  # np.add(sum, g * g) on a line of its own: the sum stays at its start
        s = state["sum"] = before
    denom = {
        "eps-inside-sqrt": np.sqrt(s + eps),
        "sqrt-missing": s + eps,
        _BARE: s,
        _HALVED: s / 2 + eps,
        _EPS_STORED: np.sqrt(s),
    }.get(bug, np.sqrt(s) + eps)
    denom = denom * denom if bug == "divided-twice" else denom
    if bug == "saved-state-overwritten":  # np.sqrt(s, out=s): the sum replaced by its root, read at the next step
        state["sum"] = np.sqrt(s)
    if bug == _ROOT_EPS_STORED:  # np.sqrt(s, out=s); s += eps: the sum replaced by the denominator
        state["sum"] = np.sqrt(s) + eps
    if bug == _FLOORED:
        return _after_scaling(p, g // denom, clr, hp, bug)
    g = _squared_in_place(g, bug)
    return _after_scaling(p, (1.0 if bug == "gradient-missing" else _grad_in_step(raw, g, bug)) / denom, clr, hp, bug)


def _rmsprop(p: np.ndarray, g: np.ndarray, state: dict, t: int, hp: dict, bug: str) -> np.ndarray:
    a, eps, mo = hp["alpha"], hp["eps"], hp["momentum"]
    raw, g = g, _decayed(p, g, hp, bug)
    # alpha and 1 - alpha exchanged in v's update (``#mean``: in the centered mean's alone; ``#both``: in both)
    old, new = (1 - a, a) if bug in ("alpha-swapped", "alpha-swapped#both") else (a, 1 - a)
    if bug == "squared-after-average":  # the running average of g, squared
        state["g_avg"] = old * state.get("g_avg", 0.0) + new * g
        v = state["g_avg"] ** 2
    elif _starts_here(bug, state, "v"):
        v = state["v"] = g * g
    elif _frozen_in_branch(bug, "v", "centered", hp["centered"]) or bug == f"{_ENTRY_DISCARDED}v":
        # the update sits in the other branch, or its result is thrown away: v stays zeros and the step reads it
        v = state["v"] = state.get("v", np.zeros_like(p))
    elif bug.startswith(_DEVIATIONS) and bug not in _GRADIENT_FOR_MEAN and hp["centered"]:
        # centered: v averages the squared deviation from the running mean, (g - m)^2, and the step divides by its
        # root; the variance is v - m^2 with v the average of g^2 (the deviation from the new mean, or #old-mean)
        before = state.get("mean", 0.0)
        mean = state["mean"] = a * before + (1 - a) * g
        deviation = g - (before if bug.endswith("#old-mean") else mean)
        v = state["v"] = a * state.get("v", 0.0) + (1 - a) * deviation * deviation
    else:
        share = 1.0 if bug == "alpha-complement-missing" else new
        before = state.get("v", 0.0)
        kept = 1.0 if bug == f"{_NOT_DECAYED}square-avg" else old  # v + (1 - alpha) * g^2: a growing sum
        v = state["v"] = kept * before + _blended(share, _squares(raw, g, bug, hp["lr"]), a, bug, "alpha")
        if bug == _EPS_STORED:
            v = state["v"] = v + eps
        v = before if bug == "accumulator-after-step" else v  # the step read v before this g^2 joined it
    g = _squared_in_place(g, bug)
    if bug == "rmsprop-bias-corrected":
        v = v / (1 - a**t)
    uncentered = v
    if hp["centered"] and bug != "centered-ignored" and (not bug.startswith(_DEVIATIONS) or bug in _GRADIENT_FOR_MEAN):
        before = state.get("mean", 0.0)
        keep, share = (1 - a, a) if bug in ("alpha-swapped#both", "alpha-swapped#mean") else (a, 1 - a)
        keep, share = (mo, 1 - mo) if bug == _MEAN_RATE_MOMENTUM else (keep, share)
        averaged = {"centered-mean-without-decay": raw, "centered-mean-of-squares": g * g}.get(bug, g)
        share = 1.0 if bug == _MEAN_UNWEIGHTED else share  # grad_avg = alpha * grad_avg + g: a growing sum
        if bug == f"{_COPIED}mean":  # grad_avg = alpha * square_avg + ...: the line above's state
            before = state["v"]
        mean = state["mean"] = _lerp(bug, "mean", before, keep * before + share * averaged)
        if bug == _ALIASED:  # grad_avg and square_avg one array, updated in place: the mean averages v's new value
            mean = state["mean"] = keep * v + share * averaged
            v = state["v"] = mean
        mean = before if bug == "centered-old-mean" else mean
        square = {"centered-mean-not-squared": mean, "centered-mean-not-squared#abs": np.abs(mean)}.get(bug, mean**2)
        if bug in _GRADIENT_FOR_MEAN:  # v - g^2: this step's gradient squared where the mean's square belongs
            square = _GRADIENT_FOR_MEAN[bug](raw, g)
        if bug == "precedence#centered-variance":  # (v - m) ** 2: the parentheses square the difference
            square = v - (v - mean) ** 2  # so that v - square is (v - m)^2
        if bug == "centered-variance-reversed":  # m^2 - v: never positive, so the clamp leaves 0
            v = np.maximum(square - v, 0.0)
        elif bug == "centered-square-avg-squared":  # v^2 - m^2: the average of g^2 squared as if it were a mean of g
            v = np.maximum(v * v - square, 0.0)
        else:
            v = np.maximum(v + square if bug == "centered-wrong-sign" else v - square, 0.0)
        if bug == _VARIANCE_STORED:  # np.maximum(..., out=square_avg): the average of g^2 replaced by the variance
            state["v"] = v
    avg = {"eps-inside-sqrt": np.sqrt(v + eps), "sqrt-missing": v + eps, _BARE: v, _HALVED: v / 2 + eps}.get(
        bug, np.sqrt(v) + (0.0 if bug == _EPS_STORED and not hp["centered"] else eps)
    )
    avg = np.maximum(np.sqrt(v), eps) if bug == _EPS_FLOOR else avg
    if bug == f"{_BARE}-stored":  # g / square_avg as stored: no root, no eps, and the centering passed by too
        avg = uncentered
    if bug in _ROOT_OVER_DIFFERENCE and hp["centered"]:  # the mean taken off outside the root of v
        avg = np.sqrt(uncentered) - _ROOT_OVER_DIFFERENCE[bug](state["mean"]) + eps
    if bug == "saved-state-overwritten" and not hp["centered"]:  # np.sqrt(v, out=v): v replaced by its root
        state["v"] = np.sqrt(v)
    if bug == _ROOT_EPS_STORED and not hp["centered"]:  # np.sqrt(v, out=v); v += eps: v replaced by the denominator
        state["v"] = np.sqrt(v) + eps
    g = _grad_in_step(raw, g, bug)
    if mo > 0:
        if bug in ("momentum-before-scaling", _RAW_IN_BUFFER):  # the buffer accumulates g, not the scaled g / avg
            state["b"] = mo * state.get("b", 0.0) + g
            # divided at the step, or (_RAW_IN_BUFFER) never: SGD's momentum step, lr * b, the scaling thrown away
            return p - hp["lr"] * (state["b"] if bug == _RAW_IN_BUFFER else state["b"] / avg)
        if bug == _BUFFER_DIVIDED:  # (momentum * buf + g) / avg: the old velocity divided again at every step
            state["b"] = (mo * state.get("b", 0.0) + g) / avg
            return _after_scaling(p, state["b"], hp["lr"], hp, bug)
        scaled = g // avg if bug == _FLOORED else g / avg
        if bug == f"{_COPIED}buffer-in-mean" and hp["centered"]:  # the velocity kept in grad_avg's entry
            state["mean"] = mo * state["mean"] + scaled  # (the next step's running mean starts from it)
            return _after_scaling(p, state["mean"], hp["lr"], hp, bug)
        if bug == _VELOCITY_STALE:  # p -= lr * buf above the buffer's update: the step moves along the old velocity
            old = state.get("b", np.zeros_like(p))
            state["b"] = mo * old + scaled
            return _after_scaling(p, old, hp["lr"], hp, bug)
        weight = {"momentum-as-average": 1 - mo, _TIMES_SUM: mo}.get(bug, 1.0)  # _TIMES_SUM: momentum * (b + g / avg)
        state["b"] = mo * state.get("b", 0.0) + weight * scaled
        if bug == "divided-twice":  # the buffer holds g / avg already, and the step divides by avg again
            return _after_scaling(p, state["b"] / avg, hp["lr"], hp, bug)
        if bug == "missing-else":  # the plain step lost its else: the momentum step and the plain step both apply
            return _after_scaling(p, state["b"] + g / avg, hp["lr"], hp, bug)
        if bug != "momentum-ignored":  # that bug keeps the buffer up to date and steps along g / avg all the same
            return _after_scaling(p, state["b"], hp["lr"], hp, bug)
    avg = avg * avg if bug == "divided-twice" else avg
    if bug == _FLOORED:
        return _after_scaling(p, g // avg, hp["lr"], hp, bug)
    return _after_scaling(p, (1.0 if bug == "gradient-missing" else g) / avg, hp["lr"], hp, bug)


def _adadelta(p: np.ndarray, g: np.ndarray, state: dict, t: int, hp: dict, bug: str) -> np.ndarray:
    rho, eps, lr = hp["rho"], hp["eps"], hp["lr"]
    swapped = (1 - rho, rho)
    old_v, new_v = swapped if bug in ("rho-swapped", "rho-swapped#square-avg") else (rho, 1 - rho)
    old_u, new_u = swapped if bug in ("rho-swapped", "rho-swapped#acc-delta") else (rho, 1 - rho)
    raw, g = g, _decayed(p, g, hp, bug)
    v_before = state.get("v", 0.0)
    share_v = 1.0 if bug == "rho-complement-missing" else new_v
    u = state.get("u", 0.0)
    read_v = u if bug == f"{_COPIED}v" else v_before  # square_avg = rho * acc_delta + ...: the other average
    started = _starts_here(bug, state, "v")
    old_v = 1.0 if bug == f"{_NOT_DECAYED}square-avg" else old_v  # square_avg + (1 - rho) * g^2: a growing sum
    v = state["v"] = old_v * read_v + _blended(share_v, _squares(raw, g, bug), rho, bug, "rho")
    if started:
        v = state["v"] = g * g
    if bug == _ALIASED:  # square_avg and acc_delta one array, updated in place: acc_delta holds square_avg's new value
        u = v
    if bug == _EPS_STORED:  # eps added into the stored average, and then left out of its root
        v = state["v"] = v + eps
    std = np.sqrt((v_before if bug == "adadelta-stale-average" else v) + (0.0 if bug == _EPS_STORED else eps))
    if bug in _ADADELTA_OVERWRITTEN[::2]:  # square_avg += eps; np.sqrt(square_avg, out=square_avg): std kept as v
        state["v"] = std
    # acc_delta += eps; np.sqrt(acc_delta, out=acc_delta): the numerator's root kept, and acc_delta's update goes on
    # from it
    rooted_u = np.sqrt(u + eps) + np.zeros_like(p) if bug in _ADADELTA_OVERWRITTEN[1:] else None
    g = _grad_in_step(raw, _squared_in_place(g, bug), bug)
    if bug == "adadelta-eps-outside-sqrt":
        delta = (np.sqrt(u) + eps) / (np.sqrt(v) + eps) * g
    elif bug == "adadelta-eps-outside-sqrt#numerator":
        delta = (np.sqrt(u) + eps) / std * g
    elif bug == "adadelta-eps-outside-sqrt#denominator":
        delta = np.sqrt(u + eps) / (np.sqrt(v) + eps) * g
    elif bug.startswith(_ROOT_SPLIT):  # sqrt(x + eps) split into sqrt(x) + sqrt(eps), as if the root were linear
        part = bug.partition("@")[2]
        top = np.sqrt(u) + np.sqrt(eps) if part != "denominator" else np.sqrt(u + eps)
        delta = top / (np.sqrt(v) + np.sqrt(eps) if part != "numerator" else std) * g
    elif bug == "adadelta-eps-numerator-missing":
        delta = np.sqrt(u) / std * g
    elif bug == _EPS_MISSING_BELOW:  # sqrt(u + eps) / sqrt(v): the denominator's eps left out, 0/0 where v is 0
        delta = np.sqrt(u + eps) / np.sqrt(v) * g
    elif bug == _RATIO_UNBRACKETED:  # sqrt(u + eps / v + eps): the division before the additions
        delta = np.sqrt(u + eps / v + eps) * g
    elif bug == f"{_COPIED}numerator":  # sqrt(square_avg + eps) / sqrt(square_avg + eps): the ratio is 1
        delta = std / std * g
    elif bug == "adadelta-ratio-inverted":
        delta = std / np.sqrt(u + eps) * g
    elif bug.startswith("sqrt-missing"):  # a root left out of the numerator, the denominator or both
        part = bug.partition("#")[2]
        delta = (np.sqrt(u + eps) if part == "denominator" else u + eps) / (std if part == "numerator" else v + eps) * g
    elif bug == "root-scope":  # sqrt((u + eps) / std): the root over a ratio whose denominator is a root already
        delta = np.sqrt((u + eps) / std) * g
    elif bug == "gradient-missing":  # RMS(steps) / RMS(g) without the factor g: always positive
        delta = np.sqrt(u + eps) / std
    elif bug == "precedence#gradient-in-denominator":  # sqrt(u + eps) / (std * g)
        delta = np.sqrt(u + eps) / (std * g)
    elif bug == f"{_HALVED}-numerator":
        delta = (u + eps) / 2 / std * g
    elif bug == f"{_HALVED}-denominator":
        delta = np.sqrt(u + eps) / ((v + eps) / 2) * g
    elif rooted_u is not None:
        delta = rooted_u / std * g
    else:
        delta = np.sqrt(u + eps) / std * g
    if bug == f"{_AFTER}#before-accumulator":  # delta + weight_decay * p, and acc_delta averages that sum's square
        delta = delta + hp["weight_decay"] * p
    kept = {"adadelta-lr-in-accumulator": lr * delta, "adadelta-accumulates-gradient": g}.get(bug, delta)
    read_u = v if bug == f"{_COPIED}u" else u  # acc_delta = rho * square_avg + ...: the line above's state
    read_u = rooted_u if rooted_u is not None else read_u
    old_u = 1.0 if bug == f"{_NOT_DECAYED}acc-delta" else old_u
    # acc_delta fed |delta|, or (#signed) delta itself: a negative running "square" whose root is nan
    added = {
        "adadelta-step-not-squared": np.abs(kept),
        "gradient-not-squared#step-signed": kept,
        # delta * g: the step's square written with the gradient, the factor of the line above, for one delta
        "gradient-not-squared#step-times-gradient": kept * g,
    }.get(bug, kept * kept)
    state["u"] = _lerp(bug, "u", read_u, old_u * read_u + new_u * added)
    if bug == _ALIASED:  # ... and square_avg holds acc_delta's, the one array's last value
        state["v"] = state["u"]
    if bug == "adadelta-accumulator-order":  # the step read acc_delta after its update
        delta = np.sqrt(state["u"] + eps) / std * g
    return _after_scaling(p, delta, 1.0 if bug == "adadelta-lr-ignored" else lr, hp, bug)


def _quotient(a: float, b: float) -> float:
    """``a / b`` as the student's Python floats compute it: ``Undefined`` where ``b`` is 0 (ZeroDivisionError)."""
    if b == 0:
        raise Undefined(f"{a} / 0")
    return a / b


_ADAMW_FACTORS = {  # p *= factor: AdamW's decoupled decay as each bug writes it
    "adamw-decay-without-lr": lambda lr, wd, c1: 1 - wd,
    "adamw-decay-uses-lr-only": lambda lr, wd, c1: 1 - lr,
    "adamw-decay-lr-squared": lambda lr, wd, c1: 1 - lr * lr * wd,
    "adamw-decays-twice": lambda lr, wd, c1: (1 - lr * wd) ** 2,
    "weight-decay-doubled": lambda lr, wd, c1: 1 - 2 * lr * wd,
    "weight-decay-halved": lambda lr, wd, c1: 1 - 0.5 * lr * wd,  # the 1/2 of weight_decay/2 * |p|^2 kept
    "adamw-decay-factor-without-one": lambda lr, wd, c1: lr * wd,  # p *= lr * weight_decay
    "adamw-decay-with-step-size": lambda lr, wd, c1: 1 - lr / c1 * wd,
    "weight-decay-wrong-sign": lambda lr, wd, c1: 1 + lr * wd,
    "precedence#decay-factor": lambda lr, wd, c1: (1 - lr) * wd,  # (1 - lr) * weight_decay
    # the default lr written in where the decay reads lr (the step keeps self.lr)
    f"hyperparameter-ignored#lr={DEFAULT_LR['adamw']}@decay": lambda lr, wd, c1: 1 - DEFAULT_LR["adamw"] * wd,
    # a factor equal to 1 - lr * weight_decay to first order only: p /= 1 + lr * wd, p *= exp(-lr * wd)
    "decay-factor-form": lambda lr, wd, c1: 1 / (1 + lr * wd),
    "decay-factor-form#exp": lambda lr, wd, c1: float(np.exp(-lr * wd)),
    # the complement of the product lr * weight_decay written as the product of the complements: an extra factor
    # 1 - lr (and + lr * weight_decay), a shrink by lr whatever weight_decay is
    "decay-factor-form#split": lambda lr, wd, c1: (1 - lr) * (1 - wd),
    # the product lr * weight_decay written as a quotient (the decay "undone" from lr): a division by zero raises
    "decay-factor-form#divided-by-lr": lambda lr, wd, c1: 1 - _quotient(wd, lr),
    "decay-factor-form#lr-over-decay": lambda lr, wd, c1: 1 - _quotient(lr, wd),
    # the factor computed once and kept where every AdamW reads it (on the class, a module global, a shared default
    # argument): every optimizer decays with the first one's, and the grader builds its first AdamW with the defaults
    "cached-first-call#decay-factor": lambda lr, wd, c1: 1 - DEFAULT_LR["adamw"] * DEFAULT_WEIGHT_DECAY["adamw"],
}


# The bias corrections computed at the first step and kept (cached on self or in the state): 1 - beta^1 ever after.
_CORRECTIONS_CACHED = "cached-first-call#bias-correction"
# The bias corrections c = 1 - beta^t as each bug applies them: m / c1^power1 in the step and
# sqrt(v) / c2^power2 in the denominator (right: 1 and 1/2).
_CORRECTION_POWERS: dict[str, tuple[float, float]] = {
    "adam-no-bias-correction": (0.0, 0.0),
    "adam-no-bias-correction-m": (0.0, 0.5),
    "adam-no-bias-correction-v": (1.0, 0.0),
    "bias-correction-sqrt": (1.0, 1.0),  # also v corrected twice: sqrt(v / c2^2)
    "bias-correction-sqrt#swapped": (0.5, 1.0),
    "bias-correction-sqrt#m": (0.5, 0.5),
    "bias-correction-sqrt#inside": (1.0, 0.25),  # sqrt(v / sqrt(c2)): the rooted correction rooted again
    "bias-correction-inverted": (1.0, -0.5),
    "bias-correction-inverted#m": (-1.0, 0.5),
    "bias-correction-twice#m": (2.0, 0.5),  # m_hat = m / c1, and the step size lr / c1 as well
    "bias-correction-twice": (2.0, 1.0),
}


# The second moment fed the square of the first moment, exp_avg_sq averaging exp_avg ** 2 where g * g belongs (the
# state on the line above read for the gradient): m after its update, or (``#old-m``) before it.
_FED_STATE: dict[str, Callable[[np.ndarray, Any], np.ndarray]] = {
    f"{_COPIED}v-from-m": lambda m, before: m * m,
    f"{_COPIED}v-from-m#old-m": lambda m, before: np.asarray(before) ** 2 + np.zeros_like(m),
}


def _adam(p: np.ndarray, g: np.ndarray, state: dict, t: int, hp: dict, bug: str, decoupled: bool) -> np.ndarray:
    lr, wd, eps = hp["lr"], hp["weight_decay"], hp["eps"]
    b1, b2 = hp["betas"][::-1] if bug == "betas-swapped" else hp["betas"]
    raw = g
    if wd != 0 and bug not in ("weight-decay-ignored", "result-discarded"):  # (AdamW's decay computed, not stored)
        if decoupled != (bug.partition("#")[0] in ("adamw-l2-decay", "adam-decoupled-decay")):
            factor = _ADAMW_FACTORS.get(bug, lambda lr, wd, c1: 1 - lr * wd)(lr, wd, 1 - b1**t)
            factor = (1 - lr * wd) ** t if bug == _DECAY_POWERED else factor
            if bug.startswith("adamw-decays-gradient"):  # the factor on the gradient or the step, not on p
                g = g * factor if bug == "adamw-decays-gradient" else g
            elif (shape := bug.partition("#")[0]) in _DECAY_SHAPES:  # p -= lr * wd * (1, sign(p) or g), not * p
                p = p - (wd if bug.endswith("#without-lr") else lr * wd) * _DECAY_SHAPES[shape](p, g)
            elif bug != "adamw-decay-after-step":
                p = p * factor
            if bug.startswith("adamw-decay-and-l2"):  # both AdamW's decay and Adam's L2 term
                g = g + wd * (p / factor if bug.endswith("#before") else p)
        else:  # #times-lr: AdamW's lr * weight_decay * p added to the gradient, L2's place
            g = _decayed(p, g, hp, "weight-decay-times-lr" if bug == _L2_TIMES_LR else bug)
    state["m_before"], state["v_before"] = state.get("m", 0.0), state.get("v", 0.0)
    keep1, new1 = {
        "beta1-swapped": (1 - b1, b1),
        "beta1-complement-missing": (b1, 1.0),
        "betas-swapped#m-share": (b1, 1 - b2),  # m's line copied from v's: its share kept (1 - beta2)
        f"{_NOT_DECAYED}exp-avg": (1.0, 1 - b1),  # m + (1 - beta1) * g: a growing sum
    }.get(bug, (b1, 1 - b1))
    first = _starts_here(bug, state, "m") and _starts_here(bug, state, "v")  # m = g, v = g^2 at the first step
    averaged = raw if bug == "weight-decay-not-accumulated" else g  # m from p.grad, without the L2 term
    read_m = state.get("v", 0.0) if bug == f"{_COPIED}m" else state.get("m", 0.0)  # exp_avg = beta1 * exp_avg_sq + ...
    m = state["m"] = g if first else keep1 * read_m + _blended(new1, averaged, b1, bug, "beta1")
    m = state["m"] = _lerp(bug, "m", read_m, m)
    if bug == "squared-after-average":  # the running average of g, squared
        state["g_avg"] = b2 * state.get("g_avg", 0.0) + (1 - b2) * g
        v = state["v"] = state["g_avg"] ** 2
    elif bug in ("beta2-swapped", "beta2-complement-missing"):
        keep2, new2 = (1 - b2, b2) if bug == "beta2-swapped" else (b2, 1.0)
        v = state["v"] = keep2 * state.get("v", 0.0) + new2 * g * g
    else:
        # v fed the square of a state entry where g^2 belongs (_FED_STATE): the first moment, new or before its update
        fed = _FED_STATE[bug](m, state["m_before"]) if bug in _FED_STATE else _squares(raw, g, bug)
        v = state["v"] = (
            g * g
            if first
            else (1.0 if bug == f"{_NOT_DECAYED}exp-avg-sq" else b2) * state.get("v", 0.0)
            + _blended(1 - (b1 if bug == "betas-swapped#v-share" else b2), fed, b2, bug, "beta2")
        ) + (eps if bug == _EPS_STORED else 0.0)
    if bug == _ALIASED:  # exp_avg and exp_avg_sq one array, updated in place: v averages m's new value, and m is v
        v = state["v"] = b2 * m + (1 - b2) * g * g
        m = state["m"] = v
    if bug == f"{_KEY_MISMATCH}v>m":  # exp_avg_sq's update stored under exp_avg: the step reads v as m, and v itself
        m = state["m"] = v  # never carries over (it stays at zeros)
        del state["v"]
    beta_m, beta_v = {
        "bias-correction-betas-swapped": (b2, b1),
        "bias-correction-betas-swapped#m": (b2, b2),
        "bias-correction-betas-swapped#v": (b1, b1),
    }.get(bug, (b1, b2))
    c1, c2 = (1 - beta_m, 1 - beta_v) if bug == _CORRECTIONS_CACHED else (1 - beta_m**t, 1 - beta_v**t)
    if bug.startswith("bias-correction-precedence"):  # (1 - beta)^t written for 1 - beta^t
        part = bug.partition("#")[2]
        c1, c2 = (1 - beta_m) ** t if part != "v" else c1, (1 - beta_v) ** t if part != "m" else c2
    if bug.startswith("bias-correction-power"):  # 1 - beta * t: a * typed for the power **
        part = bug.partition("#")[2]
        c1, c2 = 1 - beta_m * t if part != "v" else c1, 1 - beta_v * t if part != "m" else c2
    # Each correction missing, rooted, inverted or applied twice: below, the step is lr * m / c1 and
    # the denominator sqrt(v) / sqrt(c2) + eps.
    power1, power2 = _CORRECTION_POWERS.get(bug, (1.0, 0.5))
    c1, c2 = c1**power1, c2 ** (2 * power2)
    if bug.startswith("corrected-moment-stored"):  # m /= 1 - beta1^t written back into the state
        part = bug.partition("#")[2]
        if part != "v":
            m, c1 = m / c1, 1.0
            state["m"] = m
        if part != "m":
            v, c2 = v / c2, 1.0
            state["v"] = v
    if bug == _V_BEFORE:  # v = state["exp_avg_sq"] read before the line that updates it: last step's average
        v = state["v_before"] + np.zeros_like(m)
    if bug == _V_FROM_MAX:  # v = state["max_exp_avg_sq"]: zeros, and amsgrad's max(max, v) keeps them zeros
        v = state.get("vmax", np.zeros_like(m))
    if hp["amsgrad"] and bug != "amsgrad-ignored":
        if bug == "amsgrad-max-of-corrected":
            v = state["vmax"] = np.maximum(state.get("vmax", 0.0), v / c2)
            c2 = 1.0
        elif bug == "amsgrad-wrong-operand#all-entries":  # np.maximum(vmax.max(), v): one number, not per entry
            v = state["vmax"] = np.maximum(np.max(state.get("vmax", 0.0)), v)
        elif bug == _MAX_OF_LAST:  # np.maximum(v_old, v): the last step's average, no running maximum kept
            v = np.maximum(state["v_before"], v)
        elif bug == _MAX_STALE:  # v = state["max_exp_avg_sq"] above the line that updates it: last step's maximum
            old = state.get("vmax", np.zeros_like(m))
            state["vmax"], v = np.maximum(old, v), old
        elif bug == _MAX_DISCARDED:  # np.maximum(v_max, v) on a line of its own: the maximum never stored, and the
            v = state["vmax"] = state.get("vmax", np.zeros_like(m))  # denominator reads the stored one, zeros
        else:  # the maximum of the first moment m, its line's neighbour, where v belongs
            v = state["vmax"] = np.maximum(state.get("vmax", 0.0), m if bug == f"{_COPIED}vmax" else v)
        if bug == "amsgrad-max-replaces-average":  # the maximum stored into v too: the average goes on from it
            state["v"] = v
    denom = {
        "eps-inside-sqrt": lambda: np.sqrt(v / c2 + eps),
        "eps-inside-sqrt#before-correction": lambda: np.sqrt((v + eps) / c2),
        "adam-eps-hat": lambda: (np.sqrt(v) + eps) / np.sqrt(c2),
        "sqrt-missing": lambda: v / c2 + eps,
        _BARE: lambda: v / c2,
        _HALVED: lambda: v / 2 / np.sqrt(c2) + eps,
        "precedence#correction-root-halved": lambda: np.sqrt(v) / (c2 / 2) + eps,
        _EPS_STORED: lambda: np.sqrt(v) / np.sqrt(c2),
        _EPS_FLOOR: lambda: np.maximum(np.sqrt(v) / np.sqrt(c2), eps),
    }.get(bug, lambda: np.sqrt(v) / np.sqrt(c2) + eps)()
    step_size = lr / c1
    if bug == "hyperparameter-overwritten#bias-correction":  # self.lr = self.lr / (1 - beta1^t): lr keeps shrinking
        step_size = lr / float(np.prod(1 - beta_m ** np.arange(1, t + 1)))
    if bug == "precedence#step-size":  # lr / 1 - beta1**t: the division before the subtraction
        step_size = lr - beta_m**t
    if bug == "momentum-ignored#first-moment":  # m kept up to date, the step along g all the same
        m = g
    if bug == "adamw-decays-gradient#step":
        step_size *= 1 - lr * wd
    if bug == "accumulator-after-step":  # the step read m and v from before this step's g joined them
        m, denom = state["m_before"], np.sqrt(state["v_before"]) / np.sqrt(c2) + eps
    if bug == _M_STALE:  # m read above its update: last step's average (zeros at the first step)
        m = state["m_before"] + np.zeros_like(denom)
    if bug == _LOOK_AHEAD:  # NAdam's look-ahead: the next step's m, with this g, where the step reads m itself
        m = b1 * m + (1 - b1) * g
    p = p - step_size * (m // denom if bug == _FLOORED else m / (denom * denom if bug == "divided-twice" else denom))
    if bug == "saved-state-overwritten":  # np.divide(m, denom, out=m) or m /= denom: the first moment is now the step
        state["m"] = m / denom
    if bug in _ADAM_OVERWRITTEN:  # the denominator's array (v, or amsgrad's maximum) rooted in place
        state["vmax" if hp["amsgrad"] else "v"] = _ADAM_OVERWRITTEN[bug](v, c2, eps)
    if bug == "adamw-decay-after-step" and wd != 0:
        p = p * (1 - lr * wd)
    return p


# Adam's second moment read before its update (``v = state["exp_avg_sq"]`` moved above the update), and read from the
# amsgrad maximum's key, which stays zeros when amsgrad is off and, read so, when it is on.
_V_BEFORE = "accumulator-after-step#v"
_V_FROM_MAX = "state-key-mismatch#v-read-from-vmax"
# amsgrad's maximum computed and never stored (np.maximum(v_max, v) on a line of its own, as if it worked in place):
# max_exp_avg_sq stays zeros while exp_avg_sq moves, and the denominator, which rightly reads the maximum, is eps alone.
# With amsgrad on, the numbers of _V_FROM_MAX; the cases without amsgrad, right for this one, tell them apart.
_MAX_DISCARDED = "result-discarded#amsgrad-max"
# amsgrad's maximum read before its update: with amsgrad on, the numbers of _V_BEFORE, which the cases without amsgrad
# (right for this one, wrong for that) tell apart.
_MAX_STALE = "saved-state-stale#amsgrad-max"
# amsgrad's maximum taken against the last step's second moment, np.maximum(v_old, v), where the running maximum of
# every v so far belongs (kept in max_exp_avg_sq): the denominator may shrink after two smaller steps in a row.
_MAX_OF_LAST = "amsgrad-wrong-operand#previous-average"
# The first moment read before its update (``m = state["exp_avg"]`` above the line that updates it): each step moves
# along last step's average, zeros at the first step (which does not move).
_M_STALE = "saved-state-stale#first-moment"
# The step's numerator the look-ahead beta1 * m + (1 - beta1) * g (NAdam's Nesterov momentum), where Adam's is m.
_LOOK_AHEAD = "nesterov-wrong-operand#look-ahead-moment"
# AdamW's factor raised to the step count, p *= (1 - lr * weight_decay) ** t: the decay of all t steps so far applied
# again at every step, so it compounds (t(t + 1) / 2 factors after t steps).
_DECAY_POWERED = "decay-factor-form#power-of-step"


# The test for the first step kept on the optimizer (a flag, a step count), not per parameter: the first parameter's
# first step sets it, so every other parameter's first step is taken as a later one and averages into zeros.
_FLAG_SHARED = "state-shared-between-parameters#first-step"


# Each formula's update rule (the keys of optimizer_mistake_texts.MISTAKES).
RULES: dict[str, Callable[..., np.ndarray]] = {
    "sgd": _sgd,
    "adagrad": _adagrad,
    "rmsprop": _rmsprop,
    "adadelta": _adadelta,
    "adam": partial(_adam, decoupled=False),
    "adamw": partial(_adam, decoupled=True),
}


# Two running averages stored under each other's keys (state[a], state[b] = new_b, new_a: a tuple assignment
# written crosswise): each step reads each average from the other's last value. The pair, by the simulator's keys.
_CROSSWISE = "saved-values-swapped"
_PAIRS = {"adadelta": ("v", "u"), "adam": ("m", "v"), "adamw": ("m", "v"), "rmsprop": ("v", "mean")}


# The step count t each bookkeeping mistake gives at step k (after ``calls`` parameter updates).
_STEP_COUNTS: dict[str, Callable[[int, int], int]] = {
    "t-counted-per-parameter": lambda k, calls: calls,
    "step-count-not-kept": lambda k, calls: 1,
    "step-count-off-by-one": lambda k, calls: k + 1,  # started at 1, or incremented before use
    "step-count-off-by-one#late": lambda k, calls: k - 1,  # incremented after use: t = 0 at the first step
    "step-count-doubled": lambda k, calls: 2 * k,  # incremented twice per step()
    "step-count-doubled#late": lambda k, calls: 2 * k - 1,  # incremented before use and again after
}


def _with_constant(hp: dict[str, Any], key: str, value: float) -> dict[str, Any]:
    """``hp`` with one hyper-parameter replaced by ``value`` (``beta1`` and ``beta2`` inside ``betas``)."""
    if key in ("beta1", "beta2"):
        betas = list(hp["betas"])
        betas[key == "beta2"] = value
        return {**hp, "betas": tuple(betas)}
    return {**hp, key: value}


def _hyperparameter(hp: dict[str, Any], key: str) -> float:
    """One hyper-parameter's value (``beta1`` and ``beta2`` from inside ``betas``)."""
    return float(hp["betas"][key == "beta2"]) if key in ("beta1", "beta2") else float(hp[key])


# One running entry's new value stored under the key of an entry updated earlier in the step (state["grad_avg"] = ...
# on the velocity's line, the key copied from the line above): ``#<source>><target>`` by the simulator's keys. The
# step reads the value it just stored, the target's own update of this step is overwritten, and the source keeps its
# old value (zeros), so it never accumulates.
_KEY_MISMATCH = "state-key-mismatch#"


def _store_under_other_key(state: dict, bug: str, kept_source: Any) -> None:
    """After the rule's step: the source entry's new value moved to the target's key, the source left as it was."""
    source, _, target = bug.partition("#")[2].partition(">")
    if source not in state:
        return
    state[target] = state[source]
    if kept_source is None:
        del state[source]
    else:
        state[source] = kept_source


def simulate(
    formula: str,
    hp: dict[str, Any],
    arrays: list[np.ndarray],
    grads: list[list[np.ndarray]],
    bug: str = "",
    forced: Trajectory | None = None,
    states_out: list[dict] | None = None,
) -> Trajectory:
    """The trajectory of the update rule of ``formula`` with one ``bug`` switched on.

    With ``forced`` (a trajectory, the student's), every step starts from the position ``forced``
    reached at the step before: the rule's own step from where the student stood. ``states_out``, a
    list, receives each parameter's state after the last step (what the optimizer keeps between calls).

    Bugs of the bookkeeping: ``state-reset`` (fresh state at every step), ``step-count-not-kept``
    (t = 1 at every step), ``t-counted-per-parameter`` (t grows once per parameter); and
    ``ascent``: every update applied with the wrong sign (``p += ...``); ``eps-default``: eps
    fixed at its docs/api.md default; ``zero-gradient-skipped``: a parameter whose gradient is all
    zero is left alone (state included), as ``if not p.grad.any(): continue`` does;
    ``grad-references-kept``: the gradient arrays of the first step are read ever after;
    ``state-reset#<key>``: that state entry alone starts afresh at every step (an update computed in a
    local variable and never written back; ``#<key>+<key>``: two of them, read into locals together);
    ``state-reset#<key>@first``: that entry written back at the first step only, so every later step
    starts from its first value;
    ``step-count-off-by-one``: t = 2 at the first step (``#late``: t = 0); ``step-count-doubled``: t = 2k;
    ``eps-missing``, ``lr-ignored`` and ``lr-applied-twice``: the rule with eps = 0, lr = 1 or lr^2 in
    place of lr; ``state-shared``: parameters of the same shape share one state (the only sharing
    that does not crash on parameters of other shapes); ``decay-skips-biases``: no weight decay on
    parameters of fewer than two axes (biases).
    """
    # Mistakes of a hyper-parameter: the rule as written, with another value.
    if bug in ("eps-default", "eps-missing"):
        hp, bug = {**hp, "eps": DEFAULT_EPS[formula] if bug == "eps-default" else 0.0}, ""
    elif bug in ("lr-applied-twice", "lr-ignored"):
        hp, bug = {**hp, "lr": hp["lr"] ** 2 if bug == "lr-applied-twice" else 1.0}, ""
    # a boolean option always on (``_FLAG_ON``), or a hyper-parameter with its neighbour's value (``_ARGUMENT_COPIED``)
    if bug.startswith(_FLAG_ON) and bug.partition("#")[2] in hp:
        hp, bug = {**hp, bug.partition("#")[2]: True}, ""
    elif bug.startswith(_ARGUMENT_COPIED) and "<>" in bug:  # two hyper-parameters that exchanged values
        first, _, second = bug.partition("#")[2].partition("<>")
        swapped = _with_constant(hp, first, _hyperparameter(hp, second))
        hp, bug = _with_constant(swapped, second, _hyperparameter(hp, first)), ""
    elif bug.startswith(_ARGUMENT_COPIED) and "=" in bug:
        key, _, source = bug.partition("#")[2].partition("=")
        hp, bug = _with_constant(hp, key, _hyperparameter(hp, source)), ""
    # a hyper-parameter at docs/api.md's default whatever the caller passed (AdamW's constructor not passing it on to
    # Adam's, or the default stored): ``hyperparameter-ignored#<key>=default``
    if bug.startswith("hyperparameter-ignored#") and bug.endswith("=default"):
        key = bug.partition("#")[2].removesuffix("=default")
        hp, bug = {**hp, key: API_DEFAULTS[formula][key]}, ""
    # ``self.key = key or default``: a valid 0 replaced by docs/api.md's default (the test for "not given" is falsy)
    if bug.startswith(_ZERO_UNSET):
        key = bug.partition("#")[2]
        value = ZERO_DEFAULTS[formula][key] if _hyperparameter(hp, key) == 0 else _hyperparameter(hp, key)
        hp, bug = _with_constant(hp, key, value), ""
    # a decay rate written as a textbook number (``@<where>``: in one use alone, which the rule itself applies)
    if bug.startswith("hyperparameter-ignored#") and "@" not in bug:
        key, _, value = bug.partition("#")[2].partition("=")
        # ``=<name>``: stored from that neighbour's argument (the caller's own value ignored); else a written number
        number = _hyperparameter(hp, value) if value in hp else float(value)
        hp, bug = _with_constant(hp, key, number), ""
    # eps subtracted from p with the step (p -= lr * g / sqrt(v) + eps) instead of added to the denominator
    shift = 0.0
    if bug.startswith("eps-added-to-step"):
        shift = hp["eps"] * (hp["lr"] if bug.endswith("#times-lr") else 1.0)
        hp, bug = {**hp, "eps": 0.0}, ""
    ps = [np.array(a, dtype=np.float64) for a in arrays]
    states: list[dict] = [{} for _ in ps]
    if bug == "state-shared":
        by_shape: dict[tuple[int, ...], dict] = {}
        states = [by_shape.setdefault(p.shape, state) for p, state in zip(ps, states, strict=True)]
    # state-reset#<key>@first: that entry written back at the first step only; its value then, per parameter
    stored_once = bug.partition("#")[2].removesuffix("@first") if bug.endswith("@first") else ""
    firsts: list[Any] = [None for _ in ps]
    trajectory, calls = [], 0
    for k, gs in enumerate(grads, 1):
        for i, g in enumerate(gs):
            calls += 1
            t = _STEP_COUNTS.get(bug, lambda k, calls: k)(k, calls)
            if bug == "state-reset":
                states[i] = {}
            elif stored_once:
                if firsts[i] is not None:
                    states[i][stored_once] = firsts[i]
            elif bug.startswith("state-reset#"):  # entries computed each step but never written back (a+b: two)
                for key in bug.partition("#")[2].split("+"):
                    states[i].pop(key, None)
            elif bug.startswith("state-started-at-ones#") and k == 1:  # np.ones_like where zeros belong
                states[i][bug.partition("#")[2]] = np.ones_like(ps[i])
            elif bug == _FLAG_SHARED and k == 1 and i > 0:  # the first parameter's first step marked all started
                states[i]["b"] = np.zeros_like(ps[i])
            if forced is not None and k > 1:
                ps[i] = np.array(forced[k - 2][i], dtype=np.float64)
            if bug == "zero-gradient-skipped" and not np.any(g):
                continue
            if bug == "return-inside-loop" and i > 0:  # step() returned after updating the first parameter
                continue
            if bug == "grad-references-kept" and k > 1:
                # the arrays read at the first step, zeroed in place by the next zero_grad()
                # while p.grad was rebound to new ones
                g = np.zeros_like(g)
            if bug.startswith(_CLIPPED):
                g = _clipped(np.asarray(g, dtype=np.float64), gs, bug)
            # decay-skips-biases: weight decay applied to parameters of two or more axes only (no decay on biases)
            own = {**hp, "weight_decay": 0.0} if bug == "decay-skips-biases" and ps[i].ndim < 2 else hp
            source = bug.partition("#")[2].partition(">")[0] if bug.startswith(_KEY_MISMATCH) else ""
            kept_source = states[i].get(source) if source else None
            new = RULES[formula](ps[i], np.asarray(g, dtype=np.float64), states[i], t, own, bug)
            if bug.startswith(_KEY_MISMATCH):
                _store_under_other_key(states[i], bug, kept_source)
            new = ps[i] if bug == _DISCARDED else new
            ps[i] = 2 * ps[i] - new if bug == "ascent" else new - shift
            if bug == _CROSSWISE and formula in _PAIRS and all(key in states[i] for key in _PAIRS[formula]):
                first, second = _PAIRS[formula]
                states[i][first], states[i][second] = states[i][second], states[i][first]
            if stored_once and firsts[i] is None and stored_once in states[i]:
                firsts[i] = np.copy(states[i][stored_once])
        trajectory.append([p.copy() for p in ps])
    if states_out is not None:
        states_out.extend(states)
    return trajectory


def flat_changes(trajectory: Trajectory, arrays: list[np.ndarray]) -> np.ndarray:
    return np.concatenate([(p - a).reshape(-1) for ps in trajectory for p, a in zip(ps, arrays, strict=False)])


def same_trajectory(a: Trajectory, b: Trajectory, arrays: list[np.ndarray]) -> bool:
    return agrees(flat_changes(a, arrays), flat_changes(b, arrays), rtol=settings.TRAJECTORY_RTOL)


def same_steps(a: Trajectory, b: Trajectory, arrays: list[np.ndarray]) -> bool:
    """:func:`same_trajectory` where nan or inf may appear: nan for nan, inf for inf, the rest to the tolerance."""
    return _same(flat_changes(a, arrays), flat_changes(b, arrays))


def _named(formula: str, tags: list[str]) -> tuple[str, str]:
    """One tag and sentence for mistakes that all reproduce the same numbers.

    One mistake (or two names of one) is named. Different mistakes this case cannot tell
    apart are all named, in one sentence under a joint tag, so that none is picked at random.
    """
    bases = list(dict.fromkeys(tag.partition("#")[0] for tag in tags))
    if len(bases) == 1:
        return tags[0], MISTAKES[formula][tags[0]]
    if frozenset(bases) in ONE_MISTAKE:
        return ONE_MISTAKE[frozenset(bases)]
    first = [next(t for t in tags if t.partition("#")[0] == base) for base in bases]
    texts = "; or ".join(MISTAKES[formula][t] for t in first)
    return "+".join(bases), f"one of {len(bases)} mistakes, which this case cannot tell apart: {texts}"


# Every submission graded on one case meets the same simulated mistakes: the case's numbers alone decide them. A
# batch of students (or the suite's mutants) simulates each case once per process; a case's entry is a few KB.
_SIMULATED: dict[bytes, dict[str, np.ndarray]] = {}
_SIMULATED_CASES = 256


def _case_key(formula: str, hp: dict[str, Any], finite: bool, *arrays: np.ndarray) -> bytes:
    """A digest of everything :func:`_simulated` reads: the rule, its settings and the case's arrays, bit for bit."""
    digest = hashlib.blake2b(repr((formula, sorted(hp.items()), finite)).encode(), digest_size=16)
    for array in arrays:
        array = np.ascontiguousarray(array)
        digest.update(repr((array.shape, array.dtype.str)).encode())
        digest.update(array.tobytes())
    return digest.digest()


def _simulated(
    formula: str,
    hp: dict[str, Any],
    arrays: list[np.ndarray],
    grads: list[list[np.ndarray]],
    expected: Trajectory,
    finite: bool = True,
) -> dict[str, np.ndarray]:
    """``tag -> flat parameter changes`` of every known mistake that changes this trajectory (read-only arrays,
    shared by every submission graded on the same case: see ``_SIMULATED``).

    With ``finite`` False, a mistake that makes some entries nan (0/0 without eps, a division by g) is kept when
    a share of its entries stays finite (``settings.NONFINITE_PREDICTION_SHARE``): nan where the student's is nan,
    and every other entry equal, is evidence; a trajectory of nan only is not.
    """
    key = _case_key(
        formula, hp, finite, *arrays, *(g for step in grads for g in step), *(p for ps in expected for p in ps)
    )
    if key not in _SIMULATED:
        if len(_SIMULATED) >= _SIMULATED_CASES:
            _SIMULATED.pop(next(iter(_SIMULATED)))  # the oldest case: a batch grades one case after another
        _SIMULATED[key] = _simulate_every_mistake(formula, hp, arrays, grads, expected, finite)
    return dict(_SIMULATED[key])


def _simulate_every_mistake(
    formula: str,
    hp: dict[str, Any],
    arrays: list[np.ndarray],
    grads: list[list[np.ndarray]],
    expected: Trajectory,
    finite: bool,
) -> dict[str, np.ndarray]:
    found = {}
    for tag in MISTAKES[formula]:
        if tag.startswith(_NEIGHBOUR) and hp.get(tag.partition("#")[2]) == 0:
            continue  # a coefficient of 0 in its place is no decay at all: weight-decay-ignored says so
        try:
            with np.errstate(all="ignore"):
                changes = flat_changes(simulate(formula, hp, arrays, grads, tag), arrays)
        except Undefined:
            continue  # the mistake raises on these shapes: a trajectory that ran is not its
        share = np.isfinite(changes).mean()
        predicts = share == 1 or (not finite and share >= settings.NONFINITE_PREDICTION_SHARE)
        if predicts and not _same(changes, flat_changes(expected, arrays)):
            changes.flags.writeable = False  # shared between submissions: nobody may write into it
            found[tag] = changes
    return found


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal to the trajectory tolerance, and nan exactly where the other is (compare() needs finite values)."""
    known = np.isfinite(b)
    if not (np.array_equal(np.isfinite(a), known) and np.array_equal(np.isnan(a), np.isnan(b))):
        return False
    return not known.any() or agrees(a[known], b[known], rtol=settings.TRAJECTORY_RTOL)


def variants(
    formula: str,
    hp: dict[str, Any],
    arrays: list[np.ndarray],
    grads: list[list[np.ndarray]],
    expected: Trajectory,
) -> dict[str, tuple[np.ndarray, str]]:
    """The known mistakes that change this trajectory, as flat arrays of parameter changes.

    Mistakes that give the same trajectory here are one entry that names them all.
    """
    groups: list[list[str]] = []
    simulated = _simulated(formula, hp, arrays, grads, expected)
    for tag, changes in simulated.items():
        first = _first_same(changes, [simulated[g[0]] for g in groups])
        if first is None:
            groups.append([tag])
        else:
            groups[first].append(tag)
    return {(named := _named(formula, group))[0]: (simulated[group[0]], named[1]) for group in groups}


def _first_same(a: np.ndarray, heads: list[np.ndarray]) -> int | None:
    """The index of the first of ``heads`` that :func:`_same` finds equal to ``a``, in one pass over them all.

    ``variants`` asks this of every simulated mistake against every group found so far (some thousands of
    pairs per trajectory, most of them unequal); the arithmetic is :func:`_same`'s, row by row.
    """
    if not heads:
        return None
    b = np.stack(heads)
    known = np.isfinite(b)
    masks = (known == np.isfinite(a)).all(axis=1) & (np.isnan(b) == np.isnan(a)).all(axis=1)
    # compare() of the entries b knows, as _same does: elsewhere both are 0 (and a is finite wherever b is, on the
    # rows whose masks agree)
    equal = masks & agrees_rowwise(np.where(known, a, 0.0), np.where(known, b, 0.0), rtol=settings.TRAJECTORY_RTOL)
    return int(np.argmax(equal)) if equal.any() else None


# The bookkeeping mistakes that make parameters optimized together move unlike each alone.
MIXING = ("t-counted-per-parameter", "state-shared", _FLAG_SHARED)
Evidence = tuple[dict[str, Any], list[np.ndarray], list[list[np.ndarray]], Trajectory, Trajectory]


def reproducing(
    formula: str,
    hp: dict[str, Any],
    arrays: list[np.ndarray],
    grads: list[list[np.ndarray]],
    expected: Trajectory,
    actual: Trajectory,
    others: Sequence[Evidence] = (),
    separate: Callable[[list[str]], list[str]] | None = None,
) -> dict[str, tuple[np.ndarray, str]]:
    """The known mistakes that reproduce the student's trajectory, as one entry (or none).

    ``others`` are the other cases, ``(hyper-parameters, arrays, grads, expected, actual)``. A
    mistake is dropped when one of them contradicts it: the student is wrong there too, the
    mistake would change that trajectory as well, but not into the student's. (A case the
    student gets right contradicts nothing: a mistake inside an ``if momentum:`` branch only
    shows where that branch runs.) Several mistakes left are named together, never one of them
    at random. ``separate`` gets the last word where several mistakes still fit: evidence beyond the
    parameters (the state the student's optimizer kept) that keeps those it fits. Run only when a trajectory
    is wrong: a correct submission never pays for this.
    """
    changes = flat_changes(actual, arrays)
    simulated = _simulated(formula, hp, arrays, grads, expected, finite=False)
    tags = [tag for tag, value in simulated.items() if _same(changes, value)]
    tags = [tag for tag in tags if not any(_contradicts(formula, tag, other) for other in others)]
    if len({tag.partition("#")[0] for tag in tags}) > 1:
        # Several mistakes fit. One that would also break a case the student gets right needs a branch of
        # its own around it; the mistakes that leave those cases right explain the same numbers without one.
        plain = [tag for tag in tags if not any(_breaks_right_case(formula, tag, other) for other in others)]
        if not plain and (gated := _gated(formula, tags, hp, simulated, others)):
            return gated
        tags = plain or tags
    if len({tag.partition("#")[0] for tag in tags}) > 1:
        # Several still fit. One that leaves a case the student gets wrong as the reference has it explains this
        # case alone; a mistake that also explains that one (amsgrad's maximum and exp_avg_sq both read from
        # max_exp_avg_sq's zeros, where only the maximum never stored fits here) needs no second mistake.
        whole = [tag for tag in tags if not any(_leaves_wrong_case(formula, tag, other) for other in others)]
        tags = whole or tags
    if separate is not None and len({tag.partition("#")[0] for tag in tags}) > 1:
        tags = separate(tags) or tags
    if not tags:
        return {}
    tag, text = _named(formula, tags)
    return {tag: (simulated[tags[0]], text)}


# The mistakes that leave one option out, and the option each leaves out.
_OPTION_LEFT_OUT = {
    "lr-decay-ignored": "lr_decay",
    "momentum-ignored": "momentum",
    "weight-decay-ignored": "weight_decay",
    "dampening-ignored": "dampening",
    "nesterov-ignored": "nesterov",
    "centered-ignored": "centered",
    "amsgrad-ignored": "amsgrad",
    "initial-accumulator-ignored": "initial_accumulator_value",
}


def _set(value: Any) -> bool:
    return value not in (None, False, 0, 0.0)


def _gated(
    formula: str,
    tags: list[str],
    hp: dict[str, Any],
    simulated: dict[str, np.ndarray],
    others: Sequence[Evidence],
) -> dict[str, tuple[np.ndarray, str]]:
    """One option left out on this case, though a case the student gets right uses it: the option is applied
    only when another one is set (``if self.weight_decay:`` around the learning-rate decay).

    Read only where every mistake that fits would break a case the student gets right. The option must be
    set here and on every right case the omission would break, and those cases must share a setting this case
    lacks (the condition); exactly one option may read so, else nothing is claimed.
    """
    readings = []
    for tag in tags:
        option = _OPTION_LEFT_OUT.get(tag)
        if option is None or not _set(hp.get(option)):
            continue
        witnesses = [e for e in others if _breaks_right_case(formula, tag, e)]
        if not witnesses or not all(_set(e[0].get(option)) for e in witnesses):
            continue
        conditions = set.intersection(
            *({k for k, v in e[0].items() if k != option and _set(v) and not _set(hp.get(k))} for e in witnesses)
        )
        if conditions:
            readings.append((tag, option, sorted(conditions), witnesses[0][0]))
    if len(readings) != 1:
        return {}
    tag, option, conditions, right = readings[0]
    there = ", ".join(f"{k}={right[k]!r}" for k in conditions)
    here = ", ".join(f"{k}={hp.get(k)!r}" for k in conditions)
    text = (
        f"{MISTAKES[formula][tag]}. Yet {option} works on a case your code gets right, where {there} (here "
        f"{here}): {option} takes effect only when {' and '.join(conditions)} is set too, a condition on the "
        f"wrong option; apply {option} whenever it is given, whatever the other options"
    )
    return {tag: (simulated[tag], text)}


def kept_state(
    formula: str, hp: dict[str, Any], arrays: list[np.ndarray], grads: list[list[np.ndarray]], bug: str
) -> list[np.ndarray]:
    """The arrays the rule with ``bug`` keeps between steps after the last of ``grads`` (every parameter's running
    averages, velocity, maxima), finite and of their parameter's shape; the simulator's own bookkeeping (the values
    from before a step) is left out, as no optimizer keeps it."""
    states: list[dict] = []
    with np.errstate(all="ignore"):
        simulate(formula, hp, arrays, grads, bug, states_out=states)
    return [
        np.asarray(value)
        for state, a in zip(states, arrays, strict=False)
        for key, value in state.items()
        if not key.endswith("_before") and np.shape(value) == a.shape and np.isfinite(value).all()
    ]


def _breaks_right_case(formula: str, tag: str, evidence: Evidence) -> bool:
    """The student gets this case right, and the mistake would change it."""
    hp, arrays, grads, expected, actual = evidence
    if any(p.shape != a.shape for ps in actual for p, a in zip(ps, arrays, strict=False)):
        return False
    right = flat_changes(expected, arrays)
    if not _same(flat_changes(actual, arrays), right):
        return False
    try:
        with np.errstate(all="ignore"):
            predicted = flat_changes(simulate(formula, hp, arrays, grads, tag), arrays)
    except Undefined:
        return True  # the mistake would raise on this case, which the student's code gets right
    return not _same(predicted, right)


def _leaves_wrong_case(formula: str, tag: str, evidence: Evidence) -> bool:
    """The student gets this case wrong, and the mistake would leave it as the reference has it."""
    hp, arrays, grads, expected, actual = evidence
    if any(p.shape != a.shape for ps in actual for p, a in zip(ps, arrays, strict=False)):
        return False
    right = flat_changes(expected, arrays)
    if _same(flat_changes(actual, arrays), right):
        return False
    try:
        with np.errstate(all="ignore"):
            predicted = flat_changes(simulate(formula, hp, arrays, grads, tag), arrays)
    except Undefined:
        return False
    return _same(predicted, right)


def _contradicts(formula: str, tag: str, evidence: Evidence) -> bool:
    hp, arrays, grads, expected, actual = evidence
    if any(p.shape != a.shape for ps in actual for p, a in zip(ps, arrays, strict=False)):
        return False
    changes, right = flat_changes(actual, arrays), flat_changes(expected, arrays)
    if not np.isfinite(changes).all() or _same(changes, right):
        return False
    try:
        with np.errstate(all="ignore"):
            predicted = flat_changes(simulate(formula, hp, arrays, grads, tag), arrays)
    except Undefined:
        return True  # the mistake would raise on this case, where the student's code ran
    mostly_finite = np.isfinite(predicted).mean() >= 0.5  # nan only is no prediction
    return bool(mostly_finite) and not _same(predicted, right) and not _same(changes, predicted)


def negative_root_at(
    formula: str, hp: dict[str, Any], arrays: list[np.ndarray], grads: list[list[np.ndarray]], path: Trajectory
) -> list[str]:
    """The known mistakes that take the root of a negative number at the step after ``path``, the student's steps
    before step() raised on a complex number (a negative Python float to the power 0.5 is complex, where numpy's
    sqrt gives nan): each moves the parameters as the student's did for those steps, and its next step is nan from
    an invalid root in every entry, as the root of one number (a scalar of the step)
    makes it. Run only when step() raised so: a correct submission never pays for this."""
    k = len(path)
    found = []
    for tag in MISTAKES[formula]:
        try:
            with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore", invalid="warn"):
                warnings.simplefilter("always")
                simulated = simulate(formula, hp, arrays, grads[: k + 1], tag)
        except Undefined:
            continue
        rooted = any(
            "invalid value" in str(w.message) and ("sqrt" in str(w.message) or "power" in str(w.message))
            for w in caught
        )
        # A complex number comes from a Python float, one number (numpy gives nan for a negative array's root): its
        # root reaches every entry of every parameter, where a running average's negative entries reach only theirs.
        if not rooted or not all(np.isnan(p).all() for p in simulated[k]):
            continue
        if k == 0 or same_trajectory(simulated[:k], path, arrays):
            found.append(tag)
    return found


def contradicts(formula: str, tag: str, evidence: Evidence) -> bool:
    """Does this case's trajectory, right or wrong, rule the mistake out (see :func:`reproducing`)?"""
    return _contradicts(formula, tag, evidence) or _breaks_right_case(formula, tag, evidence)
