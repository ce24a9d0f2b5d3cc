# %% [markdown]
# ## How to work in this notebook
#
# You write the tools to check gradients first, then a layer, five losses and the container that
# chains layers; the experiments at the end run **your** code. The activations `Sigmoid`, `Tanh`,
# `ReLU` and `Softmax` are given complete (you wrote them in assignment 2).
#
# ## The chain rule, by hand
#
# Take one neuron with a squared error: inputs $x = (1, 2)$, weights $w = (0.5, -0.5)$, bias $b = 0.5$,
# target $t = 1$:
#
# $$z = w \cdot x + b, \qquad y = \sigma(z), \qquad L = (y - t)^2 .$$
#
# **Forward**, left to right: $z = 0.5 - 1 + 0.5 = 0$, $y = \sigma(0) = 0.5$, $L = (0.5 - 1)^2 = 0.25$.
#
# **Backward**, right to left: each step multiplies the gradient that arrives by the *local*
# derivative of one node.
#
# | quantity | rule | value |
# |---|---|---|
# | $\partial L / \partial y$ | $2(y - t)$ | $-1$ |
# | $\partial L / \partial z$ | $\partial L / \partial y \cdot y(1-y)$ | $-1 \cdot 0.25 = -0.25$ |
# | $\partial L / \partial w$ | $\partial L / \partial z \cdot x$ | $(-0.25,\ -0.5)$ |
# | $\partial L / \partial b$ | $\partial L / \partial z \cdot 1$ | $-0.25$ |
# | $\partial L / \partial x$ | $\partial L / \partial z \cdot w$ | $(-0.125,\ 0.125)$ |
#
# Every node needed only two things: the gradient from its output side and a value it saw on the way
# forward ($y$ for the sigmoid, $x$ for the weights). That is backpropagation, and it is why every
# module's `forward` saves something and its `backward(grad_y)` returns the gradient for its input.
# Experiment 1 repeats this computation with your modules.

# %%
# nnlab: setup

# %% [markdown]
# ## Numerical gradients: central differences
#
# The derivative is a limit; for a small step $h$ the **central difference** approximates it entry by
# entry:
#
# $$\frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h},$$
#
# where $e_i$ is the $i$-th unit vector. By Taylor's theorem the error is $O(h^2)$ (the one-sided
# difference $\bigl(f(x + h e_i) - f(x)\bigr)/h$ has error $O(h)$), so $h = 10^{-4}$ gives about eight
# correct digits. It costs two evaluations of $f$ per entry: far too slow to train with, exactly right to
# test a `backward` on a small input.
#
# **Traps.** `f` receives `x` itself, perturbed in place: change one entry, call `f`, change it back.
# Restore the entry by assigning the saved original value (adding $h$ and subtracting it again does not
# always give back the same float). Divide by $2h$, not $h$.

# %%
# nnlab: solution gradcheck.numerical_gradient

# %%
# nnlab: check gradcheck.numerical_gradient

# %%
# nnlab: tests gradcheck.numerical_gradient

# %% [markdown]
# ## Relative error
#
# How close is close enough? An absolute difference of $10^{-6}$ is excellent for a gradient of size
# $10^{3}$ and terrible for one of size $10^{-6}$. The relative error scales it away:
#
# $$\operatorname{rel}(a, b) = \max_i \frac{|a_i - b_i|}{\max\bigl(10^{-8},\ |a_i| + |b_i|\bigr)} .$$
#
# The floor $10^{-8}$ keeps entries where both gradients are (nearly) zero from dividing by zero.
# Rules of thumb in float64 with $h = 10^{-4}$: below about $10^{-6}$ the gradient is right (a smooth
# function usually gives $10^{-8}$ or less); between $10^{-6}$ and $10^{-2}$, suspect a kink (ReLU at $0$,
# a hinge, a maximum) or a subtle bug; above $10^{-2}$ it is wrong. Taking the maximum, not the mean,
# matters: a bug in one bias entry must not be averaged away.
#
# **Trap.** A `nan` anywhere must come out as `nan` (or `inf`), never as a small number: check what
# `np.max` does with `nan`.

# %%
# nnlab: solution gradcheck.relative_error

# %%
# nnlab: check gradcheck.relative_error

# %%
# nnlab: tests gradcheck.relative_error

# %% [markdown]
# ## The fully connected layer
#
# For a batch $x$ of shape $(N, D)$, weights $W$ of shape $(M, D)$ (PyTorch's layout: row $j$ holds the
# weights into output $j$) and bias $b$ of shape $(M,)$:
#
# $$y = x W^\top + b \quad (N, M).$$
#
# With $g = \partial L / \partial y$ of shape $(N, M)$, the chain rule gives three products with the same
# matrices:
#
# $$\frac{\partial L}{\partial W} = g^\top x \quad (M, D), \qquad
# \frac{\partial L}{\partial b} = \sum_{n} g_n \quad (M,), \qquad
# \frac{\partial L}{\partial x} = g\, W \quad (N, D).$$
#
# A trick for remembering them: each gradient has the shape of what it is the gradient of, and there is
# only one way to multiply $g$, $x$ and $W$ to get that shape. The bias is added to every sample, so its
# gradient sums over the batch.
#
# **Traps.** *Add* the parameter gradients (`self.weight.grad += ...`): a parameter used twice
# collects two contributions, and the optimiser zeroes them. Save `x` in `forward`; `bias` may be `None`.

# %%
# nnlab: solution layers.Linear

# %%
# nnlab: check layers.Linear

# %%
# nnlab: tests layers.Linear

# %% [markdown]
# ## Losses
#
# A loss turns the network's output and the target into one number; its `backward()` starts
# backpropagation by returning $\partial L / \partial \text{input}$, shaped like the input. All five
# average over the batch (PyTorch's `reduction="mean"`), so every gradient carries a $1/N$ (or $1/M$, the
# number of entries): forget it and the step size grows with the batch.
#
# ### Mean squared error
#
# $$L = \frac1M \sum_i (x_i - t_i)^2, \qquad \frac{\partial L}{\partial x_i} = \frac{2}{M}(x_i - t_i),$$
#
# with $M$ the number of entries. The loss of regression. Its gradient is proportional to the error, so
# big mistakes pull hard; for classification this also means that points classified correctly but
# *far* from the boundary still pull (Experiment 3).
#
# **Trap.** The factor $2$ and the division by the number of *entries*, not rows.

# %%
# nnlab: solution losses.MSELoss

# %%
# nnlab: check losses.MSELoss

# %%
# nnlab: tests losses.MSELoss

# %% [markdown]
# ### Binary cross-entropy on probabilities
#
# For probabilities $p \in [0, 1]$ and targets $t \in [0, 1]$:
#
# $$L = -\frac1M \sum_i \bigl[t_i \log p_i + (1 - t_i) \log(1 - p_i)\bigr], \qquad
# \frac{\partial L}{\partial p_i} = \frac1M\,\frac{p_i - t_i}{p_i (1 - p_i)} .$$
#
# The negative log-likelihood of Bernoulli labels.
#
# **Numerical traps.** A confident wrong answer, $p = 0$ for $t = 1$, costs $-\log 0 = \infty$ and turns
# every weight into `nan`. PyTorch clamps each log at $-100$, and floors $p(1-p)$ at $10^{-12}$ in the
# gradient; do the same. Use `np.log1p(-p)` for $\log(1 - p)$: it keeps its digits when $p$ is tiny.

# %%
# nnlab: solution losses.BCELoss

# %%
# nnlab: check losses.BCELoss

# %%
# nnlab: tests losses.BCELoss

# %% [markdown]
# ### Binary cross-entropy on logits
#
# Sigmoid and binary cross-entropy fused: with logits $x$ and $p = \sigma(x)$,
#
# $$L = \frac1M \sum_i \bigl[\max(x_i, 0) - x_i t_i + \log\bigl(1 + e^{-|x_i|}\bigr)\bigr], \qquad
# \frac{\partial L}{\partial x_i} = \frac1M\bigl(\sigma(x_i) - t_i\bigr).$$
#
# The formula is $\log(1 + e^{x}) - x t$ rewritten so that no positive number is exponentiated, so no
# logit overflows and no clamp is needed. The gradient collapses to "prediction minus target": the
# sigmoid's $p(1-p)$ cancels the $1/(p(1-p))$ of the log, so a confidently wrong answer gets the
# *largest* gradient instead of a vanishing one. Prefer this over `Sigmoid` + `BCELoss`.
#
# **Trap.** Compute $\sigma(x)$ for the gradient stably too (as in assignment 2).

# %%
# nnlab: solution losses.BCEWithLogitsLoss

# %%
# nnlab: check losses.BCEWithLogitsLoss

# %%
# nnlab: tests losses.BCEWithLogitsLoss

# %% [markdown]
# ### Cross-entropy
#
# For logits $x$ of shape $(N, C)$ and integer labels $y_n \in \{0, \dots, C-1\}$:
#
# $$L = -\frac1N \sum_n \log \operatorname{softmax}(x_n)_{y_n}, \qquad
# \frac{\partial L}{\partial x_n} = \frac1N\bigl(\operatorname{softmax}(x_n) - \operatorname{onehot}(y_n)\bigr).$$
#
# The surprise of the true class, averaged. As with the logistic loss, fusing softmax and the log makes
# the gradient "predicted probabilities minus the truth", and each row of it sums to $0$.
#
# **Numerical trap.** Compute the log-softmax with the max subtracted (the logsumexp trick of
# assignment 2), never `np.log` of a softmax.

# %%
# nnlab: solution losses.CrossEntropyLoss

# %%
# nnlab: check losses.CrossEntropyLoss

# %%
# nnlab: tests losses.CrossEntropyLoss

# %% [markdown]
# ### Multiclass hinge loss
#
# The multiclass SVM loss (Weston and Watkins): the true class must beat every other class by a
# margin $\Delta$ (default $1$):
#
# $$L = \frac1N \sum_n \sum_{j \ne y_n} \max\bigl(0,\ x_{nj} - x_{n y_n} + \Delta\bigr).$$
#
# With $a_{nj} = 1$ where $j \ne y_n$ and the term is positive (else $0$):
#
# $$\frac{\partial L}{\partial x_{nj}} = \frac{a_{nj}}{N} \ (j \ne y_n), \qquad
# \frac{\partial L}{\partial x_{n y_n}} = -\frac1N \sum_{j} a_{nj} .$$
#
# Unlike cross-entropy, a sample whose margin is met costs nothing and gets no gradient at all: the loss
# stops pushing once the job is done.
#
# **Traps.** Do not compare the true class with itself (that term would always be $\Delta$). At exactly
# zero slack take the gradient $0$ (the $\le 0$ branch).

# %%
# nnlab: solution losses.HingeLoss

# %%
# nnlab: check losses.HingeLoss

# %%
# nnlab: tests losses.HingeLoss

# %% [markdown]
# ## Sequential
#
# A feed-forward network is a composition $f_L(\cdots f_2(f_1(x)))$. Its forward pass calls the layers in
# order; by the chain rule its backward pass hands the gradient to the layers in **reverse** order:
#
# $$h_0 = x,\quad h_i = f_i(h_{i-1}); \qquad g_L = \frac{\partial L}{\partial h_L},\quad
# g_{i-1} = f_i.\text{backward}(g_i).$$
#
# Each layer remembers its own input, so the container stores nothing itself, and `parameters()` is
# every layer's parameters in layer order.
#
# **Trap.** `reversed(self.layers)`, and feed each layer's result to the next: a loop that passes the
# original `grad_y` to every layer runs without error and is wrong.

# %%
# nnlab: solution models.Sequential

# %%
# nnlab: check models.Sequential

# %%
# nnlab: tests models.Sequential

# %% [markdown]
# ## Experiment 1: the chain rule with your modules
#
# The neuron from the top of the notebook, built from your `Linear` (weights set by hand), the given
# `Sigmoid` and your `MSELoss`. The figure draws the graph with the forward values (black) and the
# gradients that your `backward` calls produce (red); the table compares them with the hand computation.

# %%
from activations import ReLU, Sigmoid, Softmax, Tanh
from base import Module
from datasets import blobs, logic_gate

neuron = Linear(2, 1)
neuron.weight.data = np.array([[0.5, -0.5]])
neuron.bias.data = np.array([0.5])
sigmoid, mse = Sigmoid(), MSELoss()
x = np.array([[1.0, 2.0]])
t = np.array([[1.0]])

z = neuron.forward(x)
y = sigmoid.forward(z)
loss = mse.forward(y, t)
grad_y = mse.backward()
grad_z = sigmoid.backward(grad_y)
grad_x = neuron.backward(grad_z)

computed = {
    "z": z.item(),
    "y": y.item(),
    "L": loss,
    "dL/dy": grad_y.item(),
    "dL/dz": grad_z.item(),
    "dL/dw1": neuron.weight.grad[0, 0],
    "dL/dw2": neuron.weight.grad[0, 1],
    "dL/db": neuron.bias.grad[0],
    "dL/dx1": grad_x[0, 0],
    "dL/dx2": grad_x[0, 1],
}
by_hand = dict(zip(computed, [0.0, 0.5, 0.25, -1.0, -0.25, -0.25, -0.5, -0.25, -0.125, 0.125], strict=True))
print(f"{'':8}{'by hand':>10}{'your code':>12}")
for key, value in computed.items():
    flag = "" if np.isclose(value, by_hand[key]) else "   <-- differs"
    print(f"{key:8}{by_hand[key]:>10.4g}{value:>12.4g}{flag}")

fig, ax = plt.subplots(figsize=(12, 3.6))
ax.set_xlim(0, 12)
ax.set_ylim(0, 4.2)
ax.axis("off")
nodes = {
    "x1": (0.8, 3.5, f"$x_1$ = 1\n{computed['dL/dx1']:.4g}"),
    "x2": (0.8, 2.5, f"$x_2$ = 2\n{computed['dL/dx2']:.4g}"),
    "w1": (0.8, 1.5, f"$w_1$ = 0.5\n{computed['dL/dw1']:.4g}"),
    "w2": (0.8, 0.5, f"$w_2$ = -0.5\n{computed['dL/dw2']:.4g}"),
    "b": (3.2, 0.5, f"$b$ = 0.5\n{computed['dL/db']:.4g}"),
    "z": (4.6, 2.0, f"z = w·x + b\n= {computed['z']:.4g}\n{computed['dL/dz']:.4g}"),
    "y": (7.2, 2.0, f"y = σ(z)\n= {computed['y']:.4g}\n{computed['dL/dy']:.4g}"),
    "L": (10.0, 2.0, f"L = (y − t)²\n= {computed['L']:.4g}\n1"),
}
for px, py, label in nodes.values():
    ax.text(px, py, label, ha="center", va="center", fontsize=10, bbox={"boxstyle": "round", "fc": "#f4f4f4"})
for start, end in [("x1", "z"), ("x2", "z"), ("w1", "z"), ("w2", "z"), ("b", "z"), ("z", "y"), ("y", "L")]:
    (x0, y0, _), (x1, y1, _) = nodes[start], nodes[end]
    ax.annotate("", xy=(x1 - 0.9, y1), xytext=(x0 + 0.7, y0), arrowprops={"arrowstyle": "->", "color": "0.4"})
ax.text(
    6.0,
    3.7,
    "second line: the value (forward)    last line: dL/d(node) from your backward",
    ha="center",
    color="#b22222",
    fontsize=10,
)
ax.set_title("the neuron as a graph: forward values and backward gradients")
plt.show()

# %% [markdown]
# **Questions.** Which value saved during the forward pass did each `backward` need? If you changed the
# target to $t = 0$, which gradients would change sign, and which would keep their size?

# %% [markdown]
# ## Experiment 2: gradient checking, and a table that tells right from wrong
#
# For every module, your `numerical_gradient` with $h = 10^{-4}$ against the module's `backward`, and
# your `relative_error` between them. A module with output $y$ is checked through the scalar
# $f(x) = \sum_i r_i y_i$ for a fixed random $r$: its gradient is exactly `backward(r)`. Parameters are
# checked the same way, perturbing `p.data`. Losses are scalars already.
#
# The last five rows are **deliberately wrong** gradients, the mistakes students make most: forgetting
# the $(1 - y)$ of the sigmoid, averaging the bias gradient instead of summing it, keeping only the
# diagonal of softmax's Jacobian, dropping the $1/N$ of cross-entropy, dropping the $2$ of the squared
# error. Look for the gap between the two groups: many orders of magnitude, so one threshold separates
# them.

# %%
H = 1e-4
rng = np.random.default_rng(0)


def away_from_zero(a, gap=0.05):
    """Move entries out of (-gap, gap), so no probe at +-h crosses a ReLU kink."""
    return np.where(np.abs(a) < gap, a + np.sign(a + 1e-12) * 2 * gap, a)


def check_input(module, x):
    """Relative error of backward(r) against central differences of sum(r * forward(x))."""
    r = rng.standard_normal(module.forward(x).shape)
    analytic = module.backward(r)
    numeric = numerical_gradient(lambda v: float(np.sum(r * module.forward(v))), x.copy(), h=H)
    return relative_error(analytic, numeric)


def check_parameter(module, x, p):
    """Relative error of p.grad after backward(r) against central differences in p.data."""
    r = rng.standard_normal(module.forward(x).shape)
    for q in module.parameters():
        q.grad[...] = 0.0
    module.backward(r)
    analytic = p.grad.copy()
    numeric = numerical_gradient(lambda _: float(np.sum(r * module.forward(x))), p.data, h=H)
    return relative_error(analytic, numeric)


def check_loss(loss, x, target):
    loss.forward(x, target)
    analytic = loss.backward()
    numeric = numerical_gradient(lambda v: loss.forward(v, target), x.copy(), h=H)
    return relative_error(analytic, numeric)


class SigmoidForgotOneMinusY(Module):
    """Wrong on purpose: sigmoid' written as y instead of y (1 - y)."""

    def forward(self, x):
        self._y = Sigmoid().forward(x)
        return self._y

    def backward(self, grad_y):
        return grad_y * self._y


class LinearMeanBias(Linear):
    """Wrong on purpose: the bias gradient averaged over the batch instead of summed."""

    def backward(self, grad_y):
        grad_x = super().backward(grad_y)
        self.bias.grad -= grad_y.sum(axis=0) - grad_y.mean(axis=0)
        return grad_x


class SoftmaxDiagonalOnly(Module):
    """Wrong on purpose: only the diagonal y_i (1 - y_i) of softmax's Jacobian."""

    def forward(self, x):
        self._y = Softmax().forward(x)
        return self._y

    def backward(self, grad_y):
        return grad_y * self._y * (1 - self._y)


class CrossEntropyForgotMean(CrossEntropyLoss):
    """Wrong on purpose: the gradient of the sum, not of the mean."""

    def backward(self):
        return super().backward() * self._n

    def forward(self, input, target):  # noqa: A002 (PyTorch's name)
        self._n = len(input)
        return super().forward(input, target)


class MSEForgotTwo(MSELoss):
    """Wrong on purpose: (x - t) / M instead of 2 (x - t) / M."""

    def backward(self):
        return super().backward() / 2


x = away_from_zero(rng.standard_normal((4, 3)))
logits = rng.standard_normal((4, 5))
labels = rng.integers(0, 5, size=4)
probabilities = Sigmoid().forward(rng.standard_normal((4, 3)))
binary = rng.integers(0, 2, size=(4, 3)).astype(float)
linear = Linear(3, 2, rng=rng)
network = Sequential(Linear(3, 4, rng=rng), Tanh(), Linear(4, 2, rng=rng))
wrong_linear = LinearMeanBias(3, 2, rng=rng)

rows = [
    ("Linear: dL/dx", check_input(linear, x)),
    ("Linear: dL/dW", check_parameter(linear, x, linear.weight)),
    ("Linear: dL/db", check_parameter(linear, x, linear.bias)),
    ("Sigmoid", check_input(Sigmoid(), x)),
    ("Tanh", check_input(Tanh(), x)),
    ("ReLU (away from 0)", check_input(ReLU(), x)),
    ("Softmax", check_input(Softmax(), logits)),
    ("MSELoss", check_loss(MSELoss(), x, binary)),
    ("BCELoss", check_loss(BCELoss(), probabilities, binary)),
    ("BCEWithLogitsLoss", check_loss(BCEWithLogitsLoss(), x, binary)),
    ("CrossEntropyLoss", check_loss(CrossEntropyLoss(), logits, labels)),
    ("HingeLoss", check_loss(HingeLoss(), logits, labels)),
    ("Sequential: dL/dx", check_input(network, x)),
    ("Sequential: dL/dW of layer 0", check_parameter(network, x, network.layers[0].weight)),
    ("WRONG sigmoid' = y", check_input(SigmoidForgotOneMinusY(), x)),
    ("WRONG Linear db = mean", check_parameter(wrong_linear, x, wrong_linear.bias)),
    ("WRONG softmax, diagonal only", check_input(SoftmaxDiagonalOnly(), logits)),
    ("WRONG cross-entropy, no 1/N", check_loss(CrossEntropyForgotMean(), logits, labels)),
    ("WRONG MSE, no factor 2", check_loss(MSEForgotTwo(), x, binary)),
]
print(f"{'gradient':32}{'relative error':>16}")
for name, error in rows:
    print(f"{name:32}{error:>16.2e}")

fig, axes = plt.subplots(1, 2, figsize=(15, 5.5), gridspec_kw={"width_ratios": [1.2, 1]})
ax = axes[0]
names = [name for name, _ in rows][::-1]
errors = np.array([error for _, error in rows][::-1])
colours = np.where(errors < 1e-6, "#2ca02c", np.where(errors < 1e-2, "#ff7f0e", "#d62728"))
ax.barh(names, np.maximum(errors, 1e-16), color=colours)
ax.set_xscale("log")
ax.set_xlim(1e-16, 10)
for threshold, label in [(1e-6, "1e-6"), (1e-2, "1e-2")]:
    ax.axvline(threshold, color="k", linestyle=":", linewidth=1)
    ax.text(threshold, len(rows) - 0.4, label, ha="center", fontsize=8)
ax.set_xlabel(f"relative error, h = {H:g}")
ax.set_title("green: right (< 1e-6), red: wrong (> 1e-2)")

# How the step h matters: relative error of a correct and a wrong gradient against h.
steps = np.logspace(-12, 0, 25)
tanh_x = x[:1]
ax = axes[1]
for label, module, colour in [
    ("Tanh (correct)", Tanh(), "C0"),
    ("Sigmoid (correct)", Sigmoid(), "C2"),
    ("sigmoid' = y (wrong)", SigmoidForgotOneMinusY(), "#d62728"),
]:
    r = np.ones_like(tanh_x)
    module.forward(tanh_x)
    analytic = module.backward(r)
    curve = [
        relative_error(
            analytic, numerical_gradient(lambda v, m=module: float(np.sum(m.forward(v))), tanh_x.copy(), h=h)
        )
        for h in steps
    ]
    ax.loglog(steps, np.maximum(curve, 1e-17), marker=".", color=colour, label=label)
ax.axvline(H, color="k", linestyle=":", linewidth=1)
ax.set_xlabel("step h")
ax.set_ylabel("relative error")
ax.set_title("too large: truncation error ~ h²; too small: round-off ~ ε/h")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# **Questions.** The wrong rows have relative errors of order $10^{-1}$ to $1$, the right ones around
# $10^{-8}$ or below: why is a bug almost never "a little" wrong? A missing factor of $2$ gives exactly
# $1/3$: show it from the definition of the relative error. On the right, why does the error of a
# correct gradient grow again when $h$ is below $10^{-6}$, and why is the wrong gradient's curve flat?

# %% [markdown]
# ## Experiment 3: MSE, cross-entropy and hinge on the same classifier
#
# One `Linear(2, 2)` classifier (two scores; the larger wins) on two separable clouds, to which we add
# a group of 20 class-1 points far out on the *correct* side. It is trained three times, from the same
# initial weights, with the same plain gradient step written below, and a different loss each time:
# `MSELoss` on one-hot targets, `CrossEntropyLoss` and `HingeLoss`. The dashed line is the boundary the
# same loss finds **without** the far group.
#
# Look for which boundary moves. The far points are classified correctly from the start: hinge ignores
# them once their margin is met, cross-entropy gives them an exponentially small gradient, and MSE keeps
# pulling them towards the target score 1, tilting the boundary until it misclassifies the near points.

# %%
X, y = blobs(100, seed=0, margin=0.5)
towards_1 = X[y == 1].mean(axis=0) - X[y == 0].mean(axis=0)
towards_1 /= np.linalg.norm(towards_1)
sideways = np.array([-towards_1[1], towards_1[0]])
far = X[y == 1][:20] + 6 * towards_1 + 4 * sideways
X_far = np.vstack([X, far])
y_far = np.concatenate([y, np.ones(20, dtype=np.int64)])


def train_classifier(loss_fn, X, y, steps=500, lr=0.05):
    """Plain gradient descent on a Linear(2, 2); MSE gets one-hot targets."""
    model = Linear(2, 2, rng=np.random.default_rng(1))
    target = np.eye(2)[y] if isinstance(loss_fn, MSELoss) else y
    losses, accuracies = [], []
    for _ in range(steps):
        scores = model.forward(X)
        losses.append(loss_fn.forward(scores, target))
        accuracies.append(np.mean(scores.argmax(axis=1) == y))
        model.backward(loss_fn.backward())
        for p in model.parameters():
            p.data -= lr * p.grad
            p.grad[...] = 0.0
    return model, losses, accuracies


fig, axes = plt.subplots(2, 3, figsize=(15, 8.5), gridspec_kw={"height_ratios": [1.3, 1]})
lim = (X_far[:, 0].min() - 0.5, X_far[:, 0].max() + 0.5, X_far[:, 1].min() - 0.5, X_far[:, 1].max() + 0.5)
xx, yy = np.meshgrid(np.linspace(lim[0], lim[1], 200), np.linspace(lim[2], lim[3], 200))
grid_points = np.column_stack([xx.ravel(), yy.ravel()])
histories = {}
for ax, (name, make_loss) in zip(
    axes[0], [("MSE", MSELoss), ("cross-entropy", CrossEntropyLoss), ("hinge", HingeLoss)], strict=True
):
    model, losses, accuracies = train_classifier(make_loss(), X_far, y_far)
    reference, _, _ = train_classifier(make_loss(), X, y)
    histories[name] = (losses, accuracies)
    margin = model.forward(grid_points) @ np.array([-1.0, 1.0])  # score of class 1 minus class 0
    ax.contourf(xx, yy, margin.reshape(xx.shape) > 0, levels=[-0.5, 0.5, 1.5], colors=["#cfe2f3", "#f9d9c4"])
    without = reference.forward(grid_points) @ np.array([-1.0, 1.0])
    ax.contour(xx, yy, without.reshape(xx.shape), levels=[0.0], colors="k", linestyles="--", linewidths=1)
    ax.scatter(*X_far[y_far == 0].T, s=14, c="#1f77b4", edgecolors="k", linewidths=0.3)
    ax.scatter(*X_far[y_far == 1].T, s=14, c="#d95f02", edgecolors="k", linewidths=0.3)
    ax.set_title(f"{name}: {accuracies[-1]:.0%} of the points right")
    ax.set_aspect("equal")
ax = axes[1, 0]
for name, (losses, _) in histories.items():
    ax.semilogy(np.array(losses) / losses[0], label=name)
ax.set_xlabel("gradient step")
ax.set_ylabel("loss / initial loss")
ax.set_title("loss curves (each in its own units)")
ax.legend(fontsize=8)
ax = axes[1, 1]
for name, (_, accuracies) in histories.items():
    ax.plot(accuracies, label=name)
ax.set_xlabel("gradient step")
ax.set_ylabel("accuracy")
ax.set_ylim(0.5, 1.01)
ax.set_title("accuracy on the training points")
ax.legend(fontsize=8)
ax = axes[1, 2]
s = np.linspace(-3, 3, 301)
ax.plot(s, (s - 1) ** 2, label="MSE: (s - 1)², target score 1")
ax.plot(s, np.logaddexp(0, -s), label="cross-entropy, 2 classes: log(1 + e^-s)")
ax.plot(s, np.maximum(0, 1 - s), label="hinge, 2 classes: max(0, 1 - s)")
ax.set_ylim(0, 6)
ax.set_xlabel("s: the score (lead) of the true class")
ax.set_title("what each loss charges a single point")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# **Questions.** The right-hand panel explains the picture: what does MSE charge a point that leads by
# $s = 3$, and what do the other two charge? Why does the hinge loss reach exactly $0$ while
# cross-entropy never does? For which task is MSE the right loss after all?

# %% [markdown]
# ## Experiment 4: Sequential solves XOR
#
# The perceptron of assignment 1 could not learn XOR. Two layers can: your `Sequential` of
# `Linear(2, 4)`, `Tanh` and `Linear(4, 2)`, trained with your `CrossEntropyLoss` and the same plain
# gradient step. Left: the decision regions, with the line where each hidden unit's input is $0$
# (each hidden unit is a soft perceptron; the output layer combines them). Right: the loss curve, and
# the relative error of the whole network's gradient, checked every 100 steps against
# `numerical_gradient`.

# %%
X, y = logic_gate("xor")
model = Sequential(Linear(2, 4, rng=np.random.default_rng(0)), Tanh(), Linear(4, 2, rng=np.random.default_rng(1)))
loss_fn = CrossEntropyLoss()
losses, checks = [], []
for step in range(1000):
    loss = loss_fn.forward(model.forward(X), y)
    losses.append(loss)
    model.backward(loss_fn.backward())
    if step % 100 == 0:
        first = model.layers[0].weight
        numeric = numerical_gradient(lambda _: loss_fn.forward(model.forward(X), y), first.data, h=H)
        checks.append((step, relative_error(first.grad, numeric)))
    for p in model.parameters():
        p.data -= 0.5 * p.grad
        p.grad[...] = 0.0

fig, axes = plt.subplots(1, 2, figsize=(12, 4.8))
ax = axes[0]
xx, yy = np.meshgrid(np.linspace(-0.5, 1.5, 200), np.linspace(-0.5, 1.5, 200))
grid_points = np.column_stack([xx.ravel(), yy.ravel()])
regions = model.forward(grid_points).argmax(axis=1).reshape(xx.shape)
ax.contourf(xx, yy, regions, levels=[-0.5, 0.5, 1.5], colors=["#cfe2f3", "#f9d9c4"])
hidden = model.layers[0]
for j in range(hidden.out_features):
    pre = grid_points @ hidden.weight.data[j] + hidden.bias.data[j]
    ax.contour(xx, yy, pre.reshape(xx.shape), levels=[0.0], colors="0.3", linestyles=":", linewidths=1)
ax.scatter(*X[y == 0].T, s=80, c="#1f77b4", edgecolors="k")
ax.scatter(*X[y == 1].T, s=80, c="#d95f02", edgecolors="k")
ax.set_xlim(-0.5, 1.5)
ax.set_ylim(-0.5, 1.5)
ax.set_aspect("equal")
predictions = model.forward(X).argmax(axis=1)
ax.set_title(f"XOR: predictions {predictions.tolist()}, targets {y.tolist()}")
ax = axes[1]
ax.semilogy(losses, label="cross-entropy")
ax.set_xlabel("gradient step")
ax.set_ylabel("loss")
check_ax = ax.twinx()
check_ax.semilogy(*zip(*checks, strict=True), "rs", label="relative error of dL/dW (layer 0)")
check_ax.set_ylim(1e-12, 1)
check_ax.set_ylabel("relative error", color="r")
handles = ax.get_legend_handles_labels()[0] + check_ax.get_legend_handles_labels()[0]
ax.legend(handles=handles, fontsize=8, loc="upper right")
ax.set_title("training, with a gradient check every 100 steps")
fig.tight_layout()
plt.show()

# %% [markdown]
# **Questions.** How many hidden units does XOR need at the least? (Try `Linear(2, 2)`; a few seeds
# may get stuck: why can gradient descent fail where a solution exists?) What happens to the
# decision regions if you replace `Tanh()` by nothing at all, i.e. `Sequential(Linear(2, 4),
# Linear(4, 2))`?
