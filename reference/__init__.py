"""The nnlab reference: a numpy implementation of every component of the exercise API.

Each module is one page of the course's textbook and the oracle the graders compare
submissions with. Modules import only numpy and the support module ``base``.
"""
