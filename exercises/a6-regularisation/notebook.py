# %% [markdown]
# ## How to work in this notebook
#
# Two components to write: `Dropout` and `fit_early_stopping`. Each has a lesson, a code cell to
# complete between the `### BEGIN SOLUTION` and `### END SOLUTION` markers, and a "check your work"
# cell. L2 regularisation needs no code of yours: it is the `weight_decay` argument of the optimisers
# you wrote in the previous assignment. The experiments at the end train small networks on a
# deliberately tiny, noisy data set so that overfitting is easy to see; they run **your** classes, so
# a figure that looks wrong points at your code first.

# %%
# nnlab: setup

# %% [markdown]
# ## Dropout
#
# During training, dropout zeroes each activation independently with probability $p$. Every
# mini-batch therefore trains a different "thinned" network, and no unit can rely on any particular
# other unit being there: co-adapted detectors that only work together are discouraged, and the
# full network at test time behaves like an average over the many thinned networks (Srivastava et
# al., 2014).
#
# **Inverted dropout** rescales the survivors during training so that nothing changes at test time.
# With a mask drawn entry by entry,
#
# $$m_i = \frac{\mathbb 1[u_i \ge p]}{1 - p}, \quad u_i \sim U[0, 1), \qquad y = x \odot m,$$
#
# each $m_i$ is $\frac{1}{1-p}$ with probability $1 - p$ and $0$ otherwise, so
# $\mathbb E[m_i] = 1$ and $\mathbb E[y] = x$: the expected activation is the same in training and in
# evaluation, where dropout is simply the identity, $y = x$.
#
# The mask is a constant multiplier, so the backward pass multiplies by **the same mask**:
#
# $$\frac{\partial L}{\partial x} = \frac{\partial L}{\partial y} \odot m .$$
#
# A dropped unit had no influence on the output, so it gets no gradient; a kept one passes its
# gradient on, scaled by $\frac{1}{1-p}$ like its value.
#
# **Traps.** $p$ is the probability of *dropping*, not of keeping (`u >= p` keeps with probability
# $1 - p$). At $p = 1$ everything is dropped and $\frac{1}{1-p}$ is infinite: `0 * inf` is `nan`, so
# the scale must be $0$ there. Draw the mask once in `forward` and keep it for `backward`; drawing a
# new one in `backward` sends gradient to units that were dropped. In evaluation (`self.training` is
# `False`) return the input unchanged and keep no mask. Draw from `self.rng`, so that `manual_seed`
# or an explicit `rng=` makes the masks reproducible.

# %%
# nnlab: solution layers.Dropout

# %%
# nnlab: check layers.Dropout

# %%
# nnlab: tests layers.Dropout

# %% [markdown]
# ## Early stopping
#
# A network with enough capacity first learns the pattern in its training set and then the noise.
# The training loss keeps falling all the time; the loss on held-out **validation** data falls,
# flattens and then rises again. Early stopping watches the validation loss after every epoch, keeps
# a copy of the best weights seen so far, stops once `patience` epochs in a row have brought no
# improvement, and puts the best weights back. The number of epochs becomes a hyper-parameter that
# the validation data choose.
#
# ```
# best = inf; waited = 0
# for epoch = 1, 2, ..., max_epochs:
#     train_loss = fit(model, ..., epochs=1)        # one epoch of training
#     val_loss = evaluate_loss(model, loss_fn, X_val, y_val)   # in eval mode
#     record both losses
#     if val_loss < best - min_delta:                # an improvement
#         best = val_loss; best_epoch = epoch; waited = 0
#         save a copy of the weights                  # only if restore_best
#     else:
#         waited += 1
#         if waited >= patience: stopped_epoch = epoch; stop
# if restore_best and a copy was saved: load it back
# ```
#
# You have these support pieces (not exercises): `fit` from the training assignment, run for one epoch
# at a time; `evaluate_loss(model, loss_fn, X, y)`, the loss in eval mode (dropout off, BatchNorm
# on its running statistics) with the previous mode restored; `copy_state(model)` and
# `load_state(model, state)`, which copy the parameters (and BatchNorm's running statistics) out and
# back in; and `History`, the record you fill in and return. Epochs are counted from 1, so
# `history.val_losses[history.best_epoch - 1]` is the best validation loss.
#
# **Traps.** Save a *copy*: the optimisers update `p.data` in place (`p.data -= ...`), so a saved
# reference to the arrays follows the training and "restores" the last weights, not the best.
# Compute the validation loss in eval mode, otherwise dropout makes it noisy and BatchNorm updates its
# statistics on validation data. An improvement must beat the best by more than `min_delta`
# (strictly: an epoch that equals the best is not an improvement). Pass the *same* `rng` to every
# epoch's `fit`: one generator shared by all epochs gives a new order each epoch, while re-creating
# it every epoch would repeat the same order.

# %%
# nnlab: solution early_stopping.fit_early_stopping

# %%
# nnlab: check early_stopping.fit_early_stopping

# %%
# nnlab: tests early_stopping.fit_early_stopping

# %% [markdown]
# ## The experiments: a small, noisy data set
#
# All experiments below use the same problem: 40 training points of two interleaving moons with
# plenty of noise (standard deviation 0.35), and 500 validation points from the same distribution.
# Forty noisy points are easy to memorise, so a large enough network will happily draw a boundary
# around every stray point. The code below defines the networks (a multi-layer perceptron of your
# earlier components, with an optional `Dropout` of yours after every hidden `ReLU`) and a helper that
# shades the plane by the predicted probability of class 1, with the decision boundary (probability
# 1/2) drawn in black.

# %%
from activations import ReLU
from datasets import moons
from layers import Linear
from losses import CrossEntropyLoss
from models import Sequential
from optimizers import Adam
from training import accuracy, fit

X_train, y_train = moons(40, noise=0.35, seed=1)
X_val, y_val = moons(500, noise=0.35, seed=2)
SMALL, LARGE = [2, 8, 2], [2, 128, 128, 2]  # layer widths: input, hidden..., classes


def mlp(widths, seed, p=0.0):
    """Linear -> ReLU (-> Dropout(p)) for every hidden layer, then a Linear output layer."""
    rng = np.random.default_rng(seed)
    modules = []
    for fan_in, fan_out in zip(widths[:-2], widths[1:-1]):
        modules += [Linear(fan_in, fan_out, rng=rng), ReLU()]
        if p > 0:
            modules.append(Dropout(p, rng=rng))
    modules.append(Linear(widths[-2], widths[-1], rng=rng))
    return Sequential(*modules)


def val_loss(model):
    """Cross-entropy on the validation set, in eval mode."""
    model.eval()
    loss = CrossEntropyLoss().forward(model.forward(X_val), y_val)
    model.train()
    return float(loss)


LIMITS = (-2.0, 3.0, -1.6, 2.1)
xx, yy = np.meshgrid(np.linspace(LIMITS[0], LIMITS[1], 160), np.linspace(LIMITS[2], LIMITS[3], 130))
GRID = np.column_stack([xx.ravel(), yy.ravel()])


def plot_boundary(ax, model, X=X_train, y=y_train):
    """Shade by P(class 1) (eval mode); the black line is the decision boundary."""
    model.eval()
    scores = model.forward(GRID)
    model.train()
    margin = np.clip(scores[:, 1] - scores[:, 0], -30, 30)
    prob = (1.0 / (1.0 + np.exp(-margin))).reshape(xx.shape)  # softmax of two logits
    ax.contourf(xx, yy, prob, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.55)
    ax.contour(xx, yy, prob, levels=[0.5], colors="k", linewidths=1.2)
    ax.scatter(X[:, 0], X[:, 1], c=np.where(y == 1, "#b2182b", "#2166ac"), s=16, edgecolors="k", linewidths=0.5)
    ax.set_xlim(LIMITS[:2])
    ax.set_ylim(LIMITS[2:])
    ax.set_xticks([])
    ax.set_yticks([])


# %% [markdown]
# ## L2 regularisation (weight decay)
#
# L2 regularisation adds a penalty on the size of the weights to the loss,
#
# $$\tilde L(w) = L(w) + \frac{\lambda}{2}\lVert w\rVert^2, \qquad \nabla \tilde L = \nabla L + \lambda w,$$
#
# so every step also pulls each weight towards zero by $\lambda w$: "weight decay". Small weights make
# a smooth function: a ReLU network's output can change no faster than the product of its layers'
# weight scales allows, so a boundary that snakes around single noisy points needs large weights,
# which now cost something.
# In nnlab, as in PyTorch, the penalty goes through the optimiser, `Adam(params, weight_decay=λ)`
# (or `SGD`), which adds $\lambda w$ to each gradient. (`AdamW` shrinks the weights directly instead,
# which behaves better with Adam's per-weight step sizes; here plain Adam keeps the picture simple.)
#
# ## Experiment 1: capacity against regularisation strength
#
# Two networks, a small one (one hidden layer of 8 units, 42 parameters) and a large one (two hidden
# layers of 128, 17,154 parameters), each trained with full-batch Adam for 1,500 epochs under four L2
# strengths. Each panel's title gives the training and validation accuracy, the validation
# cross-entropy and the norm of all weights $\lVert w\rVert$.
#
# Look for: the large network without regularisation fits every training point (training accuracy 1)
# with a contorted boundary and islands around stray points, and its validation loss is huge: it is
# confidently wrong on the validation points near its islands. Growing $\lambda$ shrinks the weights,
# smooths the boundary and lowers the validation loss, until too much of it flattens even the large
# network into an almost straight line (underfitting). The small network cannot draw islands at any
# $\lambda$: L2 only trims its overconfidence (its validation loss falls a little), and too much of
# it makes the small network underfit just like the large one.

# %%
STRENGTHS = [0.0, 1e-3, 1e-2, 1e-1]
fig, axes = plt.subplots(2, len(STRENGTHS), figsize=(3.2 * len(STRENGTHS), 6.4))
for row, (name, widths) in zip(axes, [("small", SMALL), ("large", LARGE)]):
    for ax, strength in zip(row, STRENGTHS):
        model = mlp(widths, seed=0)
        fit(model, CrossEntropyLoss(), Adam(model.parameters(), lr=0.01, weight_decay=strength),
            X_train, y_train, epochs=1500)  # fmt: skip
        plot_boundary(ax, model)
        norm = np.sqrt(sum(float((p.data**2).sum()) for p in model.parameters()))
        ax.set_title(
            f"{name}, λ = {strength:g}\ntrain {accuracy(model, X_train, y_train):.2f}, "
            f"val {accuracy(model, X_val, y_val):.2f}, val loss {val_loss(model):.2f}\n‖w‖ = {norm:.1f}",
            fontsize=9,
        )
fig.suptitle("Decision boundaries: capacity (rows) against L2 strength (columns)")
fig.tight_layout()
plt.show()

# %% [markdown]
# **Questions.** Which panel would you pick, and how did you pick it: by training or by validation
# numbers? Why does the validation *loss* of the unregularised large network react so much more than
# its validation *accuracy*? (A wrong prediction made with probability 0.999 costs $-\ln 0.001
# \approx 7$.) What would happen with 400 training points instead of 40?

# %% [markdown]
# ## Experiment 2: dropout in training and in evaluation
#
# Your `Dropout(p=0.5)` applied to an array of ones: in training mode (left), about half the entries
# are $0$ and the others $\frac{1}{1-p} = 2$; in evaluation mode (middle), the input comes through
# unchanged. The right panel sweeps $p$ over a large array of ones in training mode: the share of
# zeroed entries should follow the diagonal, and the mean output should stay at $1$ whatever $p$
# (inverted dropout keeps the expectation). The backward pass must block exactly the dropped entries;
# the left panel's title says whether it does.

# %%
dropout = Dropout(0.5, rng=np.random.default_rng(0))
ones = np.ones((12, 32))
dropout.train()
trained = dropout.forward(ones)
grad = dropout.backward(np.ones_like(ones))
same_mask = bool(np.array_equal(grad == 0, trained == 0))
dropout.eval()
evaluated = dropout.forward(ones)

fig, axes = plt.subplots(1, 3, figsize=(13, 3.6), layout="constrained")
panels = [
    (trained, f"training mode: values {np.unique(trained).round(3).tolist()}\n"
              f"backward blocks exactly the dropped entries: {same_mask}"),
    (evaluated, f"evaluation mode: values {np.unique(evaluated).round(3).tolist()}"),
]  # fmt: skip
for ax, (image, title) in zip(axes, panels):
    shown = ax.imshow(image, cmap="viridis", vmin=0, vmax=2)
    ax.set_title(title, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
fig.colorbar(shown, ax=axes[:2], shrink=0.6, label="output (input: ones)")

ps = np.linspace(0.0, 0.9, 10)
dropped, means = [], []
for p in ps:
    layer = Dropout(p, rng=np.random.default_rng(1))
    out = layer.forward(np.ones(20_000))
    dropped.append(float(np.mean(out == 0)))
    means.append(float(np.mean(out)))
ax = axes[2]
ax.plot(ps, dropped, "o-", label="share of entries zeroed")
ax.plot(ps, means, "s-", label="mean output (input: ones)")
ax.plot(ps, ps, ":", color="grey", label="p")
ax.set_xlabel("dropout probability p")
ax.set_ylim(-0.05, 1.6)
ax.legend(fontsize=8, loc="upper left")
ax.set_title("training mode, 20,000 entries per p", fontsize=9)
plt.show()

# %% [markdown]
# **Questions.** What would the mean output be at $p = 0.5$ if `forward` forgot to divide by $1-p$,
# and how would the network's outputs change between training and evaluation? Why is it not enough to
# check the mean: which bug would keep the mean at 1 but still be wrong?

# %% [markdown]
# ## Experiment 3: dropout narrows the gap between training and validation
#
# The large network again, without weight decay, trained with full-batch Adam (learning rate 0.001)
# for 1,000 epochs, without dropout and with `Dropout(0.5)` after both hidden layers. Every 25 epochs
# both losses are measured in eval mode (dropout off), so the curves compare like with like.
#
# Look for: without dropout the training loss heads to zero while the validation loss turns round and
# climbs: the gap between them is overfitting. With dropout the training loss stays higher (each step
# trains a random half of the network, which cannot memorise as well), the validation loss rises far
# less, and the boundary is smoother.

# %%
CHUNK, CHUNKS = 25, 40
curves = {}
fig, axes = plt.subplots(1, 3, figsize=(14, 3.9), gridspec_kw={"width_ratios": [1.4, 1, 1]})
for ax, p in zip(axes[1:], [0.0, 0.5]):
    model = mlp(LARGE, seed=0, p=p)
    optimizer = Adam(model.parameters(), lr=0.001)
    train_curve, val_curve = [], []
    for _ in range(CHUNKS):
        fit(model, CrossEntropyLoss(), optimizer, X_train, y_train, epochs=CHUNK)
        model.eval()
        train_curve.append(float(CrossEntropyLoss().forward(model.forward(X_train), y_train)))
        model.train()
        val_curve.append(val_loss(model))
    curves[p] = (train_curve, val_curve)
    plot_boundary(ax, model)
    ax.set_title(
        f"dropout p = {p:g}: train acc {accuracy(model, X_train, y_train):.2f}, "
        f"val acc {accuracy(model, X_val, y_val):.2f}",
        fontsize=9,
    )
epochs = CHUNK * np.arange(1, CHUNKS + 1)
for p, colour in [(0.0, "#d95f02"), (0.5, "#1b9e77")]:
    train_curve, val_curve = curves[p]
    axes[0].plot(epochs, train_curve, color=colour, linestyle="--", label=f"p = {p:g}, training")
    axes[0].plot(epochs, val_curve, color=colour, label=f"p = {p:g}, validation")
axes[0].set_yscale("log")
axes[0].set_xlabel("epoch")
axes[0].set_ylabel("cross-entropy (eval mode)")
axes[0].legend(fontsize=8)
axes[0].set_title("training (dashed) and validation (solid) loss", fontsize=9)
fig.tight_layout()
plt.show()

# %% [markdown]
# **Questions.** Why must both losses be measured in eval mode to compare them? (What would the
# training loss returned by `fit` include?) What do you expect from $p = 0.9$? Dropout and weight
# decay both fight overfitting: what does each of them cost?

# %% [markdown]
# ## Experiment 4: early stopping
#
# The unregularised large network once more, trained by your `fit_early_stopping` with full-batch
# Adam (learning rate 0.003) for at most 600 epochs: once with `patience=600` (it never runs out, so
# we see the whole curve) and once with `patience=50`. The left panel shows the training and validation losses of the long run, the best
# epoch (the minimum of the validation loss) and the epoch where `patience=50` stopped. The other
# two panels compare the long run's final weights with the weights that early stopping restored.
#
# Look for: the validation loss reaching its minimum early and then rising while the training loss
# keeps falling; the early-stopped run picking the same best epoch (full-batch training is
# deterministic, so both runs follow the same path) and stopping 50 epochs later; and its restored
# model having exactly the validation loss of the best epoch.

# %%
from early_stopping import evaluate_loss

long_model = mlp(LARGE, seed=0)
long_run = fit_early_stopping(
    long_model, CrossEntropyLoss(), Adam(long_model.parameters(), lr=0.003),
    X_train, y_train, X_val, y_val, max_epochs=600, patience=600, restore_best=False,
)  # fmt: skip
stopped_model = mlp(LARGE, seed=0)
stopped_run = fit_early_stopping(
    stopped_model, CrossEntropyLoss(), Adam(stopped_model.parameters(), lr=0.003),
    X_train, y_train, X_val, y_val, max_epochs=600, patience=50,
)  # fmt: skip
restored_loss = evaluate_loss(stopped_model, CrossEntropyLoss(), X_val, y_val)

fig, axes = plt.subplots(1, 3, figsize=(14, 3.9), gridspec_kw={"width_ratios": [1.4, 1, 1]})
ax = axes[0]
epochs = np.arange(1, len(long_run.train_losses) + 1)
ax.plot(epochs, long_run.train_losses, color="#7570b3", label="training")
ax.plot(epochs, long_run.val_losses, color="#d95f02", label="validation")
ax.axvline(long_run.best_epoch, color="k", linestyle=":", label=f"best epoch {long_run.best_epoch}")
ax.plot(long_run.best_epoch, long_run.best_val_loss, "k*", markersize=12)
if stopped_run.stopped_epoch is not None:
    ax.axvline(stopped_run.stopped_epoch, color="grey", linestyle="--",
               label=f"patience 50 stopped after epoch {stopped_run.stopped_epoch}")  # fmt: skip
ax.set_yscale("log")
ax.set_xlabel("epoch")
ax.set_ylabel("cross-entropy")
ax.legend(fontsize=8)
ax.set_title("the long run (patience 600)", fontsize=9)
plot_boundary(axes[1], long_model)
axes[1].set_title(
    f"after {len(long_run.val_losses)} epochs: val loss {evaluate_loss(long_model, CrossEntropyLoss(), X_val, y_val):.2f}, "
    f"val acc {accuracy(long_model, X_val, y_val):.2f}",
    fontsize=9,
)
plot_boundary(axes[2], stopped_model)
axes[2].set_title(
    f"early stopping, restored epoch {stopped_run.best_epoch}: val loss {restored_loss:.2f}\n"
    f"(the best epoch's was {stopped_run.best_val_loss:.2f}), val acc {accuracy(stopped_model, X_val, y_val):.2f}",
    fontsize=9,
)
fig.tight_layout()
plt.show()

# %% [markdown]
# **Questions.** The training loss keeps improving after the best epoch: what is the network learning
# then? With mini-batches the validation curve is noisy: what does a `patience` that is too small do
# then, and what does `min_delta` protect against? Early stopping chose the epoch by looking at the
# validation set: is the best validation loss still an honest estimate of the loss on new data?
