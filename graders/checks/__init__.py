"""The rubric, one module per kind of component; importing this package registers every check."""

from . import convergence, modules, properties, stateful  # noqa: F401
from . import losses, optimizers  # noqa: F401
from . import others  # noqa: F401
