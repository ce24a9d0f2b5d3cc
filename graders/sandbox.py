"""What a worker does to itself before it runs any student code: limits and a private directory.

Called in the forked worker (see zygote.py) with the grader's ``spec``: resource limits
(address space, file size, no core dumps), and the private working directory holding the
copy of the submission.
"""

from __future__ import annotations

import os
import resource
import signal
from typing import Any


def enter_sandbox(spec: dict[str, Any]) -> None:
    memory = int(spec["memory_bytes"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    file_size = int(spec["file_size_bytes"])
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writing too much fails; it does not kill
    os.chdir(spec["workdir"])
    for key, value in spec.get("environment", {}).items():
        os.environ[key] = value
