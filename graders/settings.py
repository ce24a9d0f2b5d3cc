"""Every tolerance, step size, limit and example count the graders use, in one place.

Each value says why it is what it is. Checks import these names; none writes a literal
(tests/test_tolerances.py scans graders/ for one).
"""

from __future__ import annotations

# ----------------------------------------------------------------------------- tolerances
# Correct float64 code differs from the reference only by rounding: summation order, an
# algebraically equal formula (log1p vs log(1 + .)), a fused or split operation. Those
# differences are a few ulps of the *magnitudes involved*, not of the result, which can
# cancel to near zero. The model (see tolerance.py): entry i of a result may differ by
#     RTOL * |expected_i| + ATOL_SCALE * scale
# where ``scale`` is the largest magnitude in the expected array (or of the terms it was
# summed from). RTOL = 1e-7 is ~1e9 ulps: far above any rounding of small problems, far
# below any real bug (a wrong constant, sign, index or term changes results by >= 1e-4).
RTOL = 1e-7
ATOL_SCALE = 1e-9
# The smallest scale ever used: an array that should be all zeros may hold 1e-300s.
ATOL_FLOOR = 1e-12

# Numerical gradient checks. Central differences with step h have truncation error
# ~h^2 |f'''| / 6 and rounding error ~eps |f| / h; h = 1e-5 balances them at ~1e-10 for
# values of order 1, so a correct backward agrees to ~1e-8 relative. A threshold of 1e-5
# leaves 3 orders of headroom and still catches every wrong term.
GRADCHECK_STEP = 1e-5
GRADCHECK_RTOL = 1e-5
# A central difference of f carries rounding noise ~eps |f| / h; allow 100 eps of it, so an
# entry whose true derivative is 0 (a saturated softmax) is not failed for 1e-11 of noise.
GRADCHECK_NOISE = 100 * 2.2e-16
# Small tensors, checked entry by entry: a bug confined to one border pixel or one bias
# hides in a random projection of a large tensor.
GRADCHECK_MAX_ENTRIES = 150
# Inputs closer than this to a kink (ReLU at 0) or a tie (max pooling) would make the
# central difference straddle the kink; they are moved out to this distance.
KINK_MARGIN = 1e-3

# Optimizer trajectories are compared after every step; errors compound over steps
# (especially dividing by sqrt(v) + eps in early Adam steps), so allow a little more.
TRAJECTORY_RTOL = 1e-6
TRAJECTORY_STEPS = 8

# ----------------------------------------------------------------------------- hypothesis
# Property checks are derandomized (same examples every run, for a given seed) with no
# example database and no deadline (a slow student loop is not a wrong answer).
PROPERTY_EXAMPLES = 12
# Properties relate outputs computed along different paths (f(x) - f(-x) vs x): the same
# rounding model as the reference comparison, one order looser for the longer paths.
PROPERTY_RTOL = 1e-6
# A known limit far from 0 (sigmoid(1000) = 1, relu(-1000) = 0) is reached to rounding:
# within this, relative and absolute, of the limit.
EXTREME_LIMIT_TOL = 1e-6
# Where an activation is also tried against the reference before a failure at extreme
# inputs is blamed on overflow: |x| up to this, away from its kinks, no formula overflows.
MODERATE_INPUT = 3.0

# ----------------------------------------------------------------------------- limits
# Wall-clock seconds for all checks of one component in its child process. Generous for
# correct code written with plain Python loops (many courses teach loops first).
COMPONENT_TIME_LIMIT = 30.0
# Importing one module (before any check runs): a module that loops at import is cut here.
IMPORT_TIME_LIMIT = 10.0
MEMORY_LIMIT_BYTES = 4 * 1024**3  # address space: numpy + BLAS buffers fit well within
FILE_SIZE_LIMIT_BYTES = 64 * 1024**2  # largest file the submission may write
OUTPUT_LIMIT_BYTES = 8 * 1024  # head and tail of stdout/stderr kept for the report
# One BLAS thread: results reproducible to the bit, and parallel grading not oversubscribed.
CHILD_ENVIRONMENT = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONUNBUFFERED": "1",  # prints reach the capture in order, even if the process dies
    "PYTHONHASHSEED": "0",
}

# ----------------------------------------------------------------------------- feedback
# How many digits a report prints of a value: enough to see a difference, few enough
# that round-off never changes a report between runs.
REPORT_DIGITS = 6

# ----------------------------------------------------------------------------- statistics
# Random components (Dropout) are judged by proportions; a correct implementation lands
# within 5 standard deviations with probability 1 - 6e-7, a wrong p or scale lands far out.
DROPOUT_SIGMAS = 5.0

# ----------------------------------------------------------------------------- convergence
# A network with the student's component must reach the reference network's accuracy less
# this slack: correct code differs only by rounding (identical curves) or, for Dropout, by
# its own random numbers (a few points); a wrong gradient loses tens of points.
CONVERGENCE_SLACK = 0.08
# Digits subsets for CNN checks: large enough to learn (~85-90% after 4 epochs), small
# enough that a loop-based Conv2d trains in a few seconds.
CONVERGENCE_DIGITS_TRAIN = 400
CONVERGENCE_DIGITS_TEST = 200

# --------------------------------------------------------------------- models, training, gradcheck
# (graders/judging/checks/perceptron.py, sequential.py, training.py, gradient_checking.py.)
# Perceptron. Scores within this distance of 0 are redrawn in value checks: summation order
# changes a score by ~1e-16, which must never flip a prediction (exact zeros are made from
# integers, where every order is exact).
PERCEPTRON_SCORE_GAP = 1e-3
PERCEPTRON_UPDATE_STEPS = 12  # alternating correct and wrong samples, both error signs
# Separable data: points at least this far from the separating hyperplane. The reference
# needs at most 9 epochs on 600 seeded data sets of 40 points; 100 leaves ample room.
PERCEPTRON_MARGIN = 0.3
PERCEPTRON_SAMPLES = 40
PERCEPTRON_MAX_EPOCHS = 100
# XOR never converges; a few epochs are enough to see that and to count the epochs run.
PERCEPTRON_XOR_EPOCHS = 7

# Sequential trained by full-batch gradient descent (graders/running/doubles.train_steps): a linear
# network on noise-free linear data. The reference halves the loss many times over in 40
# steps; a container that does not backpropagate (or hands out copies of its parameters)
# leaves it where it was.
SEQUENTIAL_TRAIN_STEPS = 40
SEQUENTIAL_TRAIN_LR = 0.05
SEQUENTIAL_LOSS_RATIO = 0.2  # final loss at most this fraction of the first

# training.fit on noise-free linear regression (training_rig, lr 0.05, batches of 8): the
# reference ends 1e-13 below the first epoch's loss after 20 epochs; full-batch descent
# (lr 0.1) lowers the loss every epoch and by more than 10x in 30 epochs.
FIT_EPOCHS = 20
FIT_LOSS_RATIO = 1e-4
FIT_FULL_BATCH_EPOCHS = 30
FIT_FULL_BATCH_RATIO = 0.1

# numerical_gradient against the analytic derivative (properties): the central difference's
# truncation error is ~h^2 |f'''| / 6 <= 2e-9 for h <= 1e-4, its rounding ~eps |f| / h; a
# one-sided difference is off by ~h |f''| / 2 >= 5e-7 relative.
NUMGRAD_PROPERTY_RTOL = 1e-7

# ----------------------------------------------------------------------------- losses and optimizers
# BCELoss gradient check: central differences of log p have truncation error
# ~h^2 / (3 p^2) relative; keeping p in [0.02, 0.98] holds it below 1e-7 (GRADCHECK_RTOL 1e-5).
LOSS_GRADCHECK_PROBABILITY = 0.02

# Optimizer trajectories (reference family): each entry's gradients have a magnitude of
# 10^u, u uniform in these decades: entries near 1e-6 make eps matter (eps inside or outside
# the square root changes Adam's step by 40% there), entries near 10 dominate the rest.
OPTIMIZER_GRADIENT_DECADES = (-6.0, 1.0)
# Half of the entries' gradients are multiplied by fade**step, fade uniform in this range.
OPTIMIZER_GRADIENT_FADE = (0.3, 0.8)
# The step (0-based) at which the first parameter gets an all-zero gradient (state built up).
OPTIMIZER_ZERO_GRADIENT_STEP = 3
# Parameters of a trajectory; two of the same shape, so state shared between them shows.
TRAJECTORY_SHAPES = ((3, 4), (5,), (5,))
# A simulated mistake whose trajectory has nan or inf in it still predicts the student's numbers when at least this
# share of its entries stays finite (compared nan for nan, and the finite ones to TRAJECTORY_RTOL); nan only predicts
# nothing. A step divided by the gradient is 0/0 from each all-zero gradient on (the last parameter's at the first step,
# the first's at OPTIMIZER_ZERO_GRADIENT_STEP), and 76 of the 176 entries of a trajectory (43 %) stay finite.
NONFINITE_PREDICTION_SHARE = 0.25
OPTIMIZER_PROPERTY_STEPS = 3  # zero-gradient steps that must leave the parameters in place
OPTIMIZER_CONTRACT_STEPS = 4  # enough for momentum and running averages to show their state
# Parameters of several shapes, as a network has (bias, vector, matrix, conv kernel).
OPTIMIZER_SHAPES = ((1,), (4,), (2, 3), (2, 1, 3, 2), (2, 3))
OPTIMIZER_MLP_SAMPLES = 32
# Convergence: each optimizer's runs (hyper-parameters, steps) are its catalogue entry's
# ``descents`` (exercises/components.py).
# The student's final value f must satisfy f <= FACTOR * f_reference + FLOOR * f_start:
# correct code follows the reference to rounding (f equal to ~1e-10), an optimizer that
# does not learn stays near f_start or climbs, and the floor forgives a reference that
# ends at 1e-16 when the student ends at 1e-12.
OPTIMIZER_CONVERGENCE_FACTOR = 2.0
OPTIMIZER_CONVERGENCE_FLOOR = 1e-3
# How deep the float64 check opens objects an optimizer keeps (self -> state -> per-parameter).
OPTIMIZER_STATE_DEPTH = 3
# Shrinking a failed property runs the student's code once per smaller example tried; after
# this many tries the smallest failing example found so far is reported (a few seconds of
# shrinking would otherwise dominate the grading of a buggy component).
PROPERTY_SHRINK_CALLS = 20

# ----------------------------------------------------------------------------- batch
# A student's zip may hold at most this much: ample for a few Python files, small enough
# that a zip bomb is refused before it fills the disk.
ZIP_MAX_FILES = 500
ZIP_MAX_BYTES = 50 * 1024**2

# ----------------------------------------------------------------------------- diagnosis
# "Low precision": the worst relative error of a wrong result lies in this band, and at
# least half the entries are off (float32 rounding is ~6e-8 relative per operation and grows
# with the number of operations; a mistake in the maths shows errors of 1e-4 and more).
# Entries smaller than the mean magnitude are measured against it (cancellation). A
# missing eps (1e-5 next to a variance near 1) shows errors of ~5e-6: above the band.
PRECISION_BAND = (1e-10, 3e-6)

# ----------------------------------------------------------------------------- matching a simulation
# np.allclose's own defaults, kept by the grader's faster allclose (judging/tolerance.py) for the
# checks written against numpy's, which omit one or both.
NUMPY_RTOL = 1e-5
NUMPY_ATOL = 1e-8
# Diagnosis asks "is this the number a known mistake, a replay or a rule gives?"; a few contracts
# ask "are these two results the same?". Float64 rounding of a few operations is ~1e-15 relative;
# two different formulas differ by far more than any of these.
# The same number along the same or an equivalent short path (the student's value and a simulated
# mistake's, or two of the grader's own candidates, which are then one explanation).
SAME_VALUE_RTOL = 1e-9
# Beside SAME_VALUE_RTOL, for entries that are 0 (where a relative tolerance is void): terms of
# order 1 that cancel keep ~1e-15.
SAME_VALUE_ATOL = 1e-12
# A student's value against a simulation along a longer or different path (a loss over a batch, a
# scale fitted by least squares, a history over epochs): the rounding of many steps, still far
# tighter than grading's differences between mistakes (graders/judging/evidence.py's RTOL, for the same reason).
SIMULATION_RTOL = 1e-6
# A per-column scale and shift fitted by least squares to the inputs a model received, against a known
# preprocessing (standardising, centring, scaling to [0, 1]): the fit of a few dozen rows keeps ~1e-10;
# these leave room for inputs of unit size, and the known transforms differ from each other by whole
# percents (a std with n against n - 1 on 12 rows: 4 %).
TRANSFORM_RTOL = 1e-4
TRANSFORM_ATOL = 1e-6
# One formula evaluated twice that must agree to the last digits: relative_error(a, b) against
# relative_error(b, a), or on arrays scaled by 1024 (a power of two scales exactly); an optimizer
# reset to its fresh state.
EXACT_RTOL = 1e-12
# math.isclose's absolute floor where both sides may be 0: only 0 (or a subnormal) is that close to 0.
ZERO_ATOL = 1e-300
# An entry smaller than this share of the largest one is rounding of 0: a step that did not move, the
# spread of a constant draw (1e-16 per operation, times a few thousand entries at most).
NEGLIGIBLE_SHARE = 1e-9
# The student's deviation from the right value has a simulated mistake's form when the two agree to
# this (relative, and absolute against the deviation's size): the same mistake, computed with the
# student's own eps and clipping.
DEVIATION_SHAPE_RTOL = 1e-2
# A result that is c times the right one with c within this of 1 is a small relative error (an eps, a
# rounding), not a factor a mistake of the formula would give (those are 2, 1/2, 1/N, ...).
FACTOR_NEAR_ONE_RTOL = 1e-3
# Entries read as whole numbers (or multiples of 1/k) when within this of one: rounding leaves ~1e-15.
WHOLE_NUMBER_ATOL = 1e-9
# An optimizer's step is "one factor for every entry" when its entries' ratios to the right step agree
# this closely (eps moves the ratio of entries with tiny gradients a little).
STEP_FACTOR_RTOL = 1e-5
# Dropout's inputs are kept at least this far from 0: a zero input would look like a dropped entry.
DROPOUT_INPUT_MARGIN = 1e-3
# BatchNorm normalises (properties): each feature's output mean is 0 to this (a mean of standardised
# entries keeps ~1e-16 per entry), and its variance is var / (var + eps) to PROPERTY_RTOL, with this
# absolute floor for a feature of near-zero variance.
BATCHNORM_MEAN_ATOL = 1e-7
BATCHNORM_VAR_ATOL = 1e-9
# Channels whose mean dwarfs their spread (raw features such as pixel values): one probe gives each channel a
# mean this large and a spread of about 1. A variance taken from x - mean stays right to ~1e-10 there, while
# E[x^2] - E[x]^2 cancels to ~eps * mean^2 / var = 1e-4 of it: 100 times PROPERTY_RTOL either way.
BATCHNORM_LARGE_MEAN = 1e6

# ----------------------------------------------------------------------------- hostile answers
# The largest answer frame a worker may announce: far above any honest result (the largest
# arrays the checks handle are a few MB), far below what would exhaust the grader's memory.
MAX_ANSWER_BYTES = 256 * 1024**2
# Student-supplied names and messages (exception type, file, message) are cut to this length.
STUDENT_TEXT_CHARS = 500
# A submission file larger than this is not read or copied (a module of the course is < 100 KB).
SUBMISSION_FILE_BYTES = 5 * 1024**2

# --------------------------------------------------------------------- init, early_stopping
# (graders/judging/checks/initializers.py, early_stopping.py.)
# An initialiser is judged by the statistics of one large draw (>= 20 000 entries per case):
# its mean, its standard deviation against the rule's, its shape (uniform or normal) and,
# for uniform draws, the bound. The sample std of n entries has a relative standard error of
# sqrt((kurtosis - 1) / 4n) (0.3% for n = 20 000 normal entries); a correct draw lands within
# 6 standard errors with probability 1 - 2e-9, while the mistakes the checks name (a swapped
# fan, a missing gain or sqrt(3), the variance as std) move the std by >= 8%.
INIT_SIGMAS = 6.0
# Uniform entries lie in [-b, b]: none may exceed b by more than round-off, and the largest
# must come within 30/n of b (a correct draw misses that with probability e^-30).
INIT_BOUND_RTOL = 1e-9
INIT_BOUND_REACH = 30.0
# The mean of n independent draws scatters by std / sqrt(n); one within 1e-9 of that of 0 (round-off) is a
# sample shifted by its own mean (w -= w.mean()), which an independent draw gives with probability < 1e-9.
INIT_RECENTRED_SEM = 1e-9
# The fraction of entries beyond sqrt(3) std tells the two shapes apart: 8.3% for a normal
# draw, 0 for a uniform one (its bound is sqrt(3) std); the threshold sits halfway.
INIT_TAIL_FRACTION = 0.04
# A normal draw's tail fraction is 2 * (1 - Phi(sqrt(3))) (for the feedback).
INIT_NORMAL_TAIL = 0.0833
