"""The zygote: a process that has imported numpy and the worker, and forks a worker per component.

Starting Python and importing numpy takes ~0.3 s; forking a process that already did takes
a few milliseconds. The zygote imports nothing but the worker's own modules (never the
reference or the grader), so a forked worker holds nothing a submission should not see.

Protocol over a Unix SOCK_SEQPACKET socket: the grader sends one JSON message with the worker's limits and
working directory, plus four file descriptors (requests in, answers out, output out, exit
status out) via SCM_RIGHTS; the zygote forks, answers with the child's pid, and a thread
later writes the child's exit status to the status descriptor.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading

from . import worker  # imported here so that every fork starts with it loaded
from .sandbox import enter_sandbox

# What submissions commonly import, loaded before any fork: fast, and available even where
# the sandbox leaves the interpreter's files hard to reach.
PRELOAD = (
    "numpy.random",
    "numpy.linalg",
    "numpy.fft",
    "numpy.lib.stride_tricks",
    "math",
    "itertools",
    "functools",
    "collections",
    "dataclasses",
    "typing",
    "copy",
    "random",
    "warnings",
    "time",
    "abc",
)
for _name in PRELOAD:
    __import__(_name)


def _reap(pid: int, status_fd: int) -> None:
    _, status = os.waitpid(pid, 0)
    code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    try:
        os.write(status_fd, worker.STATUS.pack(code))
    finally:
        os.close(status_fd)


def _child(control: socket.socket, fds: list[int], spec: dict) -> None:
    """In the forked child: become the sandboxed worker."""
    try:
        control.close()
        in_fd, out_fd, output_fd, status_fd = fds
        os.close(status_fd)
        os.setsid()  # its own process group: killed as a whole, fork bombs too
        os.dup2(output_fd, 1)
        os.dup2(output_fd, 2)
        os.close(output_fd)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        enter_sandbox(spec)
        sys.stdout = os.fdopen(1, "w", buffering=1, closefd=False)
        sys.stderr = os.fdopen(2, "w", buffering=1, closefd=False)
        os.environ["NNLAB_WORKER_CHILD"] = "1"
        worker.serve(in_fd, out_fd)
        code = 0
    except BaseException:  # noqa: BLE001
        code = 70
    os._exit(code)


def serve(control: socket.socket) -> None:
    """Fork a worker for every request until the grader closes the socket."""
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 65536, 4)
        except OSError:
            return
        if not message:
            return
        spec = json.loads(message)
        pid = os.fork()
        if pid == 0:
            _child(control, fds, spec)
        for fd in fds[:3]:
            os.close(fd)
        threading.Thread(target=_reap, args=(pid, fds[3]), daemon=True).start()
        control.sendall(f"{pid}\n".encode())


if __name__ == "__main__":  # pragma: no cover - run by the grader
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the grader decides when the zygote ends
    serve(socket.socket(fileno=int(sys.argv[1])))
