"""Mutants of the reference others: realistic student bugs (see __init__)."""

from . import Mutant

MUTANTS: list[Mutant] = []
