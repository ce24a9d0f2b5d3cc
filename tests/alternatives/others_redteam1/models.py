# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders. The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (mod_perceptron_while) ----
# MODULE: models
# COMPONENTS: Perceptron
# Perceptron: np.float64 bias, prediction through np.heaviside(score, 0) (a score of 0 -> 0.0),
# update written with a sign-free form (error = t - yhat), fit with a while loop and an epoch
# counter, returning np.bool_ from np.all(errors == 0).
class Perceptron:
    def __init__(self, n_features, lr=1.0, *, verbose=False):
        self.weight = np.zeros(n_features)
        self.bias = np.float64(0.0)
        self.lr = lr
        self.verbose = verbose

    def predict(self, X):
        X = np.asarray(X, dtype=np.float64)
        return np.heaviside(X @ self.weight + self.bias, 0.0)

    def update(self, x, target):
        x = np.asarray(x, dtype=np.float64)
        error = float(target) - float(np.heaviside(x @ self.weight + self.bias, 0.0))
        if error:
            self.weight = self.weight + (self.lr * error) * x
            self.bias = self.bias + self.lr * error
        return error

    def fit(self, X, y, max_epochs=100):
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64).reshape(-1)
        epoch = 0
        while epoch < max_epochs:
            errors = np.array([self.update(x, t) for x, t in zip(X, y)])
            epoch += 1
            if np.all(errors == 0):
                return np.bool_(True)
        return False


# ---- correct alternative (mod_sequential_dict) ----
# MODULE: models
# COMPONENTS: Sequential
# Sequential storing its layers in a dict {"0": layer, ...} (like torch's _modules), with
# `layers` a property returning the list; forward/backward by recursion over the list.
class Sequential:
    def __init__(self, *layers, name="seq"):
        self._modules = {str(i): layer for i, layer in enumerate(layers)}
        self.training = True
        self.name = name

    @property
    def layers(self):
        return list(self._modules.values())

    def _run(self, layers, x, method):
        if not layers:
            return x
        return self._run(layers[1:], getattr(layers[0], method)(x), method)

    def forward(self, x):
        return self._run(self.layers, x, "forward")

    def backward(self, grad_y):
        return self._run(self.layers[::-1], grad_y, "backward")

    def parameters(self):
        out = []
        for layer in self._modules.values():
            out.extend(layer.parameters())
        return out

    def train(self):
        self.training = True
        for layer in self._modules.values():
            layer.train()
        return self

    def eval(self):
        self.training = False
        for layer in self._modules.values():
            layer.eval()
        return self
