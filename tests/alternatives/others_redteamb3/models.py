# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders (round 2). The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (mod_perceptron_slots) ----
# MODULE: models
# COMPONENTS: Perceptron
# Perceptron with __slots__ (no instance __dict__: a small, fixed set of attributes, a common
# memory idiom); everything else as API.md: zero float64 weight, float bias, update applies the
# rule and returns the error, fit calls self.update for each sample, epoch after epoch.
class Perceptron:
    __slots__ = ("n_features", "lr", "weight", "bias")

    def __init__(self, n_features, lr=1.0):
        self.n_features = int(n_features)
        self.lr = float(lr)
        self.weight = np.zeros(self.n_features)
        self.bias = 0.0

    def predict(self, X):
        X = np.asarray(X, dtype=np.float64)
        return (X @ self.weight + self.bias > 0).astype(np.float64)

    def update(self, x, target):
        x = np.asarray(x, dtype=np.float64)
        error = float(target) - (1.0 if float(x @ self.weight + self.bias) > 0 else 0.0)
        self.weight = self.weight + self.lr * error * x
        self.bias = self.bias + self.lr * error
        return error

    def fit(self, X, y, max_epochs=100):
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64).reshape(-1)
        for _ in range(max_epochs):
            mistakes = 0
            for x, t in zip(X, y):
                mistakes += self.update(x, t) != 0.0
            if not mistakes:
                return True
        return False
