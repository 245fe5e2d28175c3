"""The keeper of an embedded server: a small process that runs the FalkorDB server of one data
directory for as long as any kg process uses it, and stops it when none does.

Every kg process that uses the server holds a shared lock on the directory's lease file while it
does (``EmbeddedServer``). The keeper starts the server as its own child, then waits for the
exclusive lock: it gets it once no user holds the lease, a killed user included (the kernel drops
a dead process's locks), and then shuts the server down. So a command that ends never stops the
server under another that is still at work, and no server outlives the last kg process. If the
keeper itself is killed, the kernel sends the server SIGTERM (Linux ``PR_SET_PDEATHSIG``).

Run as ``python -m kg.store.keeper DATA_DIR LEASE_FILE PID_FILE -- SERVER_COMMAND...``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

POLL_S = 0.1  # how often the keeper looks for the lease to be free and the server to be alive
STOP_TIMEOUT_S = 60.0


def die_with_parent(parent: int | None = None) -> None:
    """Have the kernel send this process SIGTERM when its parent dies (Linux ``PR_SET_PDEATHSIG``;
    nothing elsewhere). Run in the child, between fork and exec or first thing; given the
    ``parent`` it had, it also ends at once if that parent is already gone."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if parent is not None and os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGTERM)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM: the server's clean shutdown (append-only file fsynced, socket removed)."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def keep(data_dir: Path, lease: Path, pid_file: Path, command: list[str]) -> int:
    """Run ``command`` in ``data_dir`` until no process holds ``lease``; its exit status."""
    os.umask(0o077)  # what the server writes (its files, a graph copy's dump) only its user reads
    with open(lease, "a") as fh:
        process = subprocess.Popen(command, cwd=data_dir, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, preexec_fn=die_with_parent)
        pid_file.write_text(f"{process.pid}\n")
        signal.signal(signal.SIGTERM, lambda _signum, _frame: stop(process))
        while process.poll() is None:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                time.sleep(POLL_S)
                continue
            stop(process)  # holding the lease: a newcomer waits until the server is down
        with contextlib.suppress(OSError):
            if pid_file.read_text().strip() == str(process.pid):  # not yet a newer keeper's
                pid_file.unlink()
        return process.returncode or 0


def main(argv: list[str]) -> int:
    if len(argv) < 5 or argv[3] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    return keep(Path(argv[0]), Path(argv[1]), Path(argv[2]), argv[4:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
