"""The held-apart set: realistic student bugs written from scratch, kept out of graders/mutants.

The catalogue's mutants (graders/mutants) are the bugs the diagnosis was written for; these
are not. tests/test_feedback_generalisation.py grades each one and measures how often the
feedback still names the mistake (``expect`` tags or ``phrases``) and never names another
mutant's. Each is a textual edit of one reference module, like a catalogue mutant, with ids
prefixed ``ho-``. Do not tune them to the grader's output: they measure it.

For whoever improves the diagnosis: do not copy these bugs into graders/mutants or write a
simulation from them; a held-apart bug the diagnosis was written for no longer measures
generalisation (test_held_apart_bugs_are_not_in_the_catalogue refuses copies). A tag in an
``expect`` that the grader invented later was added only after reading its sentence and
judging that a teaching assistant would accept it as naming the mistake (a synonym).
"""

from __future__ import annotations

from nnlab.graders.mutants import Mutant

from . import activations, layers, losses, optimizers, others

HELDOUT: list[Mutant] = [
    *activations.HELDOUT,
    *layers.HELDOUT,
    *losses.HELDOUT,
    *optimizers.HELDOUT,
    *others.HELDOUT,
]
