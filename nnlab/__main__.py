"""``python -m nnlab``: the same as the ``nnlab`` command."""

from nnlab.cli import main

main()
