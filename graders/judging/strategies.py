"""Hypothesis strategies shared by nnlab's own tests and by the graders.

Arrays are drawn as (shape, seed) and filled by numpy's generator rather than element by
element: the values are then smooth, continuous and reproducible, which keeps them away
from the kinks (ReLU at 0) and ties (max pooling) that exact small floats would hit, while
hypothesis still explores and shrinks the shapes and configurations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


def rng_array(seed: int, shape: tuple[int, ...], scale: float = 1.0) -> np.ndarray:
    """A float64 standard-normal array, scaled, from a seeded generator."""
    return scale * np.random.default_rng(seed).standard_normal(shape)


@st.composite
def arrays(draw: st.DrawFn, shape: tuple[int, ...], scale: float = 1.0) -> np.ndarray:
    """A float64 array of the given shape with standard-normal entries times ``scale``."""
    return rng_array(draw(SEEDS), shape, scale)


@st.composite
def shapes(draw: st.DrawFn, min_dims: int = 1, max_dims: int = 4, max_side: int = 5) -> tuple[int, ...]:
    """An array shape with every side between 1 and ``max_side``."""
    ndim = draw(st.integers(min_dims, max_dims))
    return tuple(draw(st.integers(1, max_side)) for _ in range(ndim))


@st.composite
def dense_shapes(draw: st.DrawFn, max_batch: int = 6, max_features: int = 7) -> tuple[int, int]:
    """A batch shape ``(N, D)``; ``N = 1`` is drawn as often as any other size."""
    return draw(st.integers(1, max_batch)), draw(st.integers(1, max_features))


@dataclass(frozen=True)
class ConvConfig:
    """One convolution problem: input ``(N, C_in, H, W)`` and the layer's hyper-parameters."""

    N: int
    C_in: int
    H: int
    W: int
    C_out: int
    kernel: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]
    bias: bool

    @property
    def input_shape(self) -> tuple[int, int, int, int]:
        return (self.N, self.C_in, self.H, self.W)

    @property
    def weight_shape(self) -> tuple[int, int, int, int]:
        return (self.C_out, self.C_in, *self.kernel)

    @property
    def output_hw(self) -> tuple[int, int]:
        # H' = 1 + (H + 2*pad - kH) // stride
        return tuple(  # type: ignore[return-value]
            1 + (size + 2 * pad - k) // s
            for size, pad, k, s in zip((self.H, self.W), self.padding, self.kernel, self.stride, strict=True)
        )


@st.composite
def conv_configs(draw: st.DrawFn, max_side: int = 7, max_channels: int = 3) -> ConvConfig:
    """Rectangular kernels, strides 1-3, padding 0-2, channel counts that differ, batch 1-3."""
    kernel = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    padding = (draw(st.integers(0, min(2, kernel[0]))), draw(st.integers(0, min(2, kernel[1]))))
    # The padded input must hold at least one kernel window.
    H = draw(st.integers(max(1, kernel[0] - 2 * padding[0]), max_side))
    W = draw(st.integers(max(1, kernel[1] - 2 * padding[1]), max_side))
    return ConvConfig(
        N=draw(st.integers(1, 3)),
        C_in=draw(st.integers(1, max_channels)),
        H=H,
        W=W,
        C_out=draw(st.integers(1, max_channels)),
        kernel=kernel,
        stride=(draw(st.integers(1, 3)), draw(st.integers(1, 3))),
        padding=padding,
        bias=draw(st.booleans()),
    )


@dataclass(frozen=True)
class PoolConfig:
    """One pooling problem: input ``(N, C, H, W)``, window and stride."""

    N: int
    C: int
    H: int
    W: int
    kernel: tuple[int, int]
    stride: tuple[int, int]

    @property
    def input_shape(self) -> tuple[int, int, int, int]:
        return (self.N, self.C, self.H, self.W)

    @property
    def output_hw(self) -> tuple[int, int]:
        # H' = 1 + (H - k) // s
        return tuple(  # type: ignore[return-value]
            1 + (size - k) // s for size, k, s in zip((self.H, self.W), self.kernel, self.stride, strict=True)
        )


@st.composite
def pool_configs(draw: st.DrawFn, max_side: int = 8) -> PoolConfig:
    """Square and rectangular windows, overlapping (stride < k) and gapped (stride > k)."""
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    return PoolConfig(
        N=draw(st.integers(1, 3)),
        C=draw(st.integers(1, 3)),
        H=draw(st.integers(kernel[0], max_side)),
        W=draw(st.integers(kernel[1], max_side)),
        kernel=kernel,
        stride=(draw(st.integers(1, 3)), draw(st.integers(1, 3))),
    )


def untied(x: np.ndarray, spread: float = 2.0) -> np.ndarray:
    """A same-shaped array whose entries are pairwise distinct and not zero, in ``x``'s order.

    Max pooling and Maxout have a gradient only where the maximum is unique, and ReLU has
    a kink at 0. Replacing each entry by its rank, evenly spaced over about
    ``[-spread, spread]``, keeps every pair of entries ``2 * spread / x.size`` apart.
    """
    ranks = np.argsort(np.argsort(x, axis=None, kind="stable"), kind="stable")
    centred = ranks - (x.size - 1) / 2 + (0.5 if x.size % 2 else 0.0)  # no entry at exactly 0
    return (centred * (2 * spread / max(x.size, 1))).reshape(x.shape)


def off_kinks(x: np.ndarray, kinks: tuple[float, ...] = (0.0,), margin: float = 1e-2) -> np.ndarray:
    """``x`` with every entry within ``margin`` of a kink pushed out to ``margin`` away."""
    x = np.array(x, dtype=np.float64)
    for kink in kinks:
        near = np.abs(x - kink) < margin
        x[near] = kink + np.where(x[near] >= kink, margin, -margin)
    return x
