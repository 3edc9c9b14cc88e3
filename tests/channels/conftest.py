"""Fixtures and helpers for the IMAP poller's tests: one Dovecot per session, a fresh IMAP user
per test, a config for it, the poller running in the test's event loop, and counts of what
reached the database."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.app import App
from bot.channels.imap import ImapPoller
from bot.config import ImapConfig
from storage.models import Message, RawMessage, Ticket
from tests.channels.dovecot import DOVECOT, Dovecot

PASSWORD_ENV = "TEST_IMAP_PASSWORD"
_users = itertools.count(1)


def _server() -> Iterator[Dovecot]:
    if not os.path.exists(DOVECOT):
        pytest.fail("dovecot not installed (apt-get install dovecot-imapd)")
    server = Dovecot()
    try:  # also when startup failed: never leak a dovecot
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """Shared by the tests that do not stop the server."""
    yield from _server()


@pytest.fixture
def own_dovecot() -> Iterator[Dovecot]:
    """A server of the test's own, for tests that stop and restart it."""
    yield from _server()


@pytest.fixture
def imap_user() -> str:
    """A user nobody else uses: a fresh, empty mailbox."""
    return f"user{os.getpid()}x{next(_users)}"


# --- helpers -----------------------------------------------------------------------------------


def imap_config(server: Dovecot, user: str, **values: Any) -> ImapConfig:
    base: dict[str, Any] = {
        "enabled": True,
        "host": server.host,
        "port": server.port,
        "security": "none",
        "username": user,
        "password_env": PASSWORD_ENV,
        "timeout_seconds": 5.0,
        "poll_interval_seconds": 30.0,
        "reconnect_base_seconds": 0.2,
        "reconnect_max_seconds": 1.0,
    }
    return ImapConfig(**(base | values))


def poller_for(app: App, config: ImapConfig) -> ImapPoller:
    return ImapPoller(config, app.intake, app.sessions, app.clock)


@contextlib.asynccontextmanager
async def running(poller: ImapPoller) -> AsyncIterator[None]:
    """The poller runs in the background; leaving the block stops it (within a few seconds)."""
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run(stop))
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=15)


async def wait_until(check: Callable[[], bool], within: float, what: str) -> float:
    """Seconds until ``check()`` held; fails the test after ``within`` seconds."""
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > within:
            raise AssertionError(f"not within {within} s: {what}")
        await asyncio.sleep(0.05)
    return time.monotonic() - start


def tickets(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Ticket)) or 0)


def raw_statuses(sessions: sessionmaker[Session]) -> Counter[str]:
    with sessions() as session:
        return Counter(session.scalars(select(RawMessage.status)))


def inbound_subjects(sessions: sessionmaker[Session]) -> Counter[str]:
    """How often each subject was recorded as an inbound message (each must be once)."""
    with sessions() as session:
        return Counter(session.scalars(select(Message.subject).where(Message.direction == "in")))
