# %% [markdown]
# ## How to work in this notebook
#
# Six layers to write: `Conv2d`, `MaxPool2d`, `AvgPool2d`, `Flatten`, `BatchNorm1d` and
# `BatchNorm2d`. Each has a lesson, a code cell to complete between the `### BEGIN SOLUTION` and
# `### END SOLUTION` markers, and a "check your work" cell. The experiments at the end build a
# convolutional network from **your** layers, train it on the 8x8 handwritten digits and look inside
# it; a layer with a bug shows up there as a wrong picture, a training run that does not learn, or a
# failed accuracy check. The whole notebook runs in well under a minute.

# %%
# nnlab: setup

# %% [markdown]
# ## Convolution
#
# A fully connected layer looks at the whole image with a separate weight for every pixel. A
# convolution looks at one small window at a time (**local connectivity**) and uses the same weights
# for every window (**weight sharing**): a filter of $C \times k_H \times k_W$ numbers slides over the
# image and answers "how much does this window look like me?" at every position. A pattern is
# detected wherever it appears, and the number of weights does not depend on the image size.
#
# With input $x$ of shape $(N, C, H, W)$, zero-padded by $p_H, p_W$ on each side into $x_p$,
# weights $w$ of shape $(F, C, k_H, k_W)$, bias $b$ of shape $(F,)$ and strides $s_H, s_W$, the
# output $(N, F, H', W')$ is
#
# $$y_{n,f,p,q} = b_f + \sum_{c=0}^{C-1}\sum_{i=0}^{k_H-1}\sum_{j=0}^{k_W-1} w_{f,c,i,j}\, x_{p\,[n,\, c,\, p s_H + i,\, q s_W + j]},
# \qquad H' = 1 + \left\lfloor \frac{H + 2p_H - k_H}{s_H} \right\rfloor$$
#
# (and the same for $W'$). This is a *cross-correlation*: the kernel is not flipped, as in PyTorch and
# every deep-learning library.
#
# **im2col.** Copy every window into one column of a matrix `cols` of shape
# $(C k_H k_W,\ N H' W')$; then the whole layer is one matrix product,
# `y = w.reshape(F, -1) @ cols + b[:, None]`, reshaped to $(N, F, H', W')$. The helper `_windows`
# returns all windows as a strided *view* of the padded input (no copy), shaped
# $(C, k_H, k_W, N, H', W')$, so that `cols` is a reshape of it.
#
# **Backward.** With $G$ = `grad_y` arranged as $(F,\ N H' W')$ like the columns, it is the Linear
# layer's backward on the columns:
#
# $$\frac{\partial L}{\partial w} = G\,\mathrm{cols}^\top, \qquad \frac{\partial L}{\partial b_f} = \sum_{n,p,q} G_{f,(n,p,q)}, \qquad
# \frac{\partial L}{\partial\, \mathrm{cols}} = w^\top G,$$
#
# followed by **col2im**: each column's gradient is *added* back onto the window it came from. Windows
# overlap (a pixel belongs to up to $k_H k_W$ windows), so the contributions must accumulate; finally
# the padding's share is cut off, since the zeros were not inputs.
#
# **Traps.** Writing `=` instead of `+=` in col2im keeps only the last window's gradient. The row
# order of `cols`, $(c, i, j)$, must match `w.reshape(F, -1)`; the column order, $(n, p, q)$, must
# match how you reshape `grad_y`. Flipping the kernel (true convolution) gives a layer that trains but
# disagrees with every reference. Parameter gradients are added into `.grad`, never assigned.

# %%
# nnlab: solution layers.Conv2d

# %%
# nnlab: check layers.Conv2d

# %%
# nnlab: tests layers.Conv2d

# %% [markdown]
# ## Max pooling
#
# Pooling summarises each $k_H \times k_W$ window of each channel by one number, which shrinks the
# feature maps (fewer numbers for the layers after it) and makes the result a little insensitive to
# small shifts. It has no parameters. Max pooling keeps the strongest response:
#
# $$y_{n,c,p,q} = \max_{0 \le i < k_H,\ 0 \le j < k_W} x_{n,\, c,\, p s_H + i,\, q s_W + j},
# \qquad H' = 1 + \left\lfloor\frac{H - k_H}{s_H}\right\rfloor,$$
#
# with the stride equal to the kernel size by default (disjoint windows).
#
# **Backward.** Only the maximal entry of a window influenced the output, so the whole gradient of
# $y_{n,c,p,q}$ goes to it and the other entries of the window get nothing. Save *where* each maximum
# was (`self._argmax`, its flat offset $i k_W + j$ in the window) during `forward`.
#
# **Traps.** On a tie (several equal maxima, common after a ReLU: many zeros) the gradient must go to
# exactly **one** entry, not to all of them. When windows overlap (stride smaller than the kernel), an
# entry that is the maximum of several windows collects all their gradients: accumulate. Rows and
# columns that fit in no window (for example the last row of a 7x7 input with 2x2 windows) get zero.

# %%
# nnlab: solution layers.MaxPool2d

# %%
# nnlab: check layers.MaxPool2d

# %%
# nnlab: tests layers.MaxPool2d

# %% [markdown]
# ## Average pooling
#
# Average pooling keeps the mean of each window,
#
# $$y_{n,c,p,q} = \frac{1}{k_H k_W}\sum_{i,j} x_{n,\, c,\, p s_H + i,\, q s_W + j},$$
#
# a convolution with a fixed uniform kernel applied to every channel separately. It is linear, so its
# gradient does not depend on $x$: every entry of a window receives $\frac{1}{k_H k_W}$ of that
# window's output gradient,
#
# $$\frac{\partial L}{\partial x_{n,c,h,w}} = \sum_{\text{windows } (p,q) \ni (h,w)} \frac{1}{k_H k_W}\,\frac{\partial L}{\partial y_{n,c,p,q}} .$$
#
# **Traps.** Divide by the window size, not by the number of windows. Overlapping windows accumulate
# as in max pooling, and entries outside every window get zero.

# %%
# nnlab: solution layers.AvgPool2d

# %%
# nnlab: check layers.AvgPool2d

# %%
# nnlab: tests layers.AvgPool2d

# %% [markdown]
# ## Flatten
#
# The bridge from feature maps to fully connected layers: every sample's $(C, H, W)$ block becomes
# one row of length $C H W$, in row-major (C) order as PyTorch's `Flatten`:
# $(N, C, H, W) \to (N, C H W)$. Nothing is computed, so the backward pass only reshapes the gradient
# back to the input's shape, which `forward` must remember.
#
# **Trap.** Keep the sample axis: reshape to `(N, -1)`, never to one long vector, and do not
# transpose (the first Linear layer's weights are laid out in the order `reshape` produces).

# %%
# nnlab: solution layers.Flatten

# %%
# nnlab: check layers.Flatten

# %%
# nnlab: tests layers.Flatten

# %% [markdown]
# ## Batch normalisation
#
# As a network trains, the distribution of each layer's inputs shifts with every update of the
# layers before it. Batch normalisation (Ioffe and Szegedy, 2015) standardises every feature over the
# mini-batch and then lets the layer choose its own scale $\gamma$ and offset $\beta$. With input
# $(N, C)$, for each feature $c$ over the $m = N$ samples:
#
# $$\mu_c = \frac1m\sum_n x_{n,c}, \qquad \sigma_c^2 = \frac1m\sum_n (x_{n,c} - \mu_c)^2, \qquad
# \hat x_{n,c} = \frac{x_{n,c} - \mu_c}{\sqrt{\sigma_c^2 + \varepsilon}}, \qquad y_{n,c} = \gamma_c \hat x_{n,c} + \beta_c .$$
#
# In evaluation there may be a single sample, so the layer uses **running statistics** instead,
# updated in every training step: $\text{running} \leftarrow (1 - \text{momentum})\,\text{running} +
# \text{momentum} \cdot \text{batch}$, where the batch's variance is stored *unbiased*,
# $\sigma_c^2 \cdot \frac{m}{m-1}$ (as PyTorch), while the batch itself is normalised with the
# biased $\sigma_c^2$.
#
# **Backward.** $\gamma$ and $\beta$ are easy: $\frac{\partial L}{\partial \gamma_c} = \sum_n
# \frac{\partial L}{\partial y_{n,c}}\hat x_{n,c}$ and $\frac{\partial L}{\partial \beta_c} = \sum_n
# \frac{\partial L}{\partial y_{n,c}}$. For $x$, every sample moved the batch's mean and variance,
# so every sample influences every output. With $g = \frac{\partial L}{\partial y}\gamma$ (the
# gradient with respect to $\hat x$), the chain rule through $\mu$ and $\sigma^2$ collapses to
#
# $$\frac{\partial L}{\partial x_{n,c}} = \frac{1}{\sqrt{\sigma_c^2+\varepsilon}}\Big(g_{n,c} - \overline{g}_c - \hat x_{n,c}\,\overline{g \hat x}_c\Big),$$
#
# where the bars are means over the batch: the gradient loses its component along the constant
# direction (the mean was subtracted) and along $\hat x$ (the scale was divided out). In evaluation
# the running statistics are constants and the backward is just $g / \sqrt{\text{running\_var} +
# \varepsilon}$.
#
# **Traps.** $\varepsilon$ goes *inside* the square root. Normalise with the biased variance but store
# the unbiased one. Update the running statistics only in training mode, and use them (not the batch)
# in evaluation. Forgetting the two correction terms in the backward pass gives gradients that look
# plausible and are wrong: the gradient check catches it.

# %%
# nnlab: solution layers.BatchNorm1d

# %%
# nnlab: check layers.BatchNorm1d

# %%
# nnlab: tests layers.BatchNorm1d

# %% [markdown]
# ## Batch normalisation for images
#
# After a convolution, a channel is one feature detected at every position. `BatchNorm2d` therefore
# normalises each channel over the batch **and** all positions: the means above run over the
# $m = N H W$ values of a channel of an $(N, C, H, W)$ input, and $\gamma$, $\beta$ and the running
# statistics still have shape $(C,)$. The same affine map is applied at every position, so the layer
# stays compatible with weight sharing. If you wrote `BatchNorm1d` for any set of axes, this is the
# same code with the axes $(0, 2, 3)$ and the $(C,)$ vectors reshaped to $(1, C, 1, 1)$ for
# broadcasting.
#
# **Trap.** Reducing over the wrong axes (over the channels, or over the batch only) gives the right
# shape and the wrong numbers.

# %%
# nnlab: solution layers.BatchNorm2d

# %%
# nnlab: check layers.BatchNorm2d

# %%
# nnlab: tests layers.BatchNorm2d

# %% [markdown]
# ## The experiments
#
# Everything below uses the 8x8 handwritten digits that ship with scikit-learn: 1,438 training and
# 359 test images, pixels scaled to $[0, 1]$, shaped $(N, 1, 8, 8)$. Your layers come from the cells
# above; `Linear`, `ReLU`, `CrossEntropyLoss`, `Sequential`, `fit` and the optimisers are the complete
# versions of earlier assignments.

# %%
from activations import ReLU
from datasets import load_digits
from layers import Linear
from losses import CrossEntropyLoss
from models import Sequential
from optimizers import SGD, Adam
from training import accuracy, fit

X_train, y_train, X_test, y_test = load_digits()
SEED = 0  # change it: the network below should still reach 97 %

# %% [markdown]
# ## Experiment 1: the output-size formula, worked
#
# Every convolution and pooling layer maps a side of length $H$ to
# $H' = 1 + \lfloor (H + 2p - k)/s \rfloor$: the number of whole windows of size $k$, placed every
# $s$ pixels, that fit into the padded side $H + 2p$. On an 8x8 digit:
#
# | layer | $k$ | $s$ | $p$ | $H'$ |
# |---|---|---|---|---|
# | conv 3x3, no padding | 3 | 1 | 0 | $1 + (8 - 3)/1 = 6$: the border is lost |
# | conv 3x3, padding 1 ("same") | 3 | 1 | 1 | $1 + (8 + 2 - 3)/1 = 8$: the size is kept |
# | conv 3x3, stride 2, padding 1 | 3 | 2 | 1 | $1 + \lfloor 7/2 \rfloor = 4$ |
# | conv 5x5, no padding | 5 | 1 | 0 | $1 + 3 = 4$ |
# | max pool 2x2 | 2 | 2 | 0 | $1 + 6/2 = 4$ |
# | max pool 3x3, stride 2 | 3 | 2 | 0 | $1 + \lfloor 5/2 \rfloor = 3$: the last row fits no window |
# | max pool 2x2 on a 7x7 map | 2 | 2 | 0 | $1 + \lfloor 5/2 \rfloor = 3$: the 7th row is dropped |
#
# An odd kernel with $p = (k-1)/2$ and stride 1 keeps the size, which is why the network below uses
# 3x3 convolutions with padding 1 and lets only the pools shrink the image. The cell checks the
# formula against the shapes your layers actually produce.


# %%
def output_side(size, kernel, stride=1, padding=0):
    """H' = 1 + (H + 2 * padding - kernel) // stride: whole windows along one side."""
    return 1 + (size + 2 * padding - kernel) // stride


examples = [
    ("conv 3x3, no padding", Conv2d(1, 1, 3), 8, 3, 1, 0),
    ("conv 3x3, padding 1", Conv2d(1, 1, 3, padding=1), 8, 3, 1, 1),
    ("conv 3x3, stride 2, padding 1", Conv2d(1, 1, 3, stride=2, padding=1), 8, 3, 2, 1),
    ("conv 5x5, no padding", Conv2d(1, 1, 5), 8, 5, 1, 0),
    ("max pool 2x2", MaxPool2d(2), 8, 2, 2, 0),
    ("max pool 3x3, stride 2", MaxPool2d(3, stride=2), 8, 3, 2, 0),
    ("avg pool 2x2 on 7x7", AvgPool2d(2), 7, 2, 2, 0),
]
print(f"{'layer':32s} {'input':>7s} {'formula':>8s} {'your layer':>11s}")
for name, layer, size, kernel, stride, padding in examples:
    expected = output_side(size, kernel, stride, padding)
    produced = layer.forward(np.zeros((1, 1, size, size))).shape[2:]
    mark = "" if produced == (expected, expected) else "   <-- differs"
    print(f"{name:32s} {size:>4d}x{size:<2d} {expected:>5d}x{expected:<2d} {str(produced):>11s}{mark}")

# %% [markdown]
# ## Experiment 2: convolution and pooling by hand
#
# Before learning filters, set two by hand: the Sobel kernels, which respond to a change of intensity
# from left to right (vertical edges) and from top to bottom (horizontal edges). Your `Conv2d` with
# these weights and padding 1 turns a digit into two edge maps (red: the intensity rises in the
# kernel's direction, blue: it falls); with stride 2 and no padding it samples the same response on a
# coarser 3x3 grid. Below, your pooling layers summarise the digit, and their **backward** passes,
# fed a gradient of ones, show where the gradient goes: to one maximum per window for max pooling,
# evenly for average pooling, and, with overlapping 3x3 windows at stride 2, to entries that win
# several windows (2) or fit in none (0, the last row and column).
#
# Look for: the left edge of every stroke red and the right edge blue in the first edge map (a
# flipped kernel swaps the colours); each title's shape agreeing with the formula.

# %%
digit = X_test[y_test == 0][:1]  # one test image of a 0, shape (1, 1, 8, 8)
sobel_x = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
kernels = np.stack([sobel_x, sobel_x.T])[:, None]  # (2, 1, 3, 3): vertical and horizontal edges

edges_conv = Conv2d(1, 2, 3, padding=1)
edges_conv.weight.data = kernels.copy()
edges_conv.bias.data = np.zeros(2)
edges = edges_conv.forward(digit)
strided_conv = Conv2d(1, 2, 3, stride=2)
strided_conv.weight.data = kernels.copy()
strided_conv.bias.data = np.zeros(2)
strided = strided_conv.forward(digit)

max_pool, avg_pool, overlap_pool = MaxPool2d(2), AvgPool2d(2), MaxPool2d(3, stride=2)
pooled_max, pooled_avg = max_pool.forward(digit), avg_pool.forward(digit)
route_max = max_pool.backward(np.ones_like(pooled_max))
route_avg = avg_pool.backward(np.ones_like(pooled_avg))
route_overlap = overlap_pool.backward(np.ones_like(overlap_pool.forward(digit)))

fig, axes = plt.subplots(2, 4, figsize=(12, 7.6))
limit = np.abs(edges).max()
panels = [
    (digit[0, 0], "the digit", "gray_r", (0, 1)),
    (edges[0, 0], "Sobel x, padding 1", "RdBu_r", (-limit, limit)),
    (edges[0, 1], "Sobel y, padding 1", "RdBu_r", (-limit, limit)),
    (strided[0, 0], "Sobel x, stride 2, no padding", "RdBu_r", (-limit, limit)),
    (pooled_max[0, 0], "max pool 2x2", "gray_r", (0, 1)),
    (pooled_avg[0, 0], "avg pool 2x2", "gray_r", (0, 1)),
    (route_max[0, 0], "max pool 2x2, backward of ones", "viridis", (0, 2)),
    (route_overlap[0, 0], "max pool 3x3 stride 2, backward", "viridis", (0, 2)),
]
for ax, (image, title, cmap, (low, high)) in zip(axes.ravel(), panels):
    ax.imshow(image, cmap=cmap, vmin=low, vmax=high)
    ax.set_title(f"{title}\n{image.shape[0]}x{image.shape[1]}", fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
    if "backward" in title:
        for (row, col), value in np.ndenumerate(image):
            ax.text(col, row, f"{value:g}", ha="center", va="center", fontsize=6, color="w" if value < 1.5 else "k")
fig.suptitle(f"avg pool 2x2 backward of ones: every entry gets {np.unique(route_avg).round(4).tolist()}", fontsize=10)
fig.tight_layout()
plt.show()

# %% [markdown]
# **Questions.** Which Sobel kernel would respond to a diagonal stroke, and how would you build one?
# Why does max pooling's backward put exactly one 1 in every 2x2 block, even where the digit is blank
# (all four entries 0)? What does the 0 in the last row and column of the overlapping pool mean for
# the pixels there during training?

# %% [markdown]
# ## Experiment 3: the architecture, built from your layers
#
# The most common convolutional architecture (CS231n, "ConvNet architectures") is
#
# $$\text{INPUT} \to \big[[\text{CONV} \to \text{ReLU}] \times N \to \text{POOL?}\big] \times M \to [\text{FC} \to \text{ReLU}] \times K \to \text{FC}$$
#
# A few convolutions with ReLUs detect local patterns, a pool halves the image, and this repeats
# while the image is large enough; then fully connected layers combine the detected patterns into
# class scores (the last FC outputs logits for `CrossEntropyLoss`). `build_cnn` below writes that
# pattern with your classes. The size of the flattened feature map, which the first FC layer needs,
# follows from the output-size formula without running the network. Optional batch normalisation goes
# after every convolution (`BatchNorm2d`) and every hidden FC layer (`BatchNorm1d`), before the ReLU.
#
# The network for the digits: $N = 1$, $M = 2$ (16 and 32 channels), $K = 1$ (64 units).


# %%
def build_cnn(
    input_shape=(1, 8, 8), conv_channels=(16, 32), convs_per_block=1, pool=True, hidden=(64,),
    num_classes=10, batchnorm=False, rng=None,
):  # fmt: skip
    """INPUT -> [[CONV -> (BN ->) ReLU] * N -> POOL?] * M -> [FC -> (BN ->) ReLU] * K -> FC."""
    channels, height, width = input_shape
    modules = []
    for out_channels in conv_channels:  # M blocks
        for _ in range(convs_per_block):  # N convolutions each: 3x3, padding 1, keep the size
            modules.append(Conv2d(channels, out_channels, 3, padding=1, rng=rng))
            if batchnorm:
                modules.append(BatchNorm2d(out_channels))
            modules.append(ReLU())
            channels = out_channels
            height, width = output_side(height, 3, 1, 1), output_side(width, 3, 1, 1)
        if pool:
            modules.append(MaxPool2d(2))
            height, width = output_side(height, 2, 2), output_side(width, 2, 2)
    modules.append(Flatten())
    features = channels * height * width
    for size in hidden:  # K hidden fully connected layers
        modules.append(Linear(features, size, rng=rng))
        if batchnorm:
            modules.append(BatchNorm1d(size))
        modules.append(ReLU())
        features = size
    modules.append(Linear(features, num_classes, rng=rng))
    return Sequential(*modules)


model = build_cnn(rng=np.random.default_rng(SEED))
activation = X_train[:2]
print(f"{'layer':78s} {'output shape':>16s} {'parameters':>10s}")
print(f"{'input':78s} {str(activation.shape):>16s}")
for layer in model.layers:
    activation = layer.forward(activation)
    count = sum(p.data.size for p in layer.parameters())
    print(f"{layer!r:78s} {str(activation.shape):>16s} {count:>10,d}")
print(f"total parameters: {sum(p.data.size for p in model.parameters()):,d}")

# %% [markdown]
# ## Experiment 4: training on the digits
#
# Adam on mini-batches of 32 for 12 epochs at learning rate 0.002, then 3 epochs at 0.0002 (large
# steps to get close, small ones to settle). After every epoch the test accuracy is measured in eval
# mode. The cell checks that your network reaches at least 97 % test accuracy; the reference layers
# reach about 98.5 % in a few seconds, for every seed we tried.
#
# Look for: the training loss dropping fast in the first epochs, the test accuracy passing 90 %
# within three epochs, and the last epochs at the small learning rate settling above 97 %. If the loss stays near $\ln 10 \approx 2.3$ (chance), a backward pass
# is wrong; if it falls but the accuracy does not follow, look at the evaluation-mode code.

# %%
import time

rng = np.random.default_rng(SEED)
model = build_cnn(rng=rng)
optimizer = Adam(model.parameters())
train_losses, test_accuracies = [], []
start = time.perf_counter()
for lr, epochs in [(2e-3, 12), (2e-4, 3)]:
    optimizer.lr = lr
    for _ in range(epochs):
        train_losses += fit(model, CrossEntropyLoss(), optimizer, X_train, y_train, 1, 32, shuffle=True, rng=rng)
        test_accuracies.append(accuracy(model, X_test, y_test))
seconds = time.perf_counter() - start
test_accuracy = test_accuracies[-1]
print(f"test accuracy {test_accuracy:.4f} after {len(train_losses)} epochs ({seconds:.1f} s)")

fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(11, 3.6))
epochs = np.arange(1, len(train_losses) + 1)
loss_ax.plot(epochs, train_losses, "o-")
loss_ax.axvline(12.5, color="grey", linestyle=":", label="learning rate / 10")
loss_ax.set_yscale("log")
loss_ax.set_xlabel("epoch")
loss_ax.set_ylabel("training cross-entropy")
loss_ax.legend(fontsize=8)
acc_ax.plot(epochs, test_accuracies, "o-", color="#1b9e77")
acc_ax.axhline(0.97, color="#d95f02", linestyle="--", label="97 %")
acc_ax.set_ylim(0.85, 1.0)
acc_ax.set_xlabel("epoch")
acc_ax.set_ylabel("test accuracy")
acc_ax.legend(fontsize=8)
fig.suptitle(f"CNN on the 8x8 digits: test accuracy {test_accuracy:.2%}")
fig.tight_layout()
plt.show()

assert test_accuracy >= 0.97, (
    f"the CNN reached only {test_accuracy:.2%} test accuracy (at least 97 % expected): check "
    "Conv2d, MaxPool2d and Flatten, forward and backward (the check cells above say which one fails)"
)

# %% [markdown]
# **Questions.** The network has 13,706 parameters; how many of them are in the convolutions
# and how many in the fully connected layers (see the table above)? What would an MLP on the 64
# pixels need for the same accuracy? Try `build_cnn(convs_per_block=2)` or `hidden=()`: what changes?

# %% [markdown]
# ## Experiment 5: what the network learned
#
# Left: the 16 learned 3x3 filters of the first convolution (red: positive weights, blue: negative).
# Right: one test digit and what it becomes inside the network: the 16 feature maps after the first
# convolution and ReLU (8x8), and the first 16 of the 32 maps after the second convolution and ReLU
# (4x4: the first pool has halved the image). Below: the test digits the network gets wrong.
#
# Look for: filters that look like small edge and stroke detectors (compare them with the Sobel
# kernels of experiment 2); feature maps that light up along different parts of the strokes; and
# mistakes that a person might make too.

# %%
model.eval()
filters = model.layers[0].weight.data[:, 0]  # (16, 3, 3)
sample = X_test[y_test == 2][:1]
maps = [sample]
for layer in model.layers:
    maps.append(layer.forward(maps[-1]))
first_block = maps[2][0]  # maps[k] is the output of layer k - 1: here the first ReLU, (16, 8, 8)
second_block = maps[5][0]  # the second ReLU, before its pool: (32, 4, 4)

fig = plt.figure(figsize=(13, 5.2))
grid = fig.add_gridspec(4, 14)
limit = np.abs(filters).max()
for k in range(16):
    ax = fig.add_subplot(grid[k // 4, k % 4])
    ax.imshow(filters[k], cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_xticks([])
    ax.set_yticks([])
    if k == 1:
        ax.set_title("first-layer filters", fontsize=10, loc="left")
ax = fig.add_subplot(grid[1:3, 4:6])
ax.imshow(sample[0, 0], cmap="gray_r")
ax.set_title("input", fontsize=10)
ax.set_xticks([])
ax.set_yticks([])
for k in range(16):
    ax = fig.add_subplot(grid[k // 4, 6 + k % 4])
    ax.imshow(first_block[k], cmap="magma")
    ax.set_xticks([])
    ax.set_yticks([])
    if k == 0:
        ax.set_title("conv 1 + ReLU (8x8)", fontsize=10, loc="left")
    ax = fig.add_subplot(grid[k // 4, 10 + k % 4])
    ax.imshow(second_block[k], cmap="magma")
    ax.set_xticks([])
    ax.set_yticks([])
    if k == 0:
        ax.set_title("conv 2 + ReLU (4x4)", fontsize=10, loc="left")
plt.show()

predicted = model.forward(X_test).argmax(axis=1)
wrong = np.flatnonzero(predicted != y_test)
shown = wrong[:12]
fig, axes = plt.subplots(1, max(len(shown), 1), figsize=(1.1 * max(len(shown), 1), 1.7), squeeze=False)
for ax, index in zip(axes[0], shown):
    ax.imshow(X_test[index, 0], cmap="gray_r")
    ax.set_title(f"{y_test[index]} as {predicted[index]}", fontsize=9)
for ax in axes[0]:
    ax.set_xticks([])
    ax.set_yticks([])
fig.suptitle(f"{len(wrong)} of {len(y_test)} test digits wrong (true as predicted)", fontsize=10, y=1.1)
plt.show()
model.train()

# %% [markdown]
# **Questions.** A first-layer filter has only 9 weights: what patterns can a 3x3 filter on a single
# channel detect, and what does the second layer add? Why are some feature maps almost entirely dark
# (think of the ReLU)?

# %% [markdown]
# ## Experiment 6: batch normalisation
#
# First, what your `BatchNorm2d` and `BatchNorm1d` do to one batch in training mode: the per-channel
# (per-feature) mean and standard deviation of a fresh convolution's and a fresh Linear layer's outputs
# on 256 digits, before and after normalisation. After it, every channel should have mean 0 and
# standard deviation 1 (with $\gamma = 1$, $\beta = 0$ at the start).
#
# Then the effect on training: the same CNN with and without batch normalisation, trained with plain
# SGD (no momentum) for 5 epochs at three learning rates. Look for: without batch normalisation the
# small learning rates barely move the loss from $\ln 10$ and only the largest one trains; with it,
# every learning rate trains, and faster.

# %%
batch = X_train[:256]
conv_out = Conv2d(1, 16, 3, padding=1, rng=np.random.default_rng(SEED)).forward(batch)
fc_out = Linear(64, 32, rng=np.random.default_rng(SEED)).forward(batch.reshape(256, -1))
normalised_2d = BatchNorm2d(16).forward(conv_out)
normalised_1d = BatchNorm1d(32).forward(fc_out)

fig, axes = plt.subplots(1, 2, figsize=(11, 3.4))
for ax, before, after, axes_, name in [
    (axes[0], conv_out, normalised_2d, (0, 2, 3), "BatchNorm2d after Conv2d(1, 16, 3): per channel"),
    (axes[1], fc_out, normalised_1d, (0,), "BatchNorm1d after Linear(64, 32): per feature"),
]:  # fmt: skip
    index = np.arange(before.shape[1])
    ax.plot(index, before.mean(axis=axes_), "o", color="#7570b3", alpha=0.5, label="mean before")
    ax.plot(index, before.std(axis=axes_), "s", color="#d95f02", alpha=0.5, label="std before")
    ax.plot(index, after.mean(axis=axes_), "o-", color="#7570b3", label="mean after")
    ax.plot(index, after.std(axis=axes_), "s-", color="#d95f02", label="std after")
    ax.set_xlabel("channel" if len(axes_) > 1 else "feature")
    ax.set_title(name, fontsize=9)
    ax.legend(fontsize=7, ncol=2)
fig.tight_layout()
plt.show()

# %%
learning_rates = [0.01, 0.05, 0.2]
colours = ["#1b9e77", "#d95f02", "#7570b3"]
fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(12, 4.4))
for lr, colour in zip(learning_rates, colours):
    for batchnorm, style in [(False, "--"), (True, "-")]:
        rng = np.random.default_rng(SEED)
        net = build_cnn(batchnorm=batchnorm, rng=rng)
        optimizer = SGD(net.parameters(), lr=lr)
        losses, accuracies = [], []
        for _ in range(5):
            losses += fit(net, CrossEntropyLoss(), optimizer, X_train, y_train, 1, 32, shuffle=True, rng=rng)
            accuracies.append(accuracy(net, X_test, y_test))
        label = f"lr {lr:g}, {'with' if batchnorm else 'without'} BatchNorm"
        loss_ax.plot(range(1, 6), losses, style, marker="o", color=colour, label=label)
        acc_ax.plot(range(1, 6), accuracies, style, marker="o", color=colour, label=label)
loss_ax.set_yscale("log")
loss_ax.set_xlabel("epoch")
loss_ax.set_ylabel("training cross-entropy")
loss_ax.set_title("dashed: without BatchNorm, solid: with", fontsize=9)
for ax in (loss_ax, acc_ax):
    ax.set_xticks(range(1, 6))
acc_ax.set_xlabel("epoch")
acc_ax.set_ylabel("test accuracy")
acc_ax.set_ylim(0, 1)
fig.legend(*acc_ax.get_legend_handles_labels(), loc="lower center", ncol=3, fontsize=8)
fig.suptitle("Plain SGD on the digits, with and without batch normalisation")
fig.tight_layout(rect=(0, 0.12, 1, 1))
plt.show()

# %% [markdown]
# **Questions.** The convolutions before a `BatchNorm2d` have a bias: what happens to it in the
# normalisation, and why do real networks build those convolutions with `bias=False`? Why does
# normalisation let a small learning rate make progress that it could not make without it (look at
# the scale of the unnormalised activations in the first figure)? What would go wrong if you
# evaluated the test set in training mode, one digit at a time?
