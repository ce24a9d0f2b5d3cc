"""Mutants of the reference activations: realistic student bugs (see __init__)."""

from . import Mutant

MUTANTS: list[Mutant] = []
