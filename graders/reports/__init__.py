"""Renderings of a :class:`~nnlab.graders.results.Report`: one module per format."""
