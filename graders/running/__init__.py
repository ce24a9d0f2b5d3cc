"""Running student code: load a submission, isolate it, call into it, and bring the answers back.

The lowest layer of the grader. A worker process (``worker``, forked from a ``zygote`` or started
``plain``) imports the student's modules with ``loader``, behind the ``sandbox``; the grader's side
talks to it through a ``puppet`` session and ``remote`` proxies; ``doubles`` are the small
stand-ins a component is handed (parameters, layers, a model); ``imports`` reads which modules a
submission imports; ``notebook_extract`` and ``notebook_merge`` turn notebooks into modules and back.

Imports: ``nnlab.graders.running``, ``nnlab.graders.settings`` and ``nnlab.graders.results`` only.
It judges nothing and reports nothing.
"""
