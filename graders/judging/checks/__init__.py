"""The rubric, one module per kind of component; importing this package registers every check."""

from . import (  # noqa: F401
    convergence,
    early_stopping,
    gradient_checking,
    hyperparameters,
    initializers,
    losses,
    modules,
    optimizers,
    perceptron,
    properties,
    reuse,
    sequential,
    stateful,
    training,
)
