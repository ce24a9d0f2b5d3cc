"""Judging student code: the rubric and what it needs to say what is right and what is wrong.

``catalogue`` registers the checks and gives each a ``Context``; ``checks/`` is the rubric, one
module per kind of component; ``tolerance`` compares numbers, ``strategies`` draws inputs;
``diagnose``, ``evidence``, ``contracts`` and ``crashes`` turn a failure into the mistake behind it.

Imports: ``nnlab.graders.judging``, ``nnlab.graders.running`` (to call the student's code), the
shared ``nnlab.graders.settings`` and ``nnlab.graders.results``, and the course (``nnlab.exercises``,
``nnlab.reference``). It writes no report.
"""
