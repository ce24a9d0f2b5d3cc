"""Datasets: small problems that each teach one thing about what a model can learn.

* Logic gates: AND and OR are linearly separable, so a perceptron learns them; XOR is not,
  and needs a hidden layer (Minsky and Papert's objection, answered by backpropagation).
* Blobs: two classes separated by a guaranteed margin: the perceptron convergence theorem
  applies.
* Moons and spirals: curved boundaries that a linear model cannot draw and a small MLP can.
* Digits: 1,797 handwritten 8x8 digits (scikit-learn's bundled copy of the UCI set), small
  enough to train a CNN on a laptop CPU in seconds.

Every generator takes a ``seed`` and returns the same data for the same arguments. Inputs
are float64; labels ``y`` are int64 class indices (``0 .. C-1``), usable directly by
``CrossEntropyLoss``; for ``BCELoss``/``MSELoss`` use ``y.astype(float)[:, None]``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["GATES", "logic_gate", "blobs", "moons", "spirals", "load_digits"]

GATES: dict[str, tuple[int, int, int, int]] = {
    # Outputs for the inputs (0, 0), (0, 1), (1, 0), (1, 1).
    "and": (0, 0, 0, 1),
    "or": (0, 1, 1, 1),
    "nand": (1, 1, 1, 0),
    "nor": (1, 0, 0, 0),
    "xor": (0, 1, 1, 0),
    "xnor": (1, 0, 0, 1),
}


def logic_gate(name: str) -> tuple[np.ndarray, np.ndarray]:
    """The truth table of a two-input gate: ``X (4, 2)`` float64 and ``y (4,)`` int64.

    Args:
        name: one of ``"and", "or", "nand", "nor", "xor", "xnor"`` (any case).
    """
    key = name.lower()
    if key not in GATES:
        raise ValueError(f"unknown logic gate {name!r}; expected one of {sorted(GATES)}")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    return X, np.array(GATES[key], dtype=np.int64)


def blobs(n: int = 100, seed: int = 0, margin: float = 0.5, n_features: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian clouds separated by a hyperplane with a gap of at least ``margin``.

    A random unit normal ``w`` is drawn; every point's component along ``w`` is pushed away
    from the hyperplane so that ``w . (x - c) >= margin / 2`` for class 1 and
    ``<= -margin / 2`` for class 0 (``c`` a random centre, so a bias is needed). The classes
    alternate before shuffling, so both are present whenever ``n >= 2``.

    Returns:
        ``X (n, n_features)`` float64 and ``y (n,)`` int64 in ``{0, 1}``.
    """
    if n < 2:
        raise ValueError(f"blobs needs n >= 2 samples (one per class), got {n}")
    if not margin > 0:
        raise ValueError(f"blobs needs a positive margin, got {margin}")
    rng = np.random.default_rng(seed)
    w = rng.standard_normal(n_features)
    w /= np.linalg.norm(w)
    centre = rng.standard_normal(n_features)
    y = rng.permutation(np.arange(n) % 2)
    X = rng.standard_normal((n, n_features))
    along = X @ w
    side = np.where(y == 1, 1.0, -1.0)
    X += ((side * (margin / 2 + np.abs(along)) - along)[:, None]) * w
    return X + centre, y.astype(np.int64)


def moons(n: int = 100, noise: float = 0.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles, as ``sklearn.datasets.make_moons`` (generated here).

    Class 0 is the upper arc ``(cos t, sin t)``, class 1 the lower arc
    ``(1 - cos t, 0.5 - sin t)``, ``t`` evenly spaced in ``[0, pi]``; Gaussian noise of
    standard deviation ``noise`` is added and the samples are shuffled.

    Returns:
        ``X (n, 2)`` float64 and ``y (n,)`` int64 in ``{0, 1}``.
    """
    if n < 2:
        raise ValueError(f"moons needs n >= 2 samples, got {n}")
    rng = np.random.default_rng(seed)
    n_outer = n // 2
    n_inner = n - n_outer
    t_outer = np.linspace(0, np.pi, n_outer)
    t_inner = np.linspace(0, np.pi, n_inner)
    X = np.concatenate(
        [
            np.stack([np.cos(t_outer), np.sin(t_outer)], axis=1),
            np.stack([1 - np.cos(t_inner), 0.5 - np.sin(t_inner)], axis=1),
        ]
    )
    y = np.concatenate([np.zeros(n_outer), np.ones(n_inner)]).astype(np.int64)
    X += noise * rng.standard_normal(X.shape)
    order = rng.permutation(n)
    return X[order], y[order]


def spirals(
    n_per_class: int = 100, classes: int = 3, noise: float = 0.2, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """``classes`` interleaved spiral arms (the CS231n "spiral" dataset).

    Arm ``j`` has radii ``r`` evenly spaced in ``[0, 1]`` and angles evenly spaced in
    ``[4j, 4(j+1)]`` plus Gaussian noise of standard deviation ``noise``; a point is
    ``(r sin t, r cos t)``. A linear classifier gets about 1/``classes`` of them right.

    Returns:
        ``X (classes * n_per_class, 2)`` float64 and ``y`` int64, arm by arm.
    """
    if n_per_class < 1 or classes < 1:
        raise ValueError(f"spirals needs positive sizes, got {n_per_class=} and {classes=}")
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(classes), n_per_class)
    r = np.tile(np.linspace(0.0, 1.0, n_per_class), classes)
    t = 4.0 * y + np.tile(np.linspace(0.0, 4.0, n_per_class), classes)
    t += noise * rng.standard_normal(t.shape)
    X = np.stack([r * np.sin(t), r * np.cos(t)], axis=1)
    return X, y.astype(np.int64)


def _digits_from_sklearn() -> tuple[np.ndarray, np.ndarray]:
    """The 1797 images ``(N, 8, 8)`` (pixels 0..16) and labels, from scikit-learn's copy.

    Reads the data file scikit-learn ships (``sklearn/datasets/data/digits.csv.gz``)
    directly: importing scikit-learn itself takes about a second, the file 10 ms. Falls
    back to ``sklearn.datasets.load_digits`` if the file is not where it used to be.
    """
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the digits come with scikit-learn: pip install scikit-learn")
    path = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "data" / "digits.csv.gz"
    if path.exists():
        table = np.loadtxt(path, delimiter=",")
        return table[:, :-1].reshape(-1, 8, 8), table[:, -1].astype(np.int64)
    from sklearn.datasets import load_digits as sklearn_digits  # pragma: no cover

    digits = sklearn_digits()
    return np.asarray(digits.images, dtype=np.float64), np.asarray(digits.target, dtype=np.int64)


def load_digits(
    test_fraction: float = 0.2, seed: int = 0, flatten: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The 8x8 handwritten digits with a fixed, stratified held-out test split.

    The images ship inside scikit-learn (nothing is downloaded). Pixels are integers 0..16,
    scaled here to ``[0, 1]``. The split is stratified: from every class,
    ``round(test_fraction * count)`` samples, chosen by a generator seeded with ``seed``,
    go to the test set, so both sets have the same class proportions. Both sets keep the
    original sample order.

    Args:
        test_fraction: the share held out, strictly between 0 and 1.
        seed: fixes which samples are held out.
        flatten: return ``(N, 64)`` rows for an MLP instead of ``(N, 1, 8, 8)`` images.

    Returns:
        ``(X_train, y_train, X_test, y_test)``: float64 images and int64 labels 0..9.
    """
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1, got {test_fraction}")
    images, labels = _digits_from_sklearn()
    X = images / 16.0
    y = labels
    rng = np.random.default_rng(seed)
    is_test = np.zeros(len(y), dtype=bool)
    for label in np.unique(y):  # a loop over the 10 classes, not the samples
        members = np.flatnonzero(y == label)
        chosen = rng.choice(members, size=int(round(test_fraction * len(members))), replace=False)
        is_test[chosen] = True
    X = X.reshape(len(X), -1) if flatten else X[:, None, :, :]
    return X[~is_test], y[~is_test], X[is_test], y[is_test]
