# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different models found by red-teaming the release checker (round 3).


# A perceptron whose update predicts through predict() on a batch of one, and whose fit counts
# mistakes with a generator expression; weight updated in place.
class Perceptron(Perceptron):
    def update(self, x, target):
        x = as_float_array(x, "Perceptron.update sample")
        check_ndim(x, 1, "Perceptron.update", f"({self.n_features},)")
        error = float(target) - float(self.predict(x[None, :])[0])
        self.weight += self.lr * error * x
        self.bias += self.lr * error
        return error

    def fit(self, X, y, max_epochs=100):
        X = as_float_array(X, "Perceptron.fit input")
        y = as_float_array(y, "Perceptron.fit targets").reshape(-1)
        for _ in range(max_epochs):
            if sum(self.update(x, t) != 0.0 for x, t in zip(X, y)) == 0:
                return True
        return False
