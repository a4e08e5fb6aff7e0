"""Real PostgreSQL and Redis servers for the tests and the distributed benchmark:
Debian's packages, started on loopback with throwaway data directories, stopped
and removed afterwards.

PostgreSQL refuses to run as root: as root (CI), the server runs as the
`postgres` user the Debian package creates, in a directory it owns.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def postgres_bin(name: str) -> str | None:
    """A PostgreSQL server program: on PATH, else in Debian's versioned folder."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


class PostgresServer:
    """One PostgreSQL cluster on 127.0.0.1 and a free port; `database()` makes a fresh database."""

    USER = "govsite"

    def __init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="govsite-pg-"))
        self.data = self.base / "data"
        self.port = free_port()
        self.run_as: list[str] = []
        self.databases = 0

    def _run(self, *args: str) -> None:
        subprocess.run([*self.run_as, *args], check=True, capture_output=True, timeout=120)

    def start(self) -> PostgresServer:
        initdb, pg_ctl = postgres_bin("initdb"), postgres_bin("pg_ctl")
        if initdb is None or pg_ctl is None:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.base, user.pw_uid, user.pw_gid)
            self.run_as = ["runuser", "-u", "postgres", "--"]
        self._run(initdb, "-D", str(self.data), "-U", self.USER, "--auth=trust", "-E", "UTF8",
                  "--locale=C")
        # Throwaway data: durability off, as for any test database.
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.base} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run(pg_ctl, "-D", str(self.data), "-o", options, "-l", str(self.base / "log"),
                  "-w", "start")
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.USER}@127.0.0.1:{self.port}/{database}"

    def database(self) -> str:
        """The URL of a new, empty database."""
        self.databases += 1
        name = f"govsite_{self.databases}"
        engine = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text(f"create database {name}"))
        engine.dispose()
        return self.url(name)

    def stop(self) -> None:
        pg_ctl = postgres_bin("pg_ctl")
        if pg_ctl is not None and self.data.exists():
            subprocess.run([*self.run_as, pg_ctl, "-D", str(self.data), "-m", "immediate",
                            "stop"], capture_output=True, timeout=60)
        shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class RedisServer:
    """Debian's redis-server on 127.0.0.1 and a free port, nothing saved to disk;
    `url(n)` names database n (one per test keeps tests apart)."""

    def __init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="govsite-redis-"))
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.databases = 0

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not os.path.exists(binary):
            raise RuntimeError("Redis is not installed (apt-get install redis-server)")
        self.process = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.base),
             "--save", "", "--appendonly", "no", "--databases", "64"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("redis-server did not start")

    def url(self, database: int | None = None) -> str:
        """A database of its own: the next one unless given."""
        if database is None:
            self.databases += 1
            database = self.databases
        return f"redis://127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=30)
            self.process = None
        shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
