"""Builders: whole networks from a few numbers, following the course notes' patterns.

The most common convolutional architecture stacks a few CONV-ReLU layers, follows them
with a POOL layer, repeats this until the image is small, then ends with fully connected
layers (CS231n, "ConvNet architectures")::

    INPUT -> [[CONV -> ReLU] * N -> POOL?] * M -> [FC -> ReLU] * K -> FC

Here every convolution is ``kernel_size x kernel_size`` with stride 1 and padding
``kernel_size // 2``, so it keeps the spatial size (for odd kernels) and only the pools
shrink the image: ``H' = 1 + (H + 2p - k) / s`` for a convolution, ``H' = 1 + (H - 2) / 2``
for a 2x2 max pool. The size of the flattened feature map, which the first FC layer
needs, follows from these formulas without running the network.

An MLP is the same idea without convolutions: ``[FC -> act] * K -> FC``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from . import activations, init, layers
from .base import Module, default_generator
from .models import Sequential

__all__ = ["ACTIVATIONS", "build_mlp", "build_cnn", "conv_output_size", "reset_parameters"]

ACTIVATIONS: dict[str, str] = {
    "relu": "ReLU",
    "leaky_relu": "LeakyReLU",
    "tanh": "Tanh",
    "sigmoid": "Sigmoid",
    "elu": "ELU",
    "selu": "SELU",
    "gelu": "GELU",
    "silu": "SiLU",
    "softplus": "Softplus",
    "identity": "Identity",
}


def _activation(activation: str | Callable[[], Module]) -> Module:
    if callable(activation):
        return activation()
    if activation not in ACTIVATIONS:
        known = sorted(ACTIVATIONS)
        raise ValueError(f"unknown activation {activation!r}; expected one of {known}")
    return getattr(activations, ACTIVATIONS[activation])()


def conv_output_size(size: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """``1 + (size + 2 * padding - kernel) // stride``: the output side of a conv or pool."""
    return 1 + (size + 2 * padding - kernel) // stride


def reset_parameters(model: Module, rng: np.random.Generator | None = None) -> Module:
    """Redraw every ``Linear``/``Conv2d`` weight and bias with PyTorch's default init from ``rng``.

    Weights: ``kaiming_uniform(a=sqrt(5))``, i.e. ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))``; biases:
    the same bound. Layers are recognised by a ``weight`` of at least 2 dimensions. With
    ``rng=None`` the draws come from ``base.default_generator()``.
    """
    rng = default_generator() if rng is None else rng
    for layer in getattr(model, "layers", [model]):
        weight = getattr(layer, "weight", None)
        if weight is None or np.ndim(weight.data) < 2:
            continue
        weight.data = init.kaiming_uniform(weight.data.shape, a=math.sqrt(5), rng=rng)
        bias = getattr(layer, "bias", None)
        if bias is not None:
            fan_in, _ = init.fan_in_and_fan_out(weight.data.shape)
            bound = 1.0 / math.sqrt(fan_in)
            bias.data = rng.uniform(-bound, bound, size=bias.data.shape)
    return model


def build_mlp(
    sizes: Sequence[int],
    activation: str | Callable[[], Module] = "relu",
    rng: np.random.Generator | None = None,
) -> Sequential:
    """``Linear(sizes[0], sizes[1]) -> act -> ... -> Linear(sizes[-2], sizes[-1])``.

    Args:
        sizes: input size, hidden sizes, output size (at least two numbers).
        activation: a name from ``ACTIVATIONS`` or a factory returning a fresh module.
        rng: when given, the weights are drawn from it (reproducible networks); otherwise
            every layer draws from ``base.default_generator()`` (seeded by ``manual_seed``).

    Returns:
        A ``Sequential`` with an activation after every Linear layer except the last (the
        last one outputs scores/logits for the loss).
    """
    sizes = [int(s) for s in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"build_mlp needs at least two positive sizes, got {sizes}")
    modules: list[Module] = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
        modules += [layers.Linear(fan_in, fan_out), _activation(activation)]
    model = Sequential(*modules[:-1])
    return reset_parameters(model, rng) if rng is not None else model


def build_cnn(
    input_shape: Sequence[int] = (1, 8, 8),
    conv_channels: Sequence[int] = (16, 32),
    convs_per_block: int = 1,
    pool: bool = True,
    hidden: Sequence[int] = (64,),
    num_classes: int = 10,
    kernel_size: int = 3,
    rng: np.random.Generator | None = None,
) -> Sequential:
    """``INPUT -> [[CONV -> ReLU] * N -> POOL?] * M -> [FC -> ReLU] * K -> FC``.

    Args:
        input_shape: ``(C, H, W)`` of one image.
        conv_channels: output channels of each block's convolutions; ``M = len(conv_channels)``.
        convs_per_block: ``N``, convolutions per block.
        pool: end each block with ``MaxPool2d(2)``.
        hidden: sizes of the ``K`` hidden fully connected layers.
        num_classes: outputs of the last layer (logits for ``CrossEntropyLoss``).
        kernel_size: side of every (square) convolution kernel; padding is ``kernel_size // 2``.
        rng: when given, the weights are drawn from it (reproducible networks); otherwise
            every layer draws from ``base.default_generator()`` (seeded by ``manual_seed``).

    Returns:
        A ``Sequential`` mapping ``(B, C, H, W)`` images to ``(B, num_classes)`` logits.
    """
    channels, height, width = (int(s) for s in input_shape)
    if convs_per_block < 1 or kernel_size < 1:
        raise ValueError(f"build_cnn needs {convs_per_block=} >= 1 and {kernel_size=} >= 1")
    padding = kernel_size // 2
    modules: list[Module] = []
    for block, out_channels in enumerate(conv_channels):
        for _ in range(convs_per_block):
            modules += [
                layers.Conv2d(channels, out_channels, kernel_size, padding=padding),
                activations.ReLU(),
            ]
            channels = out_channels
            height = conv_output_size(height, kernel_size, 1, padding)
            width = conv_output_size(width, kernel_size, 1, padding)
        if pool:
            if min(height, width) < 2:
                raise ValueError(f"build_cnn: block {block} pools a {height}x{width} map; use fewer blocks")
            modules.append(layers.MaxPool2d(2))
            height, width = conv_output_size(height, 2, 2), conv_output_size(width, 2, 2)
        if min(height, width) < 1:
            raise ValueError(f"build_cnn: block {block} leaves an empty {height}x{width} map")
    modules.append(layers.Flatten())
    features = channels * height * width
    for size in hidden:
        modules += [layers.Linear(features, int(size)), activations.ReLU()]
        features = int(size)
    modules.append(layers.Linear(features, num_classes))
    model = Sequential(*modules)
    return reset_parameters(model, rng) if rng is not None else model
