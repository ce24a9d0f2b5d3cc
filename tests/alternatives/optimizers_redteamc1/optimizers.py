# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different optimizers found by red-teaming the release checker (round 3). The tests
# append this file to the reference module; later definitions win.


# SGD with its state in a dict keyed by id(p), velocity updated in place with out= arguments.
class SGD(SGD):
    def step(self):
        if not hasattr(self, "velocity"):
            self.velocity = {}
        for p in self.params:
            g = np.array(p.grad, dtype=np.float64)
            if self.weight_decay:
                g += self.weight_decay * p.data
            if self.momentum:
                v = self.velocity.get(id(p))
                if v is None:
                    v = self.velocity[id(p)] = g.copy()
                else:
                    np.multiply(v, self.momentum, out=v)
                    v += (1.0 - self.dampening) * g
                g = g + self.momentum * v if self.nesterov else v
            p.data = p.data - self.lr * g


# Adam written as the paper does: m_hat = m / (1 - beta1^t), v_hat = v / (1 - beta2^t),
# p -= lr * m_hat / (sqrt(v_hat) + eps) (the same numbers as PyTorch's order, up to round-off).
class Adam(Adam):
    def step(self):
        beta1, beta2 = self.betas
        self.t += 1
        for p, s in zip(self.params, self.state):
            g = np.asarray(p.grad, dtype=np.float64)
            if self.weight_decay != 0:
                g = self._decay(p, g)
            s["exp_avg"] = beta1 * s["exp_avg"] + (1 - beta1) * g
            s["exp_avg_sq"] = beta2 * s["exp_avg_sq"] + (1 - beta2) * g**2
            v = s["exp_avg_sq"]
            if self.amsgrad:
                s["max_exp_avg_sq"] = np.maximum(s["max_exp_avg_sq"], v)
                v = s["max_exp_avg_sq"]
            m_hat = s["exp_avg"] / (1 - beta1**self.t)
            v_hat = v / (1 - beta2**self.t)
            p.data -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


class AdamW(Adam):
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, amsgrad=False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)

    def _decay(self, p, g):
        p.data = p.data - self.lr * self.weight_decay * p.data
        return g


# Adagrad with a per-parameter list of sums, updated in place.
class Adagrad(Adagrad):
    def step(self):
        self.t += 1
        lr = self.lr / (1 + (self.t - 1) * self.lr_decay)
        for p, s in zip(self.params, self.state):
            g = np.asarray(p.grad, dtype=np.float64) + self.weight_decay * p.data
            s["sum"] += g * g
            p.data -= lr * g / (np.sqrt(s["sum"]) + self.eps)
