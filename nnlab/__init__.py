"""nnlab: a deep-learning course kit (reference, exercises, graders)."""

__version__ = "0.1.0"
