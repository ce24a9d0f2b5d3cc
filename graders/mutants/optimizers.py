"""Mutants of the reference optimizers: realistic student bugs (see __init__)."""

from . import Mutant

MUTANTS: list[Mutant] = []
