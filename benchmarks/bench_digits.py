"""Benchmark: train the reference CNN and MLP on the 8x8 digits, report accuracy and time.

The data are scikit-learn's bundled digits with nnlab's fixed stratified 20% test split
(``datasets.load_digits``). Each model is trained with Adam on mini-batches, then scored on
the held-out images. The learning rate drops tenfold for the last epochs (a step
schedule: large steps to get close, small ones to settle). ``base.manual_seed(seed)``
seeds the weights and every epoch's shuffle, so the same ``--seed`` gives the same figures. The figures show that the
numpy reference is fast enough for a course exercise on a laptop CPU, and the targets
below are what the course promises students.

Usage::

    python benchmarks/bench_digits.py            # print the figures
    python benchmarks/bench_digits.py --check    # ... and exit 1 if a target is missed
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

# One BLAS thread unless the caller chose otherwise (must precede the numpy import). The
# products here are small (batch 32), so threads gain nothing, and on a busy 2-core
# machine OpenBLAS threads spin-waiting for a core made training 5-10x slower (measured).
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

from nnlab.reference.base import manual_seed  # noqa: E402
from nnlab.reference.builders import build_cnn, build_mlp  # noqa: E402
from nnlab.reference.datasets import load_digits  # noqa: E402
from nnlab.reference.losses import CrossEntropyLoss  # noqa: E402
from nnlab.reference.optimizers import Adam  # noqa: E402
from nnlab.reference.training import accuracy, fit  # noqa: E402

# Targets: the course's claims, measured on 2 CPU cores.
CNN_TARGET_ACCURACY = 0.98
CNN_TIME_BUDGET_S = 30.0  # training time only (data loading and evaluation excluded)
MLP_TARGET_ACCURACY = 0.97
MLP_TIME_BUDGET_S = 30.0


@dataclass(frozen=True)
class Setup:
    """One model to benchmark and how to train it."""

    name: str
    build: Callable[[], object]
    flatten: bool
    schedule: tuple[tuple[float, int], ...]  # (Adam learning rate, epochs) phases, in order
    batch_size: int
    target_accuracy: float
    time_budget_s: float


SETUPS = [
    Setup(
        name="CNN [conv3x3(16)-ReLU-pool] -> [conv3x3(32)-ReLU-pool] -> FC64 -> FC10",
        build=lambda: build_cnn(conv_channels=(16, 32), hidden=(64,)),
        flatten=False,
        schedule=((2e-3, 15), (2e-4, 5)),
        batch_size=32,
        target_accuracy=CNN_TARGET_ACCURACY,
        time_budget_s=CNN_TIME_BUDGET_S,
    ),
    Setup(
        name="MLP 64 -> 128 -> 64 -> 10 (ReLU)",
        build=lambda: build_mlp([64, 128, 64, 10], activation="relu"),
        flatten=True,
        schedule=((2e-3, 25), (2e-4, 5)),
        batch_size=32,
        target_accuracy=MLP_TARGET_ACCURACY,
        time_budget_s=MLP_TIME_BUDGET_S,
    ),
]


@dataclass(frozen=True)
class Result:
    setup: Setup
    test_accuracy: float
    train_seconds: float
    final_loss: float

    @property
    def met(self) -> bool:
        return self.test_accuracy >= self.setup.target_accuracy and self.train_seconds <= self.setup.time_budget_s


def run(setup: Setup, seed: int) -> Result:
    X_train, y_train, X_test, y_test = load_digits(flatten=setup.flatten)
    manual_seed(seed)  # the weights and every epoch's shuffle come from the default generator
    model = setup.build()
    optimizer = Adam(model.parameters())
    losses: list[float] = []
    start = time.perf_counter()
    for lr, epochs in setup.schedule:
        optimizer.lr = lr
        losses += fit(
            model, CrossEntropyLoss(), optimizer, X_train, y_train, epochs, setup.batch_size, shuffle=True
        )  # fmt: skip
    seconds = time.perf_counter() - start
    return Result(setup, accuracy(model, X_test, y_test), seconds, losses[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument("--seed", type=int, default=0, help="seed of the weights and shuffles")
    args = parser.parse_args(argv)

    results = []
    for setup in SETUPS:
        result = run(setup, args.seed)
        results.append(result)
        print(
            f"{setup.name}\n"
            f"  Adam, batch {setup.batch_size}, (lr, epochs) {setup.schedule}: "
            f"final train loss {result.final_loss:.4f}\n"
            f"  test accuracy {result.test_accuracy:.4f} (target >= {setup.target_accuracy}), "
            f"training {result.train_seconds:.1f} s (budget {setup.time_budget_s:.0f} s): "
            f"{'target met' if result.met else 'TARGET MISSED'}",
            flush=True,
        )
    all_met = all(result.met for result in results)
    print("all targets met" if all_met else "some targets missed")
    return 0 if all_met or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
