# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders. The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (mod_sequential_listsubclass) ----
# MODULE: models
# COMPONENTS: Sequential
# Sequential as a subclass of list (the container *is* its layers); `layers` is a property
# returning a plain list copy; train/eval propagate.
class Sequential(list):
    def __init__(self, *layers):
        super().__init__(layers)
        self.training = True

    @property
    def layers(self):
        return list(self)

    def forward(self, x):
        for layer in self:
            x = layer.forward(x)
        return x

    def backward(self, grad_y):
        for layer in self[::-1]:
            grad_y = layer.backward(grad_y)
        return grad_y

    def parameters(self):
        return sum((list(layer.parameters()) for layer in self), [])

    def train(self):
        self.training = True
        for layer in self:
            layer.train()
        return self

    def eval(self):
        self.training = False
        for layer in self:
            layer.eval()
        return self
