"""Mutants of the reference layers: realistic student bugs (see __init__)."""

from . import Mutant

MUTANTS: list[Mutant] = []
