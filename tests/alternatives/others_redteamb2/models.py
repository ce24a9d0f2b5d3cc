# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders (round 2). The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (mod_perceptron_folded) ----
# MODULE: models
# COMPONENTS: Perceptron
# Perceptron with the bias folded into one augmented vector w = [weight..., bias] and inputs
# augmented with a 1; `weight` (a view of the first n entries) and `bias` (a float) are
# properties with setters; update in place on w.
class Perceptron:
    def __init__(self, n_features, lr=1.0):
        self.n_features = int(n_features)
        self.lr = float(lr)
        self._w = np.zeros(self.n_features + 1)

    @property
    def weight(self):
        return self._w[:-1]

    @weight.setter
    def weight(self, value):
        self._w[:-1] = value

    @property
    def bias(self):
        return float(self._w[-1])

    @bias.setter
    def bias(self, value):
        self._w[-1] = value

    @staticmethod
    def _augment(X):
        X = np.asarray(X, dtype=np.float64)
        return np.concatenate([X, np.ones(X.shape[:-1] + (1,))], axis=-1)

    def predict(self, X):
        return (self._augment(X) @ self._w > 0).astype(np.float64)

    def update(self, x, target):
        xa = self._augment(x)
        error = float(target) - (1.0 if xa @ self._w > 0 else 0.0)
        self._w += self.lr * error * xa
        return error

    def fit(self, X, y, max_epochs=100):
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64).reshape(-1)
        for _ in range(max_epochs):
            if all([self.update(x, t) == 0.0 for x, t in zip(X, y)]):
                return True
        return False
