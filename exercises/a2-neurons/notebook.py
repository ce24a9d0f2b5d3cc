# %% [markdown]
# ## How to work in this notebook
#
# Thirteen activations, each with a short lesson, a cell to complete between the
# `### BEGIN SOLUTION` / `### END SOLUTION` markers, and a "check your work" cell. Every elementwise
# activation follows the same pattern:
#
# $$y = f(x), \qquad \frac{\partial L}{\partial x} = \frac{\partial L}{\partial y} \odot f'(x),$$
#
# so `forward` computes $f$ and saves what $f'$ needs (often the output $y$ itself, which is cheaper
# than recomputing), and `backward(grad_y)` multiplies. The experiments at the end plot **your**
# forward and backward: a wrong derivative shows up as a curve that leaves the dotted reference.

# %%
# nnlab: setup

# %% [markdown]
# ## Sigmoid
#
# $$\sigma(x) = \frac{1}{1 + e^{-x}} \in (0, 1), \qquad \sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr) = y(1-y).$$
#
# The derivative is read off the output, so `forward` saves $y$ and `backward` returns
# `grad_y * y * (1 - y)`. Since $y(1-y) \le \tfrac14$ (at $y = \tfrac12$, i.e. $x = 0$), every sigmoid
# layer shrinks the gradient by a factor of at least four: the vanishing gradient of deep sigmoid
# networks.
#
# **Numerical trap.** For $x < -709$, $e^{-x}$ overflows to `inf`. With $z = e^{-|x|} \in (0, 1]$, use
# $\frac{1}{1+z}$ where $x \ge 0$ and the equal $\frac{z}{1+z}$ where $x < 0$: no exponential of a
# positive number is ever taken. (`np.where` evaluates both branches, so compute $z$ first.)

# %%
# nnlab: solution activations.Sigmoid

# %%
# nnlab: check activations.Sigmoid

# %%
# nnlab: tests activations.Sigmoid

# %% [markdown]
# ## Tanh
#
# $$\tanh x = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1 \in (-1, 1), \qquad \tanh'(x) = 1 - y^2 .$$
#
# Tanh is a rescaled sigmoid that is zero-centred, and its derivative peaks at $1$ instead of
# $\tfrac14$. It still saturates: for $|x| > 3$ the derivative is below $0.01$.
#
# **Trap.** Use `np.tanh` (stable for every input) rather than the quotient of exponentials, which
# gives `inf / inf = nan` for $|x| > 710$. Save $y$ in `forward` for `backward`.

# %%
# nnlab: solution activations.Tanh

# %%
# nnlab: check activations.Tanh

# %%
# nnlab: tests activations.Tanh

# %% [markdown]
# ## ReLU
#
# $$\operatorname{ReLU}(x) = \max(0, x), \qquad
# \operatorname{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}$$
#
# The derivative is exactly $1$ for every active unit, so gradients pass through many ReLU layers
# undiminished, and it costs one comparison. The price: a unit whose input is negative for every
# training example receives no gradient at all and never changes again (a *dead* ReLU; Experiment 3
# counts them).
#
# **Trap.** At $x = 0$ the derivative is $0$ (PyTorch's choice, the $x \le 0$ branch). Save the mask
# `x > 0` in `forward`; do not modify `x` in place (`x[x < 0] = 0` would change the caller's array).

# %%
# nnlab: solution activations.ReLU

# %%
# nnlab: check activations.ReLU

# %%
# nnlab: tests activations.ReLU

# %% [markdown]
# ## Leaky ReLU
#
# $$f(x) = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases} \qquad
# f'(x) = \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}$$
#
# with a small fixed slope $\alpha$ (`negative_slope`, PyTorch's default $0.01$). Negative inputs
# still pass a little gradient, so a unit that drifted into the negative range can come back.
#
# **Trap.** At $x = 0$ the derivative is $\alpha$, not $1$.

# %%
# nnlab: solution activations.LeakyReLU

# %%
# nnlab: check activations.LeakyReLU

# %%
# nnlab: tests activations.LeakyReLU

# %% [markdown]
# ## PReLU
#
# A leaky ReLU whose slope $a$ is a **parameter** learned with the weights (He et al., 2015):
# $f(x) = x$ for $x > 0$ and $a x$ otherwise. Besides $\partial L / \partial x$ (as for leaky ReLU,
# with slope $a$), `backward` *adds* the gradient with respect to $a$ into `self.weight.grad`:
#
# $$\frac{\partial L}{\partial a} = \sum_{i:\ x_i \le 0} \frac{\partial L}{\partial y_i}\, x_i .$$
#
# One slope is used by every entry, so it collects a contribution from each of them: the rule for
# any shared parameter. With `num_parameters = C`, slope $c$ belongs to channel $c$ (axis 1) and the
# sum runs over all other axes.
#
# **Traps.** Accumulate with `+=` (the optimiser zeroes gradients, not you); broadcast the slopes as
# shape `(1, C, 1, ...)` so they line up with axis 1.

# %%
# nnlab: solution activations.PReLU

# %%
# nnlab: check activations.PReLU

# %%
# nnlab: tests activations.PReLU

# %% [markdown]
# ## ELU
#
# $$f(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases} \qquad
# f'(x) = \begin{cases} 1 & x > 0 \\ \alpha e^{x} = f(x) + \alpha & x \le 0 \end{cases}$$
#
# Like leaky ReLU it keeps a gradient for negative inputs, but the negative part saturates smoothly
# at $-\alpha$, which pushes mean activations towards zero. With $\alpha = 1$ the derivative is
# continuous at $0$.
#
# **Numerical trap.** `np.where(x > 0, x, alpha * np.expm1(x))` also evaluates `expm1(x)` for large
# positive $x$, which overflows (a warning, and `inf` in the discarded branch). Take the exponential of
# `np.minimum(x, 0)`; `expm1` keeps full precision for $x$ near $0$, where $e^x - 1$ would cancel.

# %%
# nnlab: solution activations.ELU

# %%
# nnlab: check activations.ELU

# %%
# nnlab: tests activations.ELU

# %% [markdown]
# ## SELU
#
# $$\operatorname{SELU}(x) = \lambda\, \operatorname{ELU}_\alpha(x), \qquad
# \lambda \approx 1.0507,\ \alpha \approx 1.6733,$$
#
# with constants chosen (Klambauer et al., 2017) so that, for standard-normal inputs and weights of
# variance $1/\text{fan-in}$, the outputs again have mean $0$ and variance $1$: a deep stack of SELU
# layers keeps its activations normalised by itself. The derivative is $\lambda$ times ELU's.
#
# **Reuse.** SELU is ELU scaled: build it on an `ELU` module (the class keeps one in `self._elu`)
# instead of writing the exponential again. Use PyTorch's constants to all their digits.

# %%
# nnlab: solution activations.SELU

# %%
# nnlab: check activations.SELU

# %%
# nnlab: tests activations.SELU

# %% [markdown]
# ## GELU
#
# The Gaussian error linear unit weights its input by the probability that a standard normal variable
# lies below it:
#
# $$\operatorname{GELU}(x) = x\,\Phi(x), \quad \Phi(x) = \tfrac12 \operatorname{erfc}\!\bigl(-x/\sqrt2\bigr), \qquad
# \operatorname{GELU}'(x) = \Phi(x) + x\,\varphi(x), \quad \varphi(x) = \frac{e^{-x^2/2}}{\sqrt{2\pi}} .$$
#
# It is a smooth ReLU with a small dip below zero (minimum about $-0.17$ near $x = -0.75$), used in
# BERT and GPT. `approximate="tanh"` selects PyTorch's approximation
# $\tfrac{x}{2}\bigl(1 + \tanh(\sqrt{2/\pi}\,(x + 0.044715 x^3))\bigr)$.
#
# **Numerical traps.** numpy has no `erf`; the support functions `erf` and `erfc` are given. Use
# `erfc(-x / sqrt 2)` rather than `1 + erf(x / sqrt 2)`, which loses every digit in the left tail.
# $x^2$ and $x^3$ overflow for huge $|x|$: clip $x$ where the terms have long reached their limits.

# %%
# nnlab: solution activations.GELU

# %%
# nnlab: check activations.GELU

# %%
# nnlab: tests activations.GELU

# %% [markdown]
# ## SiLU (Swish)
#
# $$\operatorname{SiLU}(x) = x\,\sigma(x), \qquad
# \operatorname{SiLU}'(x) = \sigma(x) + x\,\sigma(x)\bigl(1 - \sigma(x)\bigr)$$
#
# by the product rule. Like GELU, a smooth non-monotonic ReLU (minimum about $-0.28$ near
# $x = -1.28$).
#
# **Reuse.** Compute $\sigma$ with the `Sigmoid` module the class keeps (`self._sigmoid`), so the
# stable sigmoid is written once.

# %%
# nnlab: solution activations.SiLU

# %%
# nnlab: check activations.SiLU

# %%
# nnlab: tests activations.SiLU

# %% [markdown]
# ## Softplus
#
# $$\operatorname{softplus}(x) = \frac{1}{\beta}\log\bigl(1 + e^{\beta x}\bigr), \qquad
# \operatorname{softplus}'(x) = \sigma(\beta x),$$
#
# a smooth ReLU that is always positive (used where a value must be positive, such as a standard
# deviation). Where $\beta x$ exceeds `threshold` (default 20), PyTorch returns $x$ itself (they agree
# to double precision there) and the derivative is $1$.
#
# **Numerical trap.** $e^{\beta x}$ overflows for $\beta x > 709$. Use
# $\log(1 + e^{z}) = \max(z, 0) + \operatorname{log1p}(e^{-|z|})$, which exponentiates only
# non-positive numbers.

# %%
# nnlab: solution activations.Softplus

# %%
# nnlab: check activations.Softplus

# %%
# nnlab: tests activations.Softplus

# %% [markdown]
# ## Softmax
#
# Softmax turns a vector of scores (logits) into probabilities along one axis `dim`:
#
# $$y_i = \frac{e^{x_i}}{\sum_j e^{x_j}}, \qquad \frac{\partial y_i}{\partial x_j} = y_i(\delta_{ij} - y_j), \qquad
# \frac{\partial L}{\partial x} = y \odot \Bigl(g - \sum_j g_j y_j\Bigr), \quad g = \frac{\partial L}{\partial y}.$$
#
# Unlike the functions above, every output depends on every input along `dim`, so the Jacobian is a
# full matrix; `backward` computes its product with $g$ without ever building it. (A consequence:
# `backward(ones)` is $0$, because the outputs always sum to $1$.)
#
# **Numerical trap.** $e^{1000}$ is `inf`, and `inf / inf` is `nan`. Softmax does not change when the
# same constant is subtracted from every logit, so subtract the maximum along `dim` first: every
# exponent is then $\le 0$ and the largest term is exactly $1$. Experiment 5 shows the difference.

# %%
# nnlab: solution activations.Softmax

# %%
# nnlab: check activations.Softmax

# %%
# nnlab: tests activations.Softmax

# %% [markdown]
# ## LogSoftmax
#
# $$y_i = \log \operatorname{softmax}(x)_i = x_i - \operatorname{logsumexp}(x), \qquad
# \frac{\partial L}{\partial x} = g - \operatorname{softmax}(x) \sum_j g_j .$$
#
# **Numerical trap.** `np.log(softmax(x))` fails when a probability underflows to $0$ ($\log 0 =
# -\infty$, for a log-probability below about $-745$). The *logsumexp trick*,
# $\operatorname{logsumexp}(x) = m + \log \sum_j e^{x_j - m}$ with $m = \max_j x_j$, keeps every term
# finite: a log-probability of $-1000$ comes out as $-1000$. Cross-entropy (next assignment) is built
# on this.

# %%
# nnlab: solution activations.LogSoftmax

# %%
# nnlab: check activations.LogSoftmax

# %%
# nnlab: tests activations.LogSoftmax

# %% [markdown]
# ## Maxout
#
# A Maxout unit (Goodfellow et al., 2013) is not a fixed function but a small layer: the maximum of $K$
# linear pieces,
#
# $$z_{nkj} = x_n \cdot W_{kj} + b_{kj}, \qquad y_{nj} = \max_k z_{nkj},$$
#
# with `weight` of shape `(K, M, D)` and `bias` `(K, M)`. A maximum passes the gradient to its winner
# only: with $k^\star$ the winning piece, $\partial L/\partial z_{nkj} = g_{nj}$ if $k = k^\star$ and
# $0$ otherwise; then, as for $K$ linear layers,
#
# $$\frac{\partial L}{\partial W_k} = \Bigl(\frac{\partial L}{\partial z_{:,k}}\Bigr)^{\!\top} x, \qquad
# \frac{\partial L}{\partial b_k} = \sum_n \frac{\partial L}{\partial z_{n,k}}, \qquad
# \frac{\partial L}{\partial x} = \sum_k \frac{\partial L}{\partial z_{:,k}}\, W_k .$$
#
# A maximum of linear functions is convex and piecewise linear, so a unit learns its own activation:
# with two pieces it can be ReLU ($\max(w\cdot x, 0)$), a leaky ReLU or $|w \cdot x|$. One piece always
# wins, so a Maxout unit never dies.
#
# **Traps.** On a tie the whole gradient goes to *one* piece (`np.argmax` picks the first); save the
# winner's index in `forward`. `np.einsum` expresses the three products without loops.

# %%
# nnlab: solution activations.Maxout

# %%
# nnlab: check activations.Maxout

# %%
# nnlab: tests activations.Maxout

# %% [markdown]
# ## Experiment 1: every activation and its derivative
#
# Each panel shows your `forward` (solid), your `backward` called with `grad_y = ones` (dashed), which
# is $f'(x)$ entry by entry, and, as dots, the central difference $\bigl(f(x+h) - f(x-h)\bigr)/2h$ of your
# own `forward`. Where the dashed curve leaves the dots, `backward` is not the derivative of `forward`.
# (At a kink, $x = 0$ for the ReLU family, the two may disagree at that single point.)

# %%
from datasets import moons, spirals

elementwise = {
    "Sigmoid": Sigmoid(),
    "Tanh": Tanh(),
    "ReLU": ReLU(),
    "LeakyReLU(0.1)": LeakyReLU(0.1),
    "PReLU (a = 0.25)": PReLU(),
    "ELU": ELU(),
    "SELU": SELU(),
    "GELU": GELU(),
    "SiLU": SiLU(),
    "Softplus": Softplus(),
}
x = np.linspace(-4, 4, 401)
x_dots = np.linspace(-3.9, 3.9, 27)
h = 1e-5
fig, axes = plt.subplots(2, 5, figsize=(15, 6), sharex=True)
for ax, (name, act) in zip(axes.ravel(), elementwise.items(), strict=True):
    y = act.forward(x)
    dy = act.backward(np.ones_like(x))
    numeric = (act.forward(x_dots + h) - act.forward(x_dots - h)) / (2 * h)
    ax.axhline(0, color="0.8", linewidth=0.8)
    ax.axvline(0, color="0.8", linewidth=0.8)
    ax.plot(x, y, color="#1f77b4", label="forward $f(x)$")
    ax.plot(x, dy, color="#d62728", linestyle="--", label="backward(ones)")
    ax.plot(x_dots, numeric, "k.", markersize=4, label="central difference")
    ax.set_title(name)
    ax.set_ylim(-2, 4)
axes[0, 0].legend(fontsize=8, loc="upper left")
for ax in axes[1]:
    ax.set_xlabel("x")
fig.suptitle("Activations (solid), their derivatives from backward (dashed) and from forward (dots)")
fig.tight_layout()
plt.show()

# %% [markdown]
# **Questions.** Which activations have a derivative that is exactly zero on a whole half-line, and
# which only approach zero? Which have a derivative larger than $1$ somewhere (look at SELU and
# SiLU), and why could that matter in a deep stack?

# %% [markdown]
# ## Experiment 2: sigmoid's $y(1-y)$ and its cap of $1/4$
#
# Left: your sigmoid's derivative from `backward`, against $x$, with the cap $\tfrac14$. Middle: the
# same derivative plotted against the *output* $y$: the parabola $y(1-y)$, highest at $y = \tfrac12$.
# Right: the gradient that reaches the input of a chain of $L$ identical activations,
# $f(f(\cdots f(x)))$, computed by calling your `backward` $L$ times, averaged (in absolute value) over
# 200 inputs $x \sim \mathcal N(0, 1)$, against $4^{-L}$.
#
# The chain has no weights, so it is only a caricature of a deep network, but it shows the factor that
# every sigmoid layer contributes: at most a quarter, usually less.

# %%
sigmoid = Sigmoid()
x = np.linspace(-8, 8, 401)
y = sigmoid.forward(x)
dy = sigmoid.backward(np.ones_like(x))

depths = np.arange(1, 21)
rng = np.random.default_rng(0)
x0 = rng.standard_normal(200)
chain_grads = {}
for name, make in [("Sigmoid", Sigmoid), ("Tanh", Tanh), ("ReLU", ReLU)]:
    mean_grad = []
    for depth in depths:
        chain = [make() for _ in range(depth)]
        h = x0
        for act in chain:
            h = act.forward(h)
        g = np.ones_like(x0)
        for act in reversed(chain):
            g = act.backward(g)
        mean_grad.append(np.mean(np.abs(g)))
    chain_grads[name] = mean_grad

fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
ax = axes[0]
ax.plot(x, y, label=r"$\sigma(x)$")
ax.plot(x, dy, "--", label=r"backward(ones) $= \sigma'(x)$")
ax.axhline(0.25, color="k", linewidth=0.8, linestyle=":", label="1/4")
ax.set_xlabel("x")
ax.legend(fontsize=8)
ax.set_title("the derivative peaks at x = 0")
ax = axes[1]
ax.plot(y, dy, "--", color="C1", label=r"backward(ones) against $y$")
y_ref = np.linspace(0, 1, 11)
ax.plot(y_ref, y_ref * (1 - y_ref), "k.", label="$y(1-y)$")
ax.axhline(0.25, color="k", linewidth=0.8, linestyle=":")
ax.set_xlabel(r"output $y = \sigma(x)$")
ax.set_title(r"$\sigma'(x) = y(1-y) \leq 1/4$")
ax.legend(fontsize=8)
ax = axes[2]
for name, mean_grad in chain_grads.items():
    ax.semilogy(depths, mean_grad, marker=".", label=name)
ax.semilogy(depths, 0.25**depths, "k:", label="$4^{-L}$")
ax.set_xlabel("number of layers L")
ax.set_ylabel(r"mean $|\partial y / \partial x|$")
ax.set_title("the gradient through L activations")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# **Questions.** Why does the sigmoid chain fall faster than $4^{-L}$ rather than along it? (After the
# first layer every input lies in $(0, 1)$; what is $\sigma'$ there?) Tanh's derivative peaks at $1$,
# yet its chain decays too: why, and why so much more slowly? What will a good initialisation have to
# do for the weights between the layers (assignment 4)? ReLU passes a gradient of exactly $1$ or $0$:
# why is its mean one half at every depth?

# %% [markdown]
# ## Experiment 3: dead ReLUs during training
#
# A small network, $2 \to 32 \to 32 \to 1$ with your `ReLU` after each hidden layer, learns the two
# moons with plain gradient descent on the logistic loss (your `Sigmoid` turns the last score into a
# probability $p$; the loss gradient with respect to the score is $(p - t)/N$). A hidden unit is
# **dead** when its input is $\le 0$ for every training example: its output and its gradient are zero
# everywhere, so its incoming weights receive no gradient. In the first hidden layer, whose inputs are
# the fixed data, that is permanent; a unit of the second layer can come back to life when the layer
# below changes what it sees.
#
# We count the dead units (out of 64) after every step, for four learning rates. The affine maps and
# the gradient step are given as plain numpy: layers and optimisers come in later assignments.


# %%
class Affine:
    """Given code: y = x W + b with Parameters (the Linear layer of assignment 3, in short)."""

    def __init__(self, n_in, n_out, rng):
        bound = 1.0 / np.sqrt(n_in)
        self.weight = Parameter(rng.uniform(-bound, bound, (n_in, n_out)))
        self.bias = Parameter(rng.uniform(-bound, bound, n_out))

    def parameters(self):
        return [self.weight, self.bias]

    def forward(self, x):
        self._x = x
        return x @ self.weight.data + self.bias.data

    def backward(self, grad_y):
        self.weight.grad += self._x.T @ grad_y
        self.bias.grad += grad_y.sum(axis=0)
        return grad_y @ self.weight.data.T


def gradient_step(layers, lr):
    """Given code: plain gradient descent, p <- p - lr * grad, then zero the gradients."""
    for layer in layers:
        for p in layer.parameters():
            p.data -= lr * p.grad
            p.grad[...] = 0.0


X, y = moons(200, noise=0.15, seed=0)
X = (X - X.mean(axis=0)) / X.std(axis=0)
t = y[:, None].astype(float)


def train_relu_net(lr, steps=300, hidden=32, seed=0):
    rng = np.random.default_rng(seed)
    layers = [Affine(2, hidden, rng), ReLU(), Affine(hidden, hidden, rng), ReLU(), Affine(hidden, 1, rng)]
    sigmoid = Sigmoid()
    dead, losses = [], []
    for _ in range(steps):
        h, n_dead = X, 0
        for layer in layers:
            h = layer.forward(h)
            if isinstance(layer, ReLU):
                n_dead += int(np.sum(np.all(h == 0.0, axis=0)))  # output 0 for every example
        p = sigmoid.forward(h)
        losses.append(float(np.mean(np.logaddexp(0.0, h) - t * h)))  # the logistic loss, stably
        dead.append(n_dead)
        g = (p - t) / len(X)
        for layer in reversed(layers):
            g = layer.backward(g)
        gradient_step([layer for layer in layers if isinstance(layer, Affine)], lr)
    return dead, losses


fig, axes = plt.subplots(1, 2, figsize=(12, 4))
for lr in [0.1, 1.0, 3.0, 10.0]:
    dead, losses = train_relu_net(lr)
    axes[0].plot(dead, label=f"lr = {lr}")
    axes[1].semilogy(losses, label=f"lr = {lr}")
axes[0].set_xlabel("gradient step")
axes[0].set_ylabel("dead hidden units (of 64)")
axes[0].set_title("dead ReLUs during training")
axes[0].legend(fontsize=8)
axes[1].set_xlabel("gradient step")
axes[1].set_ylabel("logistic loss")
axes[1].set_title("training loss")
axes[1].legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# **Observations and questions.** A few units are dead from the start (random weights can point a
# unit away from all the data), and moderate learning rates leave the count about where it was. One
# large step can push a unit's bias so far down that it never fires again: at `lr = 10.0` three
# quarters of the network die within ten steps, and the loss stalls with the few units left. Which of a dead unit's
# weights receive a gradient? What would `LeakyReLU` change? (Try it: replace `ReLU()` in
# `train_relu_net`, and count units whose input is $\le 0$ everywhere instead.)

# %% [markdown]
# ## Experiment 4: Leaky ReLU, PReLU, ELU, SELU, GELU and Maxout side by side
#
# Top: the five elementwise functions and their derivatives (your `forward` and `backward`), with
# PReLU's slope as learned below. Middle: the same network, $2 \to 32 \to 32 \to 3$, trained on three
# spirals with each activation (for Maxout, `Maxout(2, 32)` and `Maxout(32, 32)` with two pieces replace
# the affine map and the activation). Same data, same seed, same 600 full-batch steps of size $0.5$;
# the loss is the cross-entropy computed with your `LogSoftmax`. Bottom: the loss curves.
#
# Look at the *shape* of the decision regions: the ReLU family and Maxout are piecewise linear, so
# their boundaries are made of straight segments; ELU, SELU and GELU are smooth, and so are their
# boundaries.

# %%
X, y = spirals(100, classes=3, noise=0.2, seed=0)
onehot = np.eye(3)[y]


def make_network(name, rng, hidden=32):
    if name == "Maxout":
        return [Maxout(2, hidden, rng=rng), Maxout(hidden, hidden, rng=rng), Affine(hidden, 3, rng)]
    factory = {"LeakyReLU(0.1)": lambda: LeakyReLU(0.1), "PReLU": PReLU, "ELU": ELU, "SELU": SELU, "GELU": GELU}
    act = factory[name]
    return [Affine(2, hidden, rng), act(), Affine(hidden, hidden, rng), act(), Affine(hidden, 3, rng)]


def scores(layers, inputs):
    h = inputs
    for layer in layers:
        h = layer.forward(h)
    return h


names = ["LeakyReLU(0.1)", "PReLU", "ELU", "SELU", "GELU", "Maxout"]
networks, curves = {}, {}
log_softmax = LogSoftmax()
for name in names:
    layers = make_network(name, np.random.default_rng(0))
    losses = []
    for _ in range(600):
        log_p = log_softmax.forward(scores(layers, X))
        losses.append(-float(np.mean(log_p[np.arange(len(y)), y])))
        g = log_softmax.backward(-onehot / len(y))  # d(-mean log p[y]) / d log p
        for layer in reversed(layers):
            g = layer.backward(g)
        gradient_step(layers, 0.5)
    networks[name], curves[name] = layers, losses

learned_slope = float(networks["PReLU"][1].weight.data[0])
fig = plt.figure(figsize=(15, 10))
grid = fig.add_gridspec(3, 6, height_ratios=[1, 1, 0.9])
z = np.linspace(-3, 3, 301)
shapes = {
    "LeakyReLU(0.1)": LeakyReLU(0.1),
    f"PReLU (learned a = {learned_slope:.2f})": networks["PReLU"][1],
    "ELU": ELU(),
    "SELU": SELU(),
    "GELU": GELU(),
}
ax_f = fig.add_subplot(grid[0, :3])
ax_d = fig.add_subplot(grid[0, 3:])
for name, act in shapes.items():
    ax_f.plot(z, act.forward(z), label=name)
    ax_d.plot(z, act.backward(np.ones_like(z)), label=name)
    for p in act.parameters():
        p.grad[...] = 0.0  # the learned PReLU's backward above added to its gradient
ax_f.set_title("forward")
ax_d.set_title("backward(ones): the derivative")
ax_f.legend(fontsize=8)
for ax in (ax_f, ax_d):
    ax.axhline(0, color="0.8", linewidth=0.8)
    ax.axvline(0, color="0.8", linewidth=0.8)
xx, yy = np.meshgrid(np.linspace(-1.2, 1.2, 150), np.linspace(-1.2, 1.2, 150))
grid_points = np.column_stack([xx.ravel(), yy.ravel()])
colours = np.array(["#1f77b4", "#d95f02", "#2ca02c"])
for k, name in enumerate(names):
    ax = fig.add_subplot(grid[1, k])
    regions = scores(networks[name], grid_points).argmax(axis=1).reshape(xx.shape)
    accuracy = np.mean(scores(networks[name], X).argmax(axis=1) == y)
    ax.contourf(xx, yy, regions, levels=[-0.5, 0.5, 1.5, 2.5], colors=["#cfe2f3", "#f9d9c4", "#d5ecd1"])
    ax.scatter(X[:, 0], X[:, 1], c=colours[y], s=6)
    ax.set_title(f"{name}: {accuracy:.0%}", fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])
ax = fig.add_subplot(grid[2, :])
for name in names:
    ax.semilogy(curves[name], label=name)
ax.set_xlabel("gradient step")
ax.set_ylabel("cross-entropy")
ax.legend(fontsize=8, ncol=6)
fig.tight_layout()
plt.show()

# %% [markdown]
# **Questions.** PReLU started with slope $0.25$: where did training take it, and what function is a
# PReLU with slope $-1$? SELU's curve is the spikiest at this step size: which part of its derivative
# (top right) makes its steps longer than the others'? Why does Maxout's loss drop fastest in the first steps (count its
# parameters)? Which activation would you pick for a network whose inputs you cannot normalise?

# %% [markdown]
# ## Experiment 5: Softmax and LogSoftmax at large logits
#
# The logits $z = s\,(1, 0, -1)$ grow with a scale $s$; the exact log-probabilities are
# $-\log(1 + e^{-s} + e^{-2s})$, about $-s$ and about $-2s$. Three ways to compute them:
# the textbook formula `np.log(np.exp(z) / np.exp(z).sum())`, `np.log` of your `Softmax`, and your
# `LogSoftmax`. The plot shows $-\log p$ for the two smaller classes; a curve ends where its method
# returns `nan` or `inf`.

# %%
scales = np.linspace(1, 1000, 400)
logits = scales[:, None] * np.array([1.0, 0.0, -1.0])
with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
    naive = np.log(np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True))
    via_softmax = np.log(Softmax().forward(logits))
stable = LogSoftmax().forward(logits)
exact = -np.log1p(np.exp(-scales) + np.exp(-2 * scales))[:, None] + np.array([0.0, -1.0, -2.0]) * scales[:, None]

methods = {"textbook formula": naive, "np.log of your Softmax": via_softmax, "your LogSoftmax": stable}
fig, axes = plt.subplots(1, 3, figsize=(15, 4.3), sharey=True)
for ax, (label, values) in zip(axes, methods.items(), strict=True):
    notes = []
    for j, colour in [(1, "C0"), (2, "C3")]:
        ax.plot(scales, -exact[:, j], color="0.85", linewidth=6)
        finite = np.isfinite(values[:, j])
        ax.plot(scales[finite], -values[finite, j], color=colour, label=f"class {j}")
        if not finite.all():
            first = int(np.argmax(~finite))
            ax.axvline(scales[first], color=colour, linestyle=":")
            notes.append(f"class {j}: {values[first, j]} from s = {scales[first]:.0f}")
    ax.set_title(label)
    ax.set_xlabel("logit scale s")
    ax.text(0.03, 0.72, "\n".join(notes) or "finite everywhere", transform=ax.transAxes, fontsize=9)
    ax.legend(fontsize=8, loc="upper left")
axes[0].set_ylabel(r"$-\log p_j$ (grey: exact)")
fig.tight_layout()
plt.show()

row = np.array([[1000.0, 0.0, -1000.0]])
with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
    print("logits                 ", row[0])
    print("textbook softmax       ", np.exp(row[0]) / np.exp(row[0]).sum())
    print("your Softmax           ", Softmax().forward(row)[0])
    print("log of your Softmax    ", np.log(Softmax().forward(row))[0])
    print("your LogSoftmax        ", LogSoftmax().forward(row)[0])

# %% [markdown]
# **Questions.** The textbook formula breaks at $s \approx 709$: which number overflows? The log of the
# stable softmax breaks earlier for class 2 than for class 1: at which $s$, and why? (The smallest
# positive double is about $5 \times 10^{-324} = e^{-744}$.) Why does a loss built on `LogSoftmax`
# keep training a network that is confidently wrong, while one built on `np.log(softmax)` would return
# `inf`?
