# %% [markdown]
# ## How to work in this notebook
#
# Each optimizer below is one class whose `step()` you complete between `### BEGIN SOLUTION` and
# `### END SOLUTION`; the constructor (hyper-parameters, their checks and the per-parameter `state`)
# is given. The update rules are PyTorch's (`torch.optim`) to the letter, including the order of the
# operations, so the checks compare your parameters with PyTorch's after several steps. After each
# class, run its "check your work" cell. The experiments at the end race **your** optimizers.
#
# Conventions for every class: `self.params` is the list of `Parameter`s, `self.state[i]` holds the
# memory of parameter `i`, `step()` reads `p.grad` and never writes into it, and updates `p.data` in
# place. Where a rule uses a step counter $t$, it is `self.t`, increased by one at the start of every
# `step()` (so $t = 1$ in the first update).

# %%
# nnlab: setup

# %% [markdown]
# ## SGD, with momentum and Nesterov momentum
#
# Plain gradient descent moves every parameter against its gradient, $p \leftarrow p - \eta\, g$. It
# has two weaknesses. In a long narrow valley the gradient points mostly across the valley, so the
# steps zig-zag from wall to wall and progress along the floor is slow. And the step is as small as
# the gradient: on a gentle slope it crawls.
#
# **Momentum** keeps a velocity $b$, a running sum of past gradients:
#
# $$b_1 = g_1, \qquad b_t = \mu\, b_{t-1} + (1 - \tau)\, g_t, \qquad p \leftarrow p - \eta\, b_t ,$$
#
# with momentum $\mu$ (typically 0.9) and dampening $\tau$ (usually 0). Components that keep their sign
# add up, to as much as $1/(1-\mu) = 10$ times one step; components that flip sign cancel. **Nesterov**
# momentum steps along $d_t = g_t + \mu\, b_t$ instead of $b_t$: the gradient as if the velocity had
# already carried the parameters one step on, which corrects an overshoot one step earlier.
#
# **Weight decay** $\lambda$ is the gradient of the L2 penalty $\tfrac\lambda2 \lVert p\rVert^2$: every rule in
# this notebook starts from $g = \nabla_p L + \lambda\, p$ (except AdamW, below).
#
# **Traps.** The first step sets $b_1 = g_1$ (no dampening, no zero start): the buffer is `None` until
# then. Build $g$ as a new array (`g = g + wd * p.data`), never `p.grad += ...`. Keep one buffer per
# parameter, in `self.state[i]["momentum_buffer"]`.

# %%
# nnlab: solution optimizers.SGD

# %%
# nnlab: check optimizers.SGD

# %%
# nnlab: tests optimizers.SGD

# %% [markdown]
# ## Adagrad
#
# A single learning rate suits no parameter well when gradients differ in scale by orders of
# magnitude between coordinates. Adagrad (Duchi et al., 2011) gives every coordinate its own step size,
# dividing by the root of the sum $s$ of all its past squared gradients:
#
# $$s_t = s_{t-1} + g_t^2, \qquad p \leftarrow p - \eta_t\, \frac{g_t}{\sqrt{s_t} + \varepsilon},
# \qquad \eta_t = \frac{\eta}{1 + (t-1)\,\text{lr\_decay}} ,$$
#
# all operations elementwise. A coordinate with large gradients gets small steps, a rarely active one
# (a rare word's embedding) keeps large ones. The first step is $\eta\,\operatorname{sign}(g)$ per
# coordinate whatever the gradient's size. Since $s$ only grows, every step shrinks roughly like
# $1/\sqrt t$: fine for convex problems, but a long non-convex run can stall.
#
# **Traps.** $\varepsilon$ is added *outside* the square root. $s$ starts at `initial_accumulator_value`
# (given, in `self.state[i]["sum"]`). Increase `self.t` once per `step()`, not once per parameter.

# %%
# nnlab: solution optimizers.Adagrad

# %%
# nnlab: check optimizers.Adagrad

# %%
# nnlab: tests optimizers.Adagrad

# %% [markdown]
# ## RMSprop
#
# RMSprop (Hinton's lecture notes, 2012) replaces Adagrad's ever-growing sum by a leaky average that
# remembers about the last $1/(1-\alpha)$ steps ($\alpha = 0.99$: about 100):
#
# $$v_t = \alpha\, v_{t-1} + (1-\alpha)\, g_t^2, \qquad p \leftarrow p - \eta\, \frac{g_t}{\sqrt{v_t} + \varepsilon} .$$
#
# The step size follows the current region of the loss surface instead of shrinking for ever.
# Options: `centered` also averages the gradient, $m_t = \alpha\, m_{t-1} + (1-\alpha)\, g_t$, and divides by
# $\sqrt{v_t - m_t^2} + \varepsilon$, an estimate of the gradient's standard deviation; `momentum` $\mu > 0$
# accumulates the scaled step, $b_t = \mu\, b_{t-1} + g_t / (\ldots)$, and moves by $\eta\, b_t$.
#
# **Traps.** There is no bias correction: $v$ starts at 0, so the first step is
# $1/\sqrt{1-\alpha} = 10$ times $\eta$ per coordinate (that is PyTorch's behaviour; Adam corrects it).
# With `centered`, round-off can make $v - m^2$ slightly negative: clamp it at 0 before the root.

# %%
# nnlab: solution optimizers.RMSprop

# %%
# nnlab: check optimizers.RMSprop

# %%
# nnlab: tests optimizers.RMSprop

# %% [markdown]
# ## Adadelta
#
# Zeiler (2012) noticed that in $\Delta p = -\eta\, g / \operatorname{RMS}(g)$ the units do not match: if $p$
# is in metres, $g = \partial L/\partial p$ is in "loss per metre", and $g/\operatorname{RMS}(g)$ has no unit at
# all. Adadelta replaces $\eta$ by the RMS of the past *updates*, which is in metres:
#
# $$v_t = \rho\, v_{t-1} + (1-\rho)\, g_t^2, \qquad
# \delta_t = \frac{\sqrt{u_{t-1} + \varepsilon}}{\sqrt{v_t + \varepsilon}}\, g_t, \qquad
# u_t = \rho\, u_{t-1} + (1-\rho)\, \delta_t^2, \qquad p \leftarrow p - \eta\, \delta_t .$$
#
# In principle it needs no learning rate; PyTorch keeps $\eta$ (default 1.0) as an overall scale.
# $\varepsilon$ starts the process: with $u = 0$ the first steps are about $\sqrt\varepsilon / \operatorname{RMS}(g)$, tiny
# at first and growing as the updates accumulate.
#
# **Traps.** The numerator uses $u$ from *before* this step ($u_{t-1}$); update $u$ with the new
# $\delta_t$ only afterwards. Here $\varepsilon$ sits *inside* both square roots.

# %%
# nnlab: solution optimizers.Adadelta

# %%
# nnlab: check optimizers.Adadelta

# %%
# nnlab: tests optimizers.Adadelta

# %% [markdown]
# ## Adam
#
# Adam (Kingma and Ba, 2015) keeps both a momentum-like average of the gradient (the first moment) and
# an RMSprop-like average of its square (the second moment):
#
# $$m_t = \beta_1 m_{t-1} + (1-\beta_1)\, g_t, \qquad v_t = \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2 .$$
#
# Both start at zero, so early on they are biased towards zero: after one step $m_1 = 0.1\, g_1$ and
# $v_1 = 0.001\, g_1^2$. The weights of an exponential average started at zero sum to $1 - \beta^t$, so
# dividing by it removes the bias exactly:
#
# $$\hat m_t = \frac{m_t}{1-\beta_1^t}, \qquad \hat v_t = \frac{v_t}{1-\beta_2^t}, \qquad
# p \leftarrow p - \eta\, \frac{\hat m_t}{\sqrt{\hat v_t} + \varepsilon} .$$
#
# Then the first step is $\eta\, \operatorname{sign}(g)$ per coordinate, and every step has size about $\eta$
# whatever the gradient's scale. PyTorch computes the same thing in a different order, which you must
# follow to match it to round-off: $\text{denom} = \sqrt{v_t}/\sqrt{1-\beta_2^t} + \varepsilon$ and
# $p \leftarrow p - \frac{\eta}{1-\beta_1^t}\, m_t/\text{denom}$. With `amsgrad`, keep
# $v^{\max}_t = \max(v^{\max}_{t-1}, v_t)$ and use it in place of $v_t$.
#
# Weight decay is written as a method, `_decay(p, g)`, which returns the gradient the step will use:
# for Adam, $g + \lambda p$. `step()` calls it only when `weight_decay != 0`. AdamW, next, changes this
# method only.
#
# **Traps.** $\varepsilon$ goes outside the square root. `self.t` increases once per `step()`. Without the
# bias correction the first step is about $0.1/\sqrt{0.001} \approx 3.2$ times too large.

# %%
# nnlab: solution optimizers.Adam

# %%
# nnlab: check optimizers.Adam

# %%
# nnlab: tests optimizers.Adam

# %% [markdown]
# ## AdamW
#
# In Adam, an L2 term $\lambda p$ added to the gradient is divided by $\sqrt{\hat v}$ like the rest of it.
# Weights with large gradients are then hardly decayed at all, and the strength of the
# regularisation depends on the history of the gradients. Loshchilov and Hutter (2019) **decouple** the
# decay from the gradient: before the Adam step, every weight shrinks by the same factor,
#
# $$p \leftarrow p\,(1 - \eta\lambda), \qquad \text{then the Adam step with the unchanged gradient } g .$$
#
# AdamW inherits everything from your `Adam` and overrides `_decay` only (default $\lambda = 0.01$).
#
# **Traps.** Shrink `p.data` in place and return `g` unchanged; do not add $\lambda p$ to the gradient as
# well. The factor uses $\eta$, not the bias-corrected step size.

# %%
# nnlab: solution optimizers.AdamW

# %%
# nnlab: check optimizers.AdamW

# %%
# nnlab: tests optimizers.AdamW

# %% [markdown]
# ## Experiment 1: the race on the Rosenbrock function
#
# Rosenbrock's "banana" function
#
# $$f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2$$
#
# has its minimum $f = 0$ at $(1, 1)$, at the end of a long, curved, flat-bottomed valley along
# $y = x^2$. The valley's walls are steep (curvature in the hundreds across it) and its floor is
# nearly flat (curvature about 2 along it): the kind of ill-conditioning that makes plain gradient
# descent zig-zag and crawl. Its gradient, written out here so no network is needed:
#
# $$\frac{\partial f}{\partial x} = -2(1 - x) - 400\, x\, (y - x^2), \qquad \frac{\partial f}{\partial y} = 200\,(y - x^2).$$
#
# The point $(x, y)$ is one `Parameter` of shape `(2,)`, starting at $(-1.5, 2)$; every optimizer gets
# 2000 steps with a learning rate that suits it (plain SGD cannot go above about $10^{-3}$ here: the
# curvature across the valley, about 1900 at the start, makes larger steps diverge).
#
# Look for (the dots, one every 100 steps, bunch up where an optimizer is slow): SGD reaching the valley
# at once and then creeping along its floor; momentum and Nesterov zig-zagging across the valley at
# first, then gathering speed along the floor, where the gradient keeps its direction; Adagrad's first
# step of $\eta$ in *each* coordinate (a diagonal jump), and its steps shrinking as its sums grow; RMSprop
# rattling between the walls near the end, since its steps never shrink; Adadelta's slow start (its first
# steps are about $\sqrt\varepsilon = 10^{-3}$); Adam going all the way. AdamW's decoupled decay pulls
# towards the origin, so it settles a little short of $(1, 1)$: the decay changes the point it settles at.
#
# The last panel zooms in on the first three steps. Adam's first step is $\eta$ in each coordinate (a
# diagonal of length $\sqrt2\,\eta$) whatever the gradient, thanks to the bias correction; RMSprop's first
# step is 10 times its $\eta$ in each coordinate, having none; Adagrad's diagonal jump of $\eta = 0.5$ leaves the
# window; SGD's first step follows the gradient, mostly along $x$, where the gradient is largest.

# %%
from base import Parameter


def rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def rosenbrock_grad(x, y):
    return np.array([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)])


def race(make_optimizer, start=(-1.5, 2.0), steps=2000):
    """The points visited by make_optimizer([p]) minimising Rosenbrock from start, as an array (steps + 1, 2)."""
    point = Parameter(np.array(start))
    optimizer = make_optimizer([point])
    path = [point.data.copy()]
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging optimizer shows in the plot
        for _ in range(steps):
            optimizer.zero_grad()
            point.grad += rosenbrock_grad(*point.data)
            optimizer.step()
            path.append(point.data.copy())
    return np.array(path)


racers = {
    "SGD, lr 1e-3": lambda ps: SGD(ps, lr=1e-3),
    "momentum 0.9, lr 5e-4": lambda ps: SGD(ps, lr=5e-4, momentum=0.9),
    "Nesterov 0.9, lr 5e-4": lambda ps: SGD(ps, lr=5e-4, momentum=0.9, nesterov=True),
    "Adagrad, lr 0.5": lambda ps: Adagrad(ps, lr=0.5),
    "RMSprop, lr 0.01": lambda ps: RMSprop(ps, lr=0.01),
    "Adadelta, lr 1": lambda ps: Adadelta(ps, lr=1.0),
    "Adam, lr 0.05": lambda ps: Adam(ps, lr=0.05),
    "AdamW, lr 0.05, wd 0.01": lambda ps: AdamW(ps, lr=0.05, weight_decay=0.01),
}
colours = dict(zip(racers, plt.cm.tab10.colors))
paths = {name: race(make) for name, make in racers.items()}

xx, yy = np.meshgrid(np.linspace(-2, 2, 300), np.linspace(-1, 3, 300))
fig, axes = plt.subplots(2, 2, figsize=(13, 11))
axes = axes.ravel()
groups = [list(racers)[:3] + ["Adam, lr 0.05"], list(racers)[3:]]
for ax, group in zip(axes[:2], groups):
    ax.contour(xx, yy, rosenbrock(xx, yy), levels=np.logspace(-1, 3.5, 14), colors="#bbbbbb", linewidths=0.7)
    for name in group:
        path = paths[name]
        ax.plot(
            path[:, 0],
            path[:, 1],
            color=colours[name],
            linewidth=1.0,
            alpha=0.8,
            label=name,
            marker=".",
            markersize=4,
            markevery=100,
        )
        ax.plot(*path[-1], marker="o", color=colours[name], markersize=7, markeredgecolor="k")
    ax.plot(-1.5, 2.0, marker="s", color="k", markersize=6)
    ax.plot(1.0, 1.0, marker="*", color="k", markersize=12)
    ax.set_xlim(-2, 2)
    ax.set_ylim(-1, 3)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend(fontsize=8, loc="lower left")
axes[0].set_title("SGD and its momentum variants (Adam for scale)")
axes[1].set_title("adaptive step sizes")
ax = axes[2]
for name, path in paths.items():
    ax.loglog(np.arange(1, len(path) + 1), rosenbrock(path[:, 0], path[:, 1]) + 1e-16, color=colours[name], label=name)
ax.set_xlabel("step")
ax.set_ylabel("f(x, y)")
ax.set_title("loss against step")
ax.legend(fontsize=7)
ax = axes[3]
zoom = (-1.53, -1.31, 1.98, 2.13)
xz, yz = np.meshgrid(np.linspace(zoom[0], zoom[1], 200), np.linspace(zoom[2], zoom[3], 200))
ax.contour(xz, yz, rosenbrock(xz, yz), levels=15, colors="#bbbbbb", linewidths=0.7)
for name, path in paths.items():
    ax.plot(path[:4, 0], path[:4, 1], color=colours[name], marker="o", markersize=4, linewidth=1.2, label=name)
ax.plot(-1.5, 2.0, marker="s", color="k", markersize=7)
ax.set_xlim(zoom[0], zoom[1])
ax.set_ylim(zoom[2], zoom[3])
ax.set_aspect("equal")
ax.set_title("the first 3 steps, zoomed in on the start")
fig.suptitle("Rosenbrock: start ■ at (-1.5, 2), minimum ★ at (1, 1), a dot every 100 steps, end of each path ●")
fig.tight_layout()
plt.show()

# %% [markdown]
# **Questions.** Plain SGD's steps are largest on the valley walls and smallest on its floor: exactly
# the wrong way round. Which term of the update fixes that in Adam? Try SGD with `lr=2e-3`: what
# happens, and why does the curvature across the valley decide it? What do you expect from Adam with
# `lr=0.5`?

# %% [markdown]
# ## Experiment 2: training a network with each optimizer
#
# Three interleaved spiral arms (300 points, 3 classes): a 2-64-64-3 ReLU network, the same initial
# weights for every run, cross-entropy loss, mini-batches of 32, 150 epochs through `fit`. Each
# optimizer gets a learning rate that suits it; AdamW uses its default decay of 0.01. Left: the mean
# training loss of every epoch (log scale). Right: the decision regions each network ends with.
#
# Look for: with a learning rate that suits it, every optimizer solves the spirals; they differ in
# how fast the loss falls and how noisy it is. Adam, AdamW, RMSprop and Adagrad fall fastest in the first
# epochs and run smoothest; SGD, at the large learning rate it needs, and momentum are the noisiest;
# Adadelta, which was not tuned at all ($\eta = 1$), is steady but slower. A run that diverges, or stays at
# $\log 3 \approx 1.1$ (the dotted line: guessing), points to a bug in that optimizer.

# %%
from activations import ReLU
from datasets import spirals
from layers import Linear
from losses import CrossEntropyLoss
from models import Sequential
from training import fit

X_spiral, y_spiral = spirals(100, classes=3, noise=0.2, seed=0)


def spiral_net():
    """A fresh 2-64-64-3 ReLU network; the same initial weights every call."""
    rng = np.random.default_rng(1)
    return Sequential(Linear(2, 64, rng=rng), ReLU(), Linear(64, 64, rng=rng), ReLU(), Linear(64, 3, rng=rng))


def train(make_optimizer, epochs=150):
    """Train a fresh spiral_net with make_optimizer(params); the trained model and its epoch losses."""
    model = spiral_net()
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging run shows in the plot instead
        history = fit(
            model,
            CrossEntropyLoss(),
            make_optimizer(model.parameters()),
            X_spiral,
            y_spiral,
            epochs=epochs,
            batch_size=32,
            shuffle=True,
            rng=np.random.default_rng(2),
        )
    return model, history


trainers = {
    "SGD, lr 0.5": lambda ps: SGD(ps, lr=0.5),
    "momentum 0.9, lr 0.05": lambda ps: SGD(ps, lr=0.05, momentum=0.9),
    "Nesterov 0.9, lr 0.05": lambda ps: SGD(ps, lr=0.05, momentum=0.9, nesterov=True),
    "Adagrad, lr 0.05": lambda ps: Adagrad(ps, lr=0.05),
    "RMSprop, lr 0.003": lambda ps: RMSprop(ps, lr=0.003),
    "Adadelta, lr 1": lambda ps: Adadelta(ps, lr=1.0),
    "Adam, lr 0.005": lambda ps: Adam(ps, lr=0.005),
    "AdamW, lr 0.005": lambda ps: AdamW(ps, lr=0.005),
}
results = {name: train(make) for name, make in trainers.items()}

xx, yy = np.meshgrid(np.linspace(-1.2, 1.2, 150), np.linspace(-1.2, 1.2, 150))
grid = np.column_stack([xx.ravel(), yy.ravel()])
fig = plt.figure(figsize=(16, 6.5))
layout = fig.add_gridspec(2, 6)
ax = fig.add_subplot(layout[:, :2])
for (name, (_, history)), colour in zip(results.items(), plt.cm.tab10.colors):
    ax.semilogy(range(1, len(history) + 1), history, color=colour, label=name)
ax.axhline(np.log(3), color="grey", linestyle=":", linewidth=0.8)
ax.set_xlabel("epoch")
ax.set_ylabel("mean training loss of the epoch")
ax.set_title("spirals, 2-64-64-3 ReLU, batches of 32")
ax.legend(fontsize=8)
for k, (name, (model, history)) in enumerate(results.items()):
    ax = fig.add_subplot(layout[k // 4, 2 + k % 4])
    with np.errstate(over="ignore", invalid="ignore"):
        regions = np.argmax(model.forward(grid), axis=1).reshape(xx.shape)
    ax.contourf(xx, yy, regions, levels=[-0.5, 0.5, 1.5, 2.5], colors=["#cfe2f3", "#f9d9c4", "#d9ead3"])
    ax.scatter(X_spiral[:, 0], X_spiral[:, 1], c=np.array(["#1f77b4", "#d95f02", "#2ca02c"])[y_spiral], s=4)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(f"{name}\nfinal loss {history[-1]:.3f}", fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# **Questions.** These learning rates were picked by hand for this problem; which of the curves would
# you trust to look the same on a different network? Adam and AdamW nearly coincide here: why is a
# decay of $\eta\lambda = 5\cdot 10^{-5}$ per step invisible within 1500 steps, and when would it matter?

# %% [markdown]
# ## Experiment 3: sensitivity to the learning rate
#
# The same network and data, now with plain SGD and with Adam, each at three learning rates a factor
# of 10 apart (SGD: 0.05, 0.5, 5; Adam: 0.0005, 0.005, 0.05).
#
# Look for: SGD's step is $\eta$ times the gradient, so its good range depends on the size of the
# gradients: too small crawls, too large throws the network somewhere it does not come back from (at
# $\eta = 5$ every unit of the second hidden layer ends up "dead", negative for every input, so the loss
# stays near guessing). Adam's step is about $\eta$ per coordinate whatever the gradient's size, which is
# why one default ($\eta = 10^{-3}$) works on so many problems and why it tolerates a wider range here.
# A missing line on the log scale is a loss that became `nan`.

# %%
sweeps = {
    "SGD": [(lr, lambda ps, lr=lr: SGD(ps, lr=lr)) for lr in (0.05, 0.5, 5.0)],
    "Adam": [(lr, lambda ps, lr=lr: Adam(ps, lr=lr)) for lr in (0.0005, 0.005, 0.05)],
}
fig, axes = plt.subplots(1, 2, figsize=(13, 4.5), sharey=True)
for ax, (name, sweep) in zip(axes, sweeps.items()):
    for (lr, make), colour in zip(sweep, ["#9ecae1", "#3182bd", "#08306b"]):
        _, history = train(make)
        ax.semilogy(range(1, len(history) + 1), history, color=colour, label=f"lr {lr:g}")
    ax.axhline(np.log(3), color="grey", linestyle=":", linewidth=0.8)
    ax.set_xlabel("epoch")
    ax.set_title(f"{name} at three learning rates")
    ax.legend()
axes[0].set_ylabel("mean training loss of the epoch")
fig.tight_layout()
plt.show()

# %% [markdown]
# **Questions.** Between which two of SGD's learning rates does the best one lie, and how would you
# find it in fewer runs? (Try a sweep on a log scale.) If you scaled the loss by 100, which of the two
# optimizers would need a new learning rate?
