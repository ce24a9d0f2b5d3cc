"""Mutants of the reference losses: realistic student bugs (see __init__)."""

from . import Mutant

MUTANTS: list[Mutant] = []
