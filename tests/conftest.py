"""Shared test fixtures: loopback-only network, databases (SQLite and a private PostgreSQL),
and an :class:`App` wired to temporary directories."""

from __future__ import annotations

import dataclasses
import functools
import glob
import ipaddress
import itertools
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from bot.app import App
from bot.config import Config

FIXTURES = Path(__file__).parent / "fixtures"

_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: Any) -> Any:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        try:
            ok = ipaddress.ip_address(host).is_loopback
        except ValueError:
            ok = host == "localhost"
        if not ok:
            raise AssertionError(f"test tried to reach {address}: tests talk to loopback only")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _guard_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


# --- PostgreSQL: one private cluster per test session (recipes/postgresql.md) -------------------


def _pg_bin() -> str | None:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    return os.path.dirname(found[-1]) if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgCluster:
    """A private PostgreSQL cluster in a temp directory: started, stopped (an outage) and
    started again on the same port, removed at the end."""

    def __init__(self, *, durable: bool = False) -> None:
        self.durable = durable  # fast (no fsync) unless a test crashes the server on purpose
        pgbin = _pg_bin()
        if not pgbin:
            pytest.fail("PostgreSQL server binaries not installed (apt-get install postgresql)")
        self.bin = pgbin
        self.dir = tempfile.mkdtemp(prefix="pgtest-", dir="/tmp")
        self.run: list[str] = []
        if os.geteuid() == 0:  # initdb/postgres refuse to run as root
            shutil.chown(self.dir, "postgres", "postgres")
            self.run = ["runuser", "-u", "postgres", "--"]
        self.port = free_port()
        subprocess.run(
            [*self.run, f"{pgbin}/initdb", "-D", f"{self.dir}/data", "-U", "postgres",
             "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"],
            check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}"

    def start(self) -> None:
        opts = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c max_connections=200"
        if not self.durable:  # an immediate stop would lose recent commits: never crash these
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(
            [*self.run, f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-l",
             f"{self.dir}/server.log", "-w", "-t", "30", "-o", opts, "start"],
            check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def stop(self) -> None:
        """An outage: the server goes away at once, connections and all (a crash: with
        ``durable``, committed transactions survive it, as on a real server)."""
        subprocess.run(
            [*self.run, f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-w", "-m", "immediate",
             "stop"],
            stdout=subprocess.DEVNULL,
            check=False,
        )  # fmt: skip

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """Base URL (without database) of a throwaway PostgreSQL cluster."""
    if os.environ.get("TEST_PG_URL"):
        yield os.environ["TEST_PG_URL"].rsplit("/", 1)[0]
        return
    cluster = PgCluster()
    try:
        cluster.start()
        yield cluster.url
    finally:
        cluster.remove()


_db_numbers = itertools.count(1)


def new_pg_database(server: str) -> str:
    # The nonce: this module is imported twice (as ``conftest`` and ``tests.conftest``), each
    # copy with its own counter.
    name = f"t{os.getpid()}_{next(_db_numbers)}_{secrets.token_hex(3)}"
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{server}/{name}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database: each test using it runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'intake.db'}"
    return new_pg_database(request.getfixturevalue("pg_server"))


@pytest.fixture(scope="session")
def tls_cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A throwaway self-signed certificate and key for localhost and 127.0.0.1."""
    d = tmp_path_factory.mktemp("tls")
    key, cert = d / "key.pem", d / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


# --- the bot -------------------------------------------------------------------------------------


class Clock:
    """A controllable clock: tests move time explicitly."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@functools.cache
def shared_extractor() -> Any:
    """The real extractor, loaded once per test session and only by tests that use it."""
    from bot.classifier import load_extractor

    return load_extractor()


def make_config(db_url: str, root: Path, **sections: dict[str, Any]) -> Config:
    """Config for a test: the given database, everything else under ``root``."""
    base = Config()
    outbound = dataclasses.replace(
        base.email.outbound, maildir=str(root / "outbox"), from_address="support@desk.example"
    )
    config = dataclasses.replace(
        base,
        storage=dataclasses.replace(base.storage, url=db_url, attachments_dir=str(root / "files")),
        email=dataclasses.replace(base.email, outbound=outbound),
    )
    # health/metrics on an ephemeral port: several bots may run in one test session
    config = dataclasses.replace(config, ops=dataclasses.replace(config.ops, port=0))
    for name, values in sections.items():
        section = getattr(config, name)
        config = dataclasses.replace(config, **{name: dataclasses.replace(section, **values)})
    return config


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_app(db_url: str, tmp_path: Path, clock: Clock) -> Iterator[Callable[..., App]]:
    apps: list[App] = []

    def factory(**sections: dict[str, Any]) -> App:
        app = App(make_config(db_url, tmp_path, **sections), clock, shared_extractor)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.close()


@pytest.fixture
def app(make_app: Callable[..., App]) -> App:
    return make_app()
