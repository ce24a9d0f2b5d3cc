"""The modules of the student API (docs/api.md), in the order the course teaches them.

Plain data, imported by the worker too (graders/running/loader.py): the standard library only.
"""

API_MODULES = (
    "activations",
    "layers",
    "losses",
    "optimizers",
    "models",
    "training",
    "gradcheck",
    "init",
    "early_stopping",
)
