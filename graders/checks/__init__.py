"""The rubric, one module per kind of component; importing this package registers every check."""

from . import (  # noqa: F401  # noqa: F401
    convergence,
    losses,
    modules,
    optimizers,
    others,  # noqa: F401
    properties,
    stateful,
)
