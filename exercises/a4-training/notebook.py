# %% [markdown]
# ## How to work in this notebook
#
# Complete each code cell between `### BEGIN SOLUTION` and `### END SOLUTION`, then run the "check
# your work" cell below it. The layers, activations and losses of the earlier assignments come
# complete; the optimizers come in the next assignment, so the experiments here use a five-line
# `GradientDescent` given below. The experiments at the end train with **your** `fit` and
# initialise with **your** initialisers: if a figure looks wrong, look at your code first.

# %%
# nnlab: setup

# %% [markdown]
# ## Mini-batches
#
# Training minimises the mean loss over the $N$ training samples,
# $L(\theta) = \frac1N \sum_{n=1}^N \ell(f_\theta(x_n), t_n)$. Its exact gradient needs a pass over
# all $N$ samples. A **mini-batch** $B$ of $k$ samples gives an estimate instead,
#
# $$\nabla L(\theta) \approx \nabla L_B(\theta) = \frac1k \sum_{n \in B} \nabla \ell(f_\theta(x_n), t_n),$$
#
# which is unbiased when $B$ is drawn at random, and whose noise shrinks like $1/\sqrt{k}$. One
# **epoch** is one sweep over the training set, cut into batches:
#
# * `batch_size=None`: one batch of all $N$ samples (**batch** gradient descent): the exact gradient,
#   one step per epoch;
# * `batch_size=1`: one sample per step (**stochastic** gradient descent): $N$ cheap, noisy steps;
# * `batch_size=k`: $\lceil N/k \rceil$ batches of $k$, the last one holding the remainder: the usual
#   compromise, vectorised like batch descent and with many steps per epoch like SGD.
#
# With `shuffle=True` the samples are visited in the order of **one** random permutation, drawn from
# `rng` (a `numpy.random.Generator`), and applied to `X` and `y` alike, so every input keeps its label.
# Each call draws a new permutation: epochs see different batches.
#
# **Traps.** Permute `X` and `y` with the *same* index array (two calls of `rng.permutation` break the
# pairs). Do not shuffle the caller's arrays in place. Keep the last, smaller batch: dropping it would
# skip samples. With `shuffle=False` the order is the stored one, and no random number is drawn.

# %%
# nnlab: solution training.minibatches

# %%
# nnlab: check training.minibatches

# %%
# nnlab: tests training.minibatches

# %% [markdown]
# ## The training loop
#
# Every step of gradient descent does the same four things, and `fit` repeats them for every batch
# of every epoch:
#
# 1. `optimizer.zero_grad()`: forget the previous step's gradients;
# 2. `output = model.forward(X_batch)` and `loss = loss_fn.forward(output, y_batch)`;
# 3. `model.backward(loss_fn.backward())`: the loss's gradient with respect to the output, handed to
#    the network, which adds $\partial L_B / \partial \theta$ into every `p.grad`;
# 4. `optimizer.step()`: for plain gradient descent $\theta \leftarrow \theta - \eta\, \nabla L_B(\theta)$.
#
# `fit` returns one number per epoch: the mean training loss over the epoch's batches, **weighted by
# batch size**,
#
# $$\bar L_{\text{epoch}} = \frac1N \sum_{B} |B|\, L_B ,$$
#
# so that a last batch of 2 samples counts for 2 samples, not for a whole batch. (It is measured while
# the weights move, so it lags slightly behind the loss at the end of the epoch.)
#
# **Traps.** Layers *add* to `p.grad` (`+=`), so a missing `zero_grad` sums the gradients of all past
# batches: the steps grow and training goes haywire. Pass `batch_size`, `shuffle` and the **same**
# `rng` to `minibatches` in every epoch (a fresh generator per epoch would repeat the first epoch's
# order). Store `float(loss)`, not the array.

# %%
# nnlab: solution training.fit

# %%
# nnlab: check training.fit

# %%
# nnlab: tests training.fit

# %% [markdown]
# ## Initialisation: fan-in and fan-out
#
# Before training, every weight needs a random starting value (equal weights would make every unit of
# a layer compute the same thing forever). Only the **scale** of that randomness matters, and it
# depends on how many numbers each unit adds up.
#
# A weight of shape `(out, in)` connects each of the `out` output units to `in` inputs: its
# **fan-in** is `in`, its **fan-out** is `out`. A convolution weight `(C_out, C_in, kH, kW)` connects
# each output to a whole receptive field of `C_in * kH * kW` inputs, and each input reaches
# `C_out * kH * kW` outputs:
#
# $$\text{fan\_in} = C_\text{in} \prod_i k_i, \qquad \text{fan\_out} = C_\text{out} \prod_i k_i .$$
#
# **Trap.** The layout is PyTorch's: outputs first. `fan_in` comes from `shape[1]`, not `shape[0]`.

# %%
# nnlab: solution init.fan_in_and_fan_out

# %%
# nnlab: check init.fan_in_and_fan_out

# %%
# nnlab: tests init.fan_in_and_fan_out

# %% [markdown]
# ## Xavier (Glorot) initialisation
#
# Take a unit $y = \sum_{i=1}^{n} w_i x_i$ with $n = $ fan-in, independent zero-mean weights of variance
# $s^2$ and inputs of variance $v$. Then
#
# $$\operatorname{Var}(y) = n\, s^2\, v .$$
#
# The forward signal keeps its variance from layer to layer only if $n_\text{in} s^2 = 1$; on the way
# back the gradient is summed over the fan-out, so it keeps its variance only if $n_\text{out} s^2 = 1$.
# Glorot and Bengio (2010) take the compromise
#
# $$s^2 = \text{gain}^2 \cdot \frac{2}{\text{fan\_in} + \text{fan\_out}} ,$$
#
# meant for tanh and sigmoid networks (tanh is nearly the identity around 0). The `gain` corrects for
# an activation that shrinks its input: PyTorch's `calculate_gain("tanh")` is $5/3$.
#
# `xavier_uniform` draws from $U(-b, b)$. A uniform distribution on $[-b, b]$ has variance $b^2/3$,
# so the bound for standard deviation $s$ is $b = \sqrt{3}\, s = \text{gain}\sqrt{6/(\text{fan\_in} + \text{fan\_out})}$.
#
# **Traps.** Use the `rng` you are given (never `np.random.*`), so that `manual_seed` and explicit
# generators make the weights reproducible. The $\sqrt3$ is the difference between a standard
# deviation and a bound.

# %%
# nnlab: solution init.xavier_uniform

# %%
# nnlab: check init.xavier_uniform

# %%
# nnlab: tests init.xavier_uniform

# %% [markdown]
# `xavier_normal` draws from $\mathcal N(0, s^2)$ with the same $s = \text{gain}\sqrt{2/(\text{fan\_in} + \text{fan\_out})}$.
#
# **Trap.** `rng.normal(loc, scale, size)` takes the standard deviation $s$, not the variance $s^2$.

# %%
# nnlab: solution init.xavier_normal

# %%
# nnlab: check init.xavier_normal

# %%
# nnlab: tests init.xavier_normal

# %% [markdown]
# ## Kaiming (He) initialisation
#
# ReLU sets half of its (symmetric, zero-mean) inputs to zero, so the second moment of its output is
# half the variance of its input: $\mathbb E[\operatorname{relu}(z)^2] = \tfrac12 \operatorname{Var}(z)$.
# Through $y = \sum_i w_i \operatorname{relu}(z_i)$ that gives $\operatorname{Var}(y) = \tfrac12 n\, s^2 \operatorname{Var}(z)$,
# and He et al. (2015) restore the factor 1 with
#
# $$s = \frac{\text{gain}}{\sqrt{\text{fan}}}, \qquad \text{gain} = \sqrt2 \text{ for ReLU},$$
#
# where `fan` is the fan-in (`mode="fan_in"`, keeps the forward signal) or the fan-out
# (`mode="fan_out"`, keeps the gradients). The gain comes from `calculate_gain(nonlinearity, a)`
# (given): `a` is the negative slope of a leaky ReLU, $\text{gain} = \sqrt{2/(1 + a^2)}$, and the
# default `a = 0` gives ReLU's $\sqrt 2$. The uniform variant uses the bound $b = \sqrt3\, s$ again.
#
# **Traps.** Divide by the square root of the fan, not by the fan. Pick the fan from `mode`. Pass `a`
# on to `calculate_gain` (PyTorch's default for `Linear`, `kaiming_uniform(a=sqrt(5))`, relies on it).

# %%
# nnlab: solution init.kaiming_uniform

# %%
# nnlab: check init.kaiming_uniform

# %%
# nnlab: tests init.kaiming_uniform

# %% [markdown]
# `kaiming_normal` draws from $\mathcal N(0, s^2)$ with the same $s = \text{gain}/\sqrt{\text{fan}}$.

# %%
# nnlab: solution init.kaiming_normal

# %%
# nnlab: check init.kaiming_normal

# %%
# nnlab: tests init.kaiming_normal

# %% [markdown]
# ## Given code for the experiments
#
# Optimizers are the next assignment. Until then, this is the whole of gradient descent: the
# interface `fit` expects (`zero_grad` and `step`) around the update $p \leftarrow p - \eta\, \partial L/\partial p$.
# `mlp` builds a fully connected network and, if asked, replaces every weight with one drawn by an
# initialiser of yours (biases start at zero then).

# %%
import time

from activations import ReLU, Sigmoid, Tanh
from datasets import moons
from layers import Linear
from losses import CrossEntropyLoss
from models import Sequential


class GradientDescent:
    """Plain gradient descent: p <- p - lr * p.grad for every parameter."""

    def __init__(self, params, lr=0.1):
        self.params = list(params)
        self.lr = lr

    def zero_grad(self):
        for p in self.params:
            p.grad[...] = 0.0

    def step(self):
        for p in self.params:
            p.data -= self.lr * p.grad


def mlp(sizes, activation, initialiser=None, seed=1):
    """Linear -> activation -> ... -> Linear; initialiser(shape, rng) replaces the default weights."""
    rng = np.random.default_rng(seed)
    modules = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        layer = Linear(fan_in, fan_out, rng=rng)
        if initialiser is not None:
            layer.weight.data = initialiser(layer.weight.shape, rng)
            layer.bias.data[...] = 0.0
        modules += [layer, activation()]
    return Sequential(*modules[:-1])


X_moons, y_moons = moons(200, noise=0.15, seed=0)

# %% [markdown]
# ## Experiment 1: batch, stochastic and mini-batch descent
#
# The same network (2-32-32-2, tanh, the same initial weights) learns the two moons (200 points) with
# the same learning rate $\eta = 0.1$ and three batch sizes: batch descent (`None`) for 1000 epochs,
# mini-batches of 16 for 100 epochs and SGD (`1`) for 30 epochs. Your `fit` runs one epoch at a time
# so that the clock (`time.perf_counter`) can be read after each. Three views of the same runs: the
# epoch loss against epochs, against the number of updates, and against seconds.
#
# Look for: per **epoch**, SGD is far ahead (200 updates per epoch against one); per **update**, batch
# and mini-batch descent do about equally well and SGD's noisy single-sample steps are worth much less;
# per **second**, mini-batches
# usually win, because a numpy product over 16 rows costs about as much as over one row, so SGD pays
# the Python overhead of a step 200 times per epoch. The epoch and update curves are deterministic (the
# seed fixes the weights and the batches); the wall-time curves depend on your machine and on what
# else it is doing, so they move a little from run to run.

# %%
runs = {"batch (None)": (None, 1000), "mini-batch (16)": (16, 100), "stochastic (1)": (1, 30)}
colours = {"batch (None)": "#1f77b4", "mini-batch (16)": "#2ca02c", "stochastic (1)": "#d62728"}
curves = {}
for name, (batch_size, epochs) in runs.items():
    model = mlp([2, 32, 32, 2], Tanh)
    optimizer = GradientDescent(model.parameters(), lr=0.1)
    rng = np.random.default_rng(2)  # one generator for the whole run: a new order every epoch
    losses, seconds = [], []
    start = time.perf_counter()
    for _ in range(epochs):
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run shows in the plot instead
            losses += fit(
                model,
                CrossEntropyLoss(),
                optimizer,
                X_moons,
                y_moons,
                epochs=1,
                batch_size=batch_size,
                shuffle=True,
                rng=rng,
            )
        seconds.append(time.perf_counter() - start)
    steps_per_epoch = -(-len(X_moons) // (batch_size or len(X_moons)))
    curves[name] = (np.arange(1, epochs + 1), steps_per_epoch * np.arange(1, epochs + 1), np.array(seconds), losses)

fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
for name, (epoch_axis, update_axis, _, losses) in curves.items():
    for ax, x in zip(axes, (epoch_axis, update_axis)):
        ax.plot(x, losses, color=colours[name], label=name)
for ax, label in zip(axes, ["epoch", "parameter updates"]):
    ax.set_xscale("log")
    ax.set_xlabel(label)
axes[0].set_ylabel("mean training loss of the epoch")
axes[0].set_yscale("log")
axes[0].legend()
axes[0].set_title("per epoch (deterministic)")
axes[1].set_title("per update (deterministic)")
fig.suptitle("Batch, mini-batch and stochastic gradient descent, same learning rate 0.1")
fig.tight_layout()
plt.show()

# %% tags=["nnlab:not-reproducible"]
# The third view, per second: the one figure of the course that is not reproducible by design
# (the seconds depend on the machine and on what else it is doing).
fig, ax = plt.subplots(figsize=(5.5, 4))
for name, (_, _, second_axis, losses) in curves.items():
    ax.plot(second_axis, losses, color=colours[name], label=name)
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("wall time (s, varies by machine)")
ax.set_ylabel("mean training loss of the epoch")
ax.set_title("per second (this machine, this run)")
ax.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# **Questions.** SGD's curve is the bumpiest: why, given that each point is already an average over
# 200 steps? Batch descent follows the exact gradient, so it can afford a larger step: rerun it with
# `lr=1.0`, and SGD with `lr=1.0`. What happens to each, and why?

# %% [markdown]
# ## Experiment 2: the vanishing gradient
#
# A deep network: 10 hidden layers of 32 units on the moons, once with sigmoid and once with ReLU,
# each with the layers' default initialisation ($U(-1/\sqrt{\text{fan\_in}}, 1/\sqrt{\text{fan\_in}})$,
# PyTorch's) and with the initialisation meant for it: your `xavier_normal` for sigmoid, your
# `kaiming_normal` for ReLU. Left: after one forward and backward pass on all 200 points, the norm
# $\lVert \partial L/\partial W_l \rVert$ of each layer's weight gradient (log scale; layer 1 is next to
# the input). Right: the epoch loss while your `fit` trains each network (mini-batches of 20, $\eta = 0.1$).
#
# Look for: the sigmoid networks' gradients shrink by orders of magnitude from the output back to the
# input. Backpropagation multiplies by $\sigma'(z) = y(1-y) \le 1/4$ at every sigmoid layer, and good
# initialisation cannot lift that cap. The ReLU network with the default initialisation fades too,
# more slowly: that bound gives weights of variance $1/(3\,\text{fan\_in})$, and ReLU halves the
# signal again, so each layer loses a factor of about 6 in variance. With He initialisation the norms
# stay within a small factor of each other from the first layer to the last, and only that network learns.

# %%
deep_sizes = [2] + [32] * 10 + [2]
deep_nets = {
    "sigmoid, default init": (Sigmoid, None, "#ff7f0e", "--"),
    "sigmoid, Xavier (normal)": (Sigmoid, lambda shape, rng: xavier_normal(shape, rng=rng), "#ff7f0e", "-"),
    "ReLU, default init": (ReLU, None, "#1f77b4", "--"),
    "ReLU, He (kaiming_normal)": (
        ReLU,
        lambda shape, rng: kaiming_normal(shape, nonlinearity="relu", rng=rng),
        "#1f77b4",
        "-",
    ),
}
fig, (ax_norm, ax_loss) = plt.subplots(1, 2, figsize=(13, 4.5))
for name, (activation, initialiser, colour, style) in deep_nets.items():
    model = mlp(deep_sizes, activation, initialiser)
    loss_fn = CrossEntropyLoss()
    loss_fn.forward(model.forward(X_moons), y_moons)
    model.backward(loss_fn.backward())
    linears = [layer for layer in model.layers if isinstance(layer, Linear)]
    norms = [np.linalg.norm(layer.weight.grad) for layer in linears]
    ax_norm.semilogy(range(1, len(norms) + 1), norms, marker="o", color=colour, linestyle=style, label=name)

    model = mlp(deep_sizes, activation, initialiser)
    with np.errstate(over="ignore", invalid="ignore"):
        history = fit(
            model,
            CrossEntropyLoss(),
            GradientDescent(model.parameters(), lr=0.1),
            X_moons,
            y_moons,
            epochs=60,
            batch_size=20,
            shuffle=True,
            rng=np.random.default_rng(2),
        )
    ax_loss.plot(range(1, len(history) + 1), history, color=colour, linestyle=style, label=name)
ax_norm.set_xlabel("layer (1 = next to the input)")
ax_norm.set_ylabel(r"$\|\partial L / \partial W_l\|$ at initialisation")
ax_norm.set_title("per-layer gradient norms, 11 Linear layers")
ax_norm.legend(fontsize=8, handlelength=4)
ax_loss.legend(fontsize=8, handlelength=4, loc="center right")
ax_loss.set_xlabel("epoch")
ax_loss.set_ylabel("mean training loss of the epoch")
ax_loss.set_title("training the same networks with your fit")
ax_loss.axhline(np.log(2), color="grey", linewidth=0.8, linestyle=":")
ax_loss.text(40, np.log(2) - 0.04, "log 2: guessing", color="grey", fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# **Questions.** Count the orders of magnitude between the last layer and the first in the sigmoid
# networks: how does it compare with the bound $4^{-10} \approx 10^{-6}$? Replace `Sigmoid` by `Tanh`
# (with `xavier_normal(shape, gain=5/3, rng=rng)`): tanh's derivative reaches 1 at zero. Does the deep
# tanh network learn?

# %% [markdown]
# ## Experiment 3: what your initialisers draw
#
# A quick look at the four initialisers before using them: 60,000 weights of shape `(200, 300)`
# from each, as a histogram, with the density the lesson promises drawn on top (a uniform on
# $[-\sqrt3 s, \sqrt3 s]$ or a normal with standard deviation $s$). A wrong fan, a missing $\sqrt3$ or a
# variance passed as a standard deviation shows up as a histogram that does not fit its curve.

# %%
shape = (200, 300)  # fan_in 300, fan_out 200
s_xavier = np.sqrt(2.0 / (300 + 200))
s_he = np.sqrt(2.0) / np.sqrt(300)
draws = {
    "xavier_uniform": (xavier_uniform(shape, rng=np.random.default_rng(0)), s_xavier, "uniform"),
    "xavier_normal": (xavier_normal(shape, rng=np.random.default_rng(0)), s_xavier, "normal"),
    "kaiming_uniform (ReLU)": (
        kaiming_uniform(shape, nonlinearity="relu", rng=np.random.default_rng(0)),
        s_he,
        "uniform",
    ),
    "kaiming_normal (ReLU)": (kaiming_normal(shape, nonlinearity="relu", rng=np.random.default_rng(0)), s_he, "normal"),
}
fig, axes = plt.subplots(1, 4, figsize=(14, 3.2))
for ax, (name, (weights, s, kind)) in zip(axes, draws.items()):
    weights = np.asarray(weights, dtype=float)
    grid = np.linspace(-4 * s, 4 * s, 400)
    if kind == "uniform":
        density = np.where(np.abs(grid) <= np.sqrt(3) * s, 1 / (2 * np.sqrt(3) * s), 0.0)
    else:
        density = np.exp(-0.5 * (grid / s) ** 2) / (s * np.sqrt(2 * np.pi))
    ax.hist(weights.ravel(), bins=60, range=(-4 * s, 4 * s), density=True, color="#bbbbbb")
    ax.plot(grid, density, color="k", linewidth=1.2)
    ax.set_title(f"{name}\nshape {weights.shape}, std {weights.std():.4f} (target {s:.4f})", fontsize=9)
    ax.set_yticks([])
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Experiment 4: activations layer by layer, naive against good initialisation
#
# Now the signal itself. A batch of 500 random inputs (256 features, standard normal) goes through
# 10 layers of 256 units, without training, for four initialisations of the weights (biases zero, except
# in the default):
# **naive** $\mathcal N(0, 1)$, **tiny** $U(-0.01, 0.01)$, the layers' **default** $U(\pm 1/\sqrt{256})$,
# and the matching **Xavier** (tanh, gain 5/3) or **He** (ReLU) initialisation, drawn by your code. Each
# row shows the histograms of the activations after layers 1, 2, 4, 7 and 10; the last column the
# standard deviation of every layer's output (log scale).
#
# Look for, with tanh: $\mathcal N(0,1)$ weights give pre-activations of standard deviation about
# $\sqrt{256} = 16$, so every unit saturates at $\pm 1$, where tanh's derivative is zero; tiny weights
# shrink the signal by $\sqrt{256} \cdot 0.01/\sqrt3 \approx 0.09$ per layer until it is gone, and with it
# every gradient. The default shrinks it too, until only the biases' contribution is left. Xavier keeps
# a spread-out histogram in every layer. With ReLU the naive weights make the signal explode (about
# $\times 11$ per layer), tiny ones make it vanish, the default shrinks it to the biases' level, and He
# keeps its scale. (For ReLU the histograms leave out the exact zeros, about half of every layer.) The
# last column has the same scale in every row, so a flat line means a preserved signal.

# %%
layers_shown = [1, 2, 4, 7, 10]
width, depth = 256, 10
inputs = np.random.default_rng(3).standard_normal((500, width))
schemes = {
    "tanh": (
        Tanh,
        {
            "naive N(0, 1)": lambda shape, rng: rng.standard_normal(shape),
            "tiny U(-0.01, 0.01)": lambda shape, rng: rng.uniform(-0.01, 0.01, shape),
            "default U(±1/√fan_in)": None,
            "Xavier, gain 5/3": lambda shape, rng: xavier_normal(shape, gain=5 / 3, rng=rng),
        },
    ),
    "ReLU": (
        ReLU,
        {
            "naive N(0, 1)": lambda shape, rng: rng.standard_normal(shape),
            "tiny U(-0.01, 0.01)": lambda shape, rng: rng.uniform(-0.01, 0.01, shape),
            "default U(±1/√fan_in)": None,
            "He (kaiming_normal)": lambda shape, rng: kaiming_normal(shape, nonlinearity="relu", rng=rng),
        },
    ),
}


def layer_outputs(model, x, activation):
    """The output of every activation layer of model for the input x (no training, no backward)."""
    outputs = []
    with np.errstate(over="ignore", invalid="ignore"):
        for layer in model.layers:
            x = layer.forward(x)
            if isinstance(layer, activation):
                outputs.append(x)
    return outputs


for act_name, (activation, initialisers) in schemes.items():
    results = {
        name: layer_outputs(mlp([width] * (depth + 1) + [2], activation, initialiser, seed=4), inputs, activation)
        for name, initialiser in initialisers.items()
    }
    all_stds = [out.std() for outputs in results.values() for out in outputs]
    fig, axes = plt.subplots(4, len(layers_shown) + 1, figsize=(15, 8.5))
    for row, (init_name, outputs) in zip(axes, results.items()):
        for ax, k in zip(row, layers_shown):
            values = outputs[k - 1].ravel()
            if act_name == "ReLU":
                ax.hist(values[values > 0], bins=50, color="#1f77b4")
            else:
                ax.hist(values, bins=50, range=(-1, 1), color="#ff7f0e")
            ax.set_yticks([])
            ax.tick_params(labelsize=7)
            ax.locator_params(axis="x", nbins=4)
            ax.ticklabel_format(axis="x", style="sci", scilimits=(-2, 3))
            ax.xaxis.get_offset_text().set_fontsize(7)
            ax.set_title(f"layer {k}: std {outputs[k - 1].std():.2g}", fontsize=8)
        row[0].set_ylabel(init_name, fontsize=9)
        row[-1].semilogy(range(1, depth + 1), [out.std() for out in outputs], marker="o", color="k")
        row[-1].set_ylim(min(all_stds) / 5, max(all_stds) * 5)
        row[-1].set_title("std per layer (same scale in every row)", fontsize=8)
        row[-1].tick_params(labelsize=7)
    fig.suptitle(f"{act_name} network, 10 layers of 256: activations at initialisation")
    fig.tight_layout()
    plt.show()

# %% [markdown]
# **Questions.** The naive tanh network's activations are all near $\pm 1$: what gradient does a layer
# below them receive? Xavier with gain 1 instead of 5/3 lets tanh's signal shrink slowly with depth:
# try it and explain with $\tanh(z) \approx z - z^3/3$. Why does the *default* initialisation of
# `Linear` train well in practice for shallow networks but not for the 10-layer ReLU stack here?
