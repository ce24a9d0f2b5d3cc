"""Conv2d speed: the reference's forward + backward against PyTorch's, in float64.

    python benchmarks/bench_conv.py            # print the table
    python benchmarks/bench_conv.py --check    # exit 1 unless every ratio <= 1.0

For each shape the script times ``forward`` then ``backward`` (input, weight and bias
gradients) of ``nnlab.reference.layers.Conv2d`` and of ``torch.nn.functional.conv2d`` with
autograd, on the same data, in the same process, with PyTorch limited to 2 threads. The two
are timed in alternating blocks, each after a pause and a warm-up, so that a burst of load
from another process hits both, and the ratio compares the best-of-N times (the least
disturbed runs, as ``timeit`` recommends); medians are printed too. Without PyTorch only the
reference is timed.

The ``gemm ms`` column is the floor of this design: the three matrix products alone (forward,
weight gradient, column gradient) on the same shapes, with the columns already built. What
the reference spends above it is im2col, col2im and the small copies, which numpy runs on
one core.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

import numpy as np
from nnlab.reference.layers import Conv2d

# (N, C, H, W, filters, kernel): padding kernel // 2, stride 1.
SHAPES = [
    (32, 16, 16, 16, 32, 3),
    (64, 1, 8, 8, 16, 3),
    (8, 3, 32, 32, 16, 5),
]
TORCH_THREADS = 2
TARGET_RATIO = 1.0  # reference time / torch time, at most
WARMUP = 3  # calls before timing: first-call allocations and BLAS thread start-up
ROUNDS = 5  # alternating blocks of reference and torch calls per shape
# Idle BLAS/OpenMP worker threads keep spinning for a while after their last job; a pause
# before each block lets them go to sleep instead of competing with the other library's.
PAUSE = 0.2  # seconds


def blas_threads() -> str:
    """numpy's BLAS library and thread count, if threadpoolctl can tell."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (install threadpoolctl to see)"
    infos = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    return ", ".join(f"{i['internal_api']} {i['num_threads']} threads" for i in infos) or "none"


def time_blocks(runs: dict[str, Callable[[], object]], repeats: int) -> dict[str, np.ndarray]:
    """Per-call seconds of each function, timed in alternating blocks after a warm-up."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    per_block = max(1, repeats // ROUNDS)
    for _ in range(ROUNDS):
        for name, run in runs.items():
            time.sleep(PAUSE)
            for _ in range(WARMUP):
                run()
            for _ in range(per_block):
                start = time.perf_counter()
                run()
                times[name].append(time.perf_counter() - start)
    return {name: np.array(values) for name, values in times.items()}


def gemm_floor(layer: Conv2d, x: np.ndarray) -> Callable[[], object]:
    """The three matrix products of the layer's forward and backward, nothing else."""
    N, _, H, W = x.shape
    F, C, kH, kW = layer.weight.data.shape
    positions = N * H * W  # padding k // 2, stride 1: the output is as large as the input
    rng = np.random.default_rng(1)
    w = layer.weight.data.reshape(F, C * kH * kW)
    cols = rng.standard_normal((C * kH * kW, positions))
    g = rng.standard_normal((F, positions))

    def products() -> None:
        w @ cols  # forward
        g @ cols.T  # weight gradient
        w.T @ g  # column gradient, before col2im

    return products


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50, help="timed calls per shape and side")
    parser.add_argument("--check", action="store_true", help="exit 1 if a ratio exceeds 1.0")
    args = parser.parse_args(argv)

    try:
        import torch
    except ImportError:
        torch = None
        print("PyTorch is not installed: timing the reference only (pip install torch==2.13.0).")
    else:
        torch.set_num_threads(TORCH_THREADS)
    print(
        f"numpy {np.__version__}, BLAS: {blas_threads()}"
        + (f"; torch {torch.__version__}, {torch.get_num_threads()} threads" if torch else "")
    )

    header = f"{'N, C, H, W, F, k':>22}  {'reference ms':>16}  {'gemm ms':>8}  {'torch ms':>16}  {'ratio':>11}"
    print(header + "\n" + "-" * len(header))
    print(f"{'':>22}  {'best / median':>16}  {'best':>8}  {'best / median':>16}  {'best / med':>11}")
    ratios = []
    rng = np.random.default_rng(0)
    for N, C, H, W, F, k in SHAPES:
        layer = Conv2d(C, F, k, padding=k // 2)
        x = rng.standard_normal((N, C, H, W))
        grad_y = rng.standard_normal((N, F, H, W))

        def reference(
            layer: Conv2d = layer,
            x: np.ndarray = x,
            grad_y: np.ndarray = grad_y,
        ) -> None:
            layer.forward(x)
            layer.backward(grad_y)

        runs: dict[str, Callable[[], object]] = {"reference": reference, "gemm": gemm_floor(layer, x)}
        if torch is not None:
            tx = torch.tensor(x, requires_grad=True)
            tw = torch.tensor(layer.weight.data, requires_grad=True)
            tb = torch.tensor(layer.bias.data, requires_grad=True)
            tg = torch.tensor(grad_y)

            def pytorch(tx=tx, tw=tw, tb=tb, tg=tg, pad=k // 2) -> None:  # noqa: ANN001
                tx.grad = tw.grad = tb.grad = None
                torch.nn.functional.conv2d(tx, tw, tb, padding=pad).backward(tg)

            runs["torch"] = pytorch
        times = {name: 1e3 * t for name, t in time_blocks(runs, args.repeats).items()}
        ref = times["reference"]
        row = f"{str((N, C, H, W, F, k)):>22}  {ref.min():7.3f} / {np.median(ref):6.3f}  {times['gemm'].min():8.3f}"
        if torch is not None:
            tt = times["torch"]
            ratio, median_ratio = ref.min() / tt.min(), np.median(ref) / np.median(tt)
            ratios.append(ratio)
            row += f"  {tt.min():7.3f} / {np.median(tt):6.3f}  {ratio:5.2f} / {median_ratio:4.2f}"
            row += f"  (gemm / torch {times['gemm'].min() / tt.min():.2f})"
        print(row)

    if torch is None:
        print("No ratios: PyTorch is absent.")
        return 0
    ok = all(r <= TARGET_RATIO for r in ratios)
    print(f"{'PASS' if ok else 'FAIL'}: every best-of ratio <= {TARGET_RATIO}: {ok} (worst {max(ratios):.2f})")
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
