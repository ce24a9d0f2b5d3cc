# %% [markdown]
# ## How to work in this notebook
#
# Each component below has a short lesson, a code cell to complete between the `### BEGIN SOLUTION`
# and `### END SOLUTION` markers, and a "check your work" cell that runs quick public checks on what
# you wrote. The experiments at the end run **your** classes: if a figure looks wrong, look at your
# code first. Run the cells from top to bottom; after changing a class, re-run its cell and the
# experiments that use it.

# %%
# nnlab: setup

# %% [markdown]
# ## The step function
#
# A perceptron adds up its weighted inputs and fires if the sum is positive. The "fires" is the
# Heaviside step:
#
# $$\operatorname{step}(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}$$
#
# Its derivative is $0$ wherever it exists (everywhere but at $x = 0$, where the step jumps), so
# `backward` returns zeros shaped like `grad_y`:
#
# $$\frac{\partial L}{\partial x} = \frac{\partial L}{\partial y}\cdot \operatorname{step}'(x) = 0 .$$
#
# That zero is the whole story of the next two assignments: gradient descent cannot train a network
# of steps, because no gradient ever reaches the weights. The perceptron therefore learns with a rule
# of its own, and later networks replace the step with smooth functions such as the sigmoid.
#
# **Traps.** At exactly $x = 0$ the output is $0$ (the comparison is strict). Return float64 `0.0`
# and `1.0`, not booleans: the rest of the course multiplies and adds these outputs.

# %%
# nnlab: solution activations.Step

# %%
# nnlab: check activations.Step

# %%
# nnlab: tests activations.Step

# %% [markdown]
# ## The identity
#
# The identity "activation" leaves its input alone, $y = x$, so its derivative is $1$ and
# `backward` passes the upstream gradient through unchanged:
#
# $$\frac{\partial L}{\partial x} = \frac{\partial L}{\partial y} .$$
#
# A unit with the identity as activation is a *linear unit*: the output of a linear regression, or
# Widrow and Hoff's Adaline (1960), which you will train by gradient descent below, next to the
# perceptron. It also serves as a placeholder wherever a network needs "no activation here".
#
# **Trap.** Return the input as an array of float64 (the support code already converts it); do not
# modify `x` or `grad_y` in place.

# %%
# nnlab: solution activations.Identity

# %%
# nnlab: check activations.Identity

# %%
# nnlab: tests activations.Identity

# %% [markdown]
# ## Rosenblatt's perceptron
#
# A perceptron with weights $w \in \mathbb{R}^D$ and bias $b$ predicts
#
# $$\hat y = \operatorname{step}(w \cdot x + b) \in \{0, 1\},$$
#
# so its decision boundary is the line (hyperplane) $w \cdot x + b = 0$, with $w$ pointing towards
# class 1. It learns from one sample at a time with the **perceptron rule**:
#
# $$e = t - \hat y \in \{-1, 0, 1\}, \qquad w \leftarrow w + \eta\, e\, x, \qquad b \leftarrow b + \eta\, e .$$
#
# A correct prediction ($e = 0$) changes nothing. A missed class-1 sample ($e = 1$) adds $x$ to $w$,
# which raises its score by $\eta(\lVert x\rVert^2 + 1)$; a false alarm ($e = -1$) lowers it by the
# same amount. No derivative is involved: the rule only reacts to mistakes.
#
# `fit` sweeps the samples in order, epoch after epoch, and stops after the first epoch without a
# mistake. **Novikoff's theorem** (1962) says that this happens: if some hyperplane separates the
# classes with margin $\gamma$ and every (bias-augmented) sample has norm at most $R$, the rule makes at
# most $(R/\gamma)^2$ mistakes in total, whatever the order. If no hyperplane separates them, the
# theorem promises nothing, and you will see what happens instead.
#
# **Traps.** A score of exactly $0$ predicts class $0$: with all weights at zero at the start, every
# sample is predicted $0$. `update` returns the error $e$ (not the prediction), and `fit` returns
# `True` only after an epoch in which *every* `update` returned $0$.

# %%
# nnlab: solution models.Perceptron

# %%
# nnlab: check models.Perceptron

# %%
# nnlab: tests models.Perceptron

# %% [markdown]
# ## Experiment 1: the perceptron rule on separable data
#
# Forty points in two clouds that a line separates with a gap (`blobs`, margin 0.5). The perceptron
# starts from zero weights and sweeps the points in order. Each small panel shows the decision
# regions (from your `predict`) at the *end* of one epoch; crosses mark the points that caused an
# update during that epoch. The last panel counts the mistakes per epoch.
#
# Look for: the boundary jumping around in the first epochs (each mistake moves it by a whole
# sample), the count of mistakes not decreasing steadily, and the run ending with an epoch of zero
# mistakes. The final line separates the classes, but it is not the "best" line: it stops at the
# first one that works.

# %%
from datasets import blobs, logic_gate


def plot_regions(ax, predict, X, y, lim=None):
    """Shade the plane by predict(points) (0 or 1) and scatter the samples on top."""
    if lim is None:
        pad = 0.5
        lim = (X[:, 0].min() - pad, X[:, 0].max() + pad, X[:, 1].min() - pad, X[:, 1].max() + pad)
    xx, yy = np.meshgrid(np.linspace(lim[0], lim[1], 200), np.linspace(lim[2], lim[3], 200))
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    zz = np.asarray(predict(grid), dtype=float).reshape(xx.shape)
    ax.contourf(xx, yy, zz, levels=[-0.5, 0.5, 1.5], colors=["#cfe2f3", "#f9d9c4"])
    ax.scatter(X[y == 0, 0], X[y == 0, 1], s=18, c="#1f77b4", edgecolors="k", linewidths=0.4)
    ax.scatter(X[y == 1, 0], X[y == 1, 1], s=18, c="#d95f02", edgecolors="k", linewidths=0.4)
    ax.set_xlim(lim[0], lim[1])
    ax.set_ylim(lim[2], lim[3])
    ax.set_xticks([])
    ax.set_yticks([])


def run_epoch(perceptron, X, y):
    """One sweep of the perceptron rule in sample order; returns the indices that were mistakes."""
    return [i for i, (x, t) in enumerate(zip(X, y, strict=True)) if perceptron.update(x, t) != 0.0]


X, y = blobs(40, seed=2, margin=0.5)
perceptron = Perceptron(2)
snapshots, mistakes = [], []
for _ in range(15):
    wrong = run_epoch(perceptron, X, y)
    mistakes.append(len(wrong))
    snapshots.append((perceptron.weight.copy(), perceptron.bias, wrong))
    if not wrong:
        break

n_panels = len(snapshots) + 1
cols = 4
rows = -(-n_panels // cols)
fig, axes = plt.subplots(rows, cols, figsize=(3.0 * cols, 2.9 * rows))
axes = axes.ravel()
for epoch, (ax, (weight, bias, wrong)) in enumerate(zip(axes, snapshots, strict=False), start=1):
    frozen = Perceptron(2)
    frozen.weight, frozen.bias = weight, bias
    plot_regions(ax, frozen.predict, X, y)
    ax.scatter(X[wrong, 0], X[wrong, 1], marker="x", s=60, c="k", linewidths=1.2)
    ax.set_title(f"after epoch {epoch}: {len(wrong)} mistakes", fontsize=9)
ax = axes[len(snapshots)]
ax.bar(range(1, len(mistakes) + 1), mistakes, color="#555555")
ax.set_xlabel("epoch")
ax.set_ylabel("mistakes in the epoch")
ax.set_title("mistakes per epoch", fontsize=9)
for ax in axes[n_panels:]:
    ax.axis("off")
fig.suptitle("The perceptron rule on linearly separable blobs (boundary after each epoch)")
fig.tight_layout()
plt.show()

# %% [markdown]
# **Questions.** Novikoff's bound grows like $1/\gamma^2$: what do you expect if you rerun with
# `margin=0.05`? Try it. And what changes if you set `lr=0.1`? (Hint: starting from zero weights,
# every update is a multiple of $\eta$, so the weights are $\eta$ times those of `lr=1.0`, and the
# sign of the score, hence every prediction, is the same.)

# %% [markdown]
# ## Experiment 2: logic gates
#
# The truth tables of AND, OR, NAND and XOR are four points each. Your `fit` runs one epoch at a time
# (`max_epochs=1`) until it reports an epoch without a mistake, for at most 50 epochs. The panels show
# the final decision regions. AND, OR and NAND are linearly separable; XOR is not.
#
# Look closely at the three that converge: each final line runs exactly through one of the points,
# whose score is $0$ and which is therefore (just) class 0. The rule stops at the first line without a
# mistake, and with integer inputs and $\eta = 1$ that line often has no margin at all.

# %%
fig, axes = plt.subplots(1, 4, figsize=(12, 3.1))
for ax, gate in zip(axes, ["and", "or", "nand", "xor"], strict=True):
    X, y = logic_gate(gate)
    perceptron = Perceptron(2)
    epochs = next((k for k in range(1, 51) if perceptron.fit(X, y, max_epochs=1)), None)
    plot_regions(ax, perceptron.predict, X, y, lim=(-0.5, 1.5, -0.5, 1.5))
    verdict = f"converged in {epochs} epochs" if epochs else "no clean epoch in 50"
    ax.set_title(f"{gate.upper()}: {verdict}", fontsize=10)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Experiment 3: XOR, where the perceptron never settles
#
# No line puts $(0,1)$ and $(1,0)$ on one side and $(0,0)$ and $(1,1)$ on the other. Suppose one did,
# with $w \cdot x + b > 0$ exactly for class 1. Then $(0,0)$ gives $b \le 0$; $(0,1)$ and $(1,0)$ give
# $w_2 + b > 0$ and $w_1 + b > 0$; adding these, $w_1 + w_2 + b > -b \ge 0$, so $(1,1)$ would be
# class 1. Contradiction: Minsky and Papert's objection (1969) to single-layer perceptrons.
#
# So every epoch has a mistake, and the rule keeps moving the boundary. It does not drift off to
# infinity either: the weights stay bounded (the perceptron *cycling theorem*) and, with the samples
# always in the same order, they repeat exactly. Below: the boundary after each single update during
# epochs 3 and 4, the mistakes per epoch over 40 epochs, and the weights after every update.
#
# The cross marks the sample that was just misclassified and moved the boundary; a panel of one colour
# means the boundary has left the square and the whole square is one class.

# %%
X, y = logic_gate("xor")
perceptron = Perceptron(2)
states, xor_mistakes, frames = [], [], []
for epoch in range(1, 41):
    wrong = 0
    for i, (x, t) in enumerate(zip(X, y, strict=True)):
        error = perceptron.update(x, t)
        wrong += error != 0.0
        states.append((perceptron.weight[0], perceptron.weight[1], perceptron.bias))
        if epoch in (3, 4):
            frames.append((epoch, i, error, perceptron.weight.copy(), perceptron.bias))
    xor_mistakes.append(int(wrong))

fig = plt.figure(figsize=(11, 9))
grid = fig.add_gridspec(3, 4)
for k, (epoch, i, error, weight, bias) in enumerate(frames):
    ax = fig.add_subplot(grid[k // 4, k % 4])
    frozen = Perceptron(2)
    frozen.weight, frozen.bias = weight, bias
    plot_regions(ax, frozen.predict, X, y, lim=(-0.5, 1.5, -0.5, 1.5))
    if error != 0.0:
        ax.scatter(*X[i], marker="x", s=80, c="k", linewidths=1.5)
    ax.set_title(f"epoch {epoch}, after sample ({X[i, 0]:.0f}, {X[i, 1]:.0f})", fontsize=9)
ax = fig.add_subplot(grid[2, :2])
ax.bar(range(1, len(xor_mistakes) + 1), xor_mistakes, color="#555555")
ax.set_ylim(0, 4.2)
ax.set_xlabel("epoch")
ax.set_ylabel("mistakes in the epoch")
ax.set_title("XOR: the mistakes never reach 0")
ax = fig.add_subplot(grid[2, 2:])
states = np.array(states)
for j, label in enumerate(["$w_1$", "$w_2$", "$b$"]):
    ax.plot(np.arange(1, len(states) + 1)[:40], states[:40, j], marker=".", label=label)
ax.set_xlabel("update (sample) number, first 10 epochs")
ax.set_title("the weights cycle with a period of one epoch")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# **Questions.** Why does the weight vector repeat exactly after one epoch from the third epoch on,
# instead of merely staying bounded? What would change if the samples were shuffled every epoch?
# How could you still get a useful answer out of a non-converging perceptron? (Look up the *pocket*
# algorithm, or keep the weights of the epoch with the fewest mistakes.)

# %% [markdown]
# ## Experiment 4: a linear unit trained by gradient descent (Adaline)
#
# Widrow and Hoff's Adaline has the same weighted sum but learns from the **linear** output
# $z = w \cdot x + b$ (your `Identity`) with the squared error $L = \frac1N \sum_n (z_n - t_n)^2$,
# by full-batch gradient descent:
#
# $$\frac{\partial L}{\partial z_n} = \frac{2}{N}(z_n - t_n), \qquad
# w \leftarrow w - \eta \sum_n \frac{\partial L}{\partial z_n} x_n, \qquad
# b \leftarrow b - \eta \sum_n \frac{\partial L}{\partial z_n}.$$
#
# It classifies with your `Step` applied to $z - \tfrac12$. The gradient of $L$ exists everywhere,
# so every sample pulls on the weights in every step, right or wrong, and by an amount proportional
# to its error. Below, the same blobs (top) and XOR (bottom): the perceptron's final regions, Adaline's
# regions, and their mistakes per epoch with Adaline's loss. (The perceptron counts mistakes while it
# sweeps; Adaline's are counted before each batch step.)
#
# The code below is given: the affine map $w \cdot x + b$ and the update are written out here because
# layers and optimisers come in later assignments.


# %%
def train_adaline(X, y, lr=0.1, epochs=100):
    """Full-batch gradient descent on the squared error of a linear unit; targets 0/1."""
    identity, step = Identity(), Step()
    w, b = np.zeros(X.shape[1]), 0.0
    t = y.astype(float)
    losses, mistakes = [], []
    for _ in range(epochs):
        out = identity.forward(X @ w + b)
        losses.append(float(np.mean((out - t) ** 2)))
        mistakes.append(int(np.sum(step.forward(out - 0.5) != t)))
        grad_z = identity.backward(2.0 * (out - t) / len(X))
        w = w - lr * X.T @ grad_z
        b = b - lr * grad_z.sum()

    def predict(points):
        return step.forward(identity.forward(points @ w + b) - 0.5)

    return predict, losses, mistakes


problems = {"blobs": blobs(40, seed=2, margin=0.5), "XOR": logic_gate("xor")}
fig, axes = plt.subplots(2, 3, figsize=(12, 7.2))
for row, (name, (X, y)) in zip(axes, problems.items(), strict=True):
    lim = (-0.5, 1.5, -0.5, 1.5) if name == "XOR" else None
    perceptron = Perceptron(2)
    perceptron_mistakes = [len(run_epoch(perceptron, X, y)) for _ in range(100)]
    adaline, losses, adaline_mistakes = train_adaline(X, y)
    plot_regions(row[0], perceptron.predict, X, y, lim)
    row[0].set_title(f"{name}: perceptron after 100 epochs", fontsize=10)
    plot_regions(row[1], adaline, X, y, lim)
    row[1].set_title(f"{name}: Adaline after 100 epochs", fontsize=10)
    ax = row[2]
    ax.plot(perceptron_mistakes, label="perceptron mistakes", color="#555555")
    ax.plot(adaline_mistakes, label="Adaline mistakes", color="#2ca02c")
    ax.set_xlabel("epoch")
    ax.set_ylabel("mistakes")
    ax.set_ylim(0, None)
    ax.yaxis.set_major_locator(plt.MaxNLocator(integer=True))
    loss_ax = ax.twinx()
    loss_ax.plot(losses, color="#9467bd", linestyle="--", label="Adaline MSE")
    loss_ax.set_ylabel("Adaline MSE", color="#9467bd")
    loss_ax.set_ylim(0, None)
    handles = ax.get_legend_handles_labels()[0] + loss_ax.get_legend_handles_labels()[0]
    ax.legend(handles=handles, fontsize=8, loc="center right" if name == "blobs" else "lower right")
    ax.set_title(f"{name}: mistakes and loss per epoch", fontsize=10)
fig.tight_layout()
plt.show()

# %% [markdown]
# **Observations.** On the blobs both find a separating line, but different ones: the perceptron
# stops at the first line without mistakes, Adaline keeps moving towards the least-squares line,
# which weighs every point. On XOR the perceptron keeps cycling, while Adaline's loss settles: gradient
# descent converges even when the data are not separable, to the best *linear fit*. For XOR that fit
# is $w = 0$, $b = \tfrac12$: a score of one half everywhere, "don't know", and at least two mistakes.
# Neither rule can solve XOR; a hidden layer can, and assignment 3 trains one.
#
# **Questions.** What happens to Adaline on the blobs with `lr=0.13`? (The squared error is a
# quadratic bowl whose steepest curvature here is about 16; a step longer than $2/16 \approx 0.12$
# overshoots the bottom by more than it started from, and the loss grows without bound.) Why would a
# squared error on the *step's* output, instead of the linear output, not train at all?
