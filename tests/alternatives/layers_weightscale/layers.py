# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different initial weights: CS231n's fixed weight scale, N(0, 0.01^2) whatever the fan-in, and zero
# biases. docs/api.md leaves initial weights to the implementation (the graders overwrite .data before they
# compare anything), so neither the scale nor its law in the fan-in may cost points.

WEIGHT_SCALE = 1e-2
_ReferenceLinear, _ReferenceConv2d = Linear, Conv2d


def _weight_scale_init(layer, rng):
    rng = default_generator() if rng is None else rng
    layer.weight.data = WEIGHT_SCALE * rng.standard_normal(layer.weight.data.shape)
    if layer.bias is not None:
        layer.bias.data = np.zeros_like(layer.bias.data)


class Linear(_ReferenceLinear):
    def __init__(self, in_features, out_features, bias=True, *, rng=None):
        super().__init__(in_features, out_features, bias, rng=rng)
        _weight_scale_init(self, rng)


class Conv2d(_ReferenceConv2d):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=True, *, rng=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, bias, rng=rng)
        _weight_scale_init(self, rng)
