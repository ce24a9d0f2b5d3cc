"""Mutants of components/robust.py: realistic student bugs in HuberLoss (the format of graders/mutants).

Each one must cost points on robust.HuberLoss and nowhere else (tests/test_custom_components.py
grades them). Writing ``<=`` for ``<`` in the branch is *not* a mutant: the two pieces meet with
the same value and slope at ``|d| = delta``, so no input can tell the two programs apart.
"""

from nnlab.graders.mutants import Mutant

MUTANTS = [
    Mutant(
        "huber-branch-without-abs",
        "robust.HuberLoss",
        "the branch tests d < delta instead of |d| < delta, so large negative errors stay quadratic",
        "        self._small = np.abs(self._diff) < self.delta\n",
        "        self._small = self._diff < self.delta\n",
    ),
    Mutant(
        "huber-linear-gradient-without-sign",
        "robust.HuberLoss",
        "backward gives delta, not delta * sign(d), past delta: negative outliers are pushed the wrong way",
        "        grad = np.where(self._small, self._diff, self.delta * np.sign(self._diff))\n",
        "        grad = np.where(self._small, self._diff, self.delta)\n",
        ("gradcheck",),
    ),
    Mutant(
        "huber-sum-not-mean",
        "robust.HuberLoss",
        "forward sums the per-entry losses instead of averaging them (backward still divides by M)",
        "        return float(np.mean(np.where(self._small, quadratic, linear)))\n",
        "        return float(np.sum(np.where(self._small, quadratic, linear)))\n",
        ("gradcheck",),
    ),
]
