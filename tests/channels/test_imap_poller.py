"""The IMAP poller against a real Dovecot: backlog, IDLE, polling, folders, exactly once."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import App
from bot.channels.imap import imap_health
from bot.errors import StorageError
from storage.models import RawMessage
from tests.channels.conftest import (
    PASSWORD_ENV,
    imap_config,
    inbound_subjects,
    poller_for,
    raw_statuses,
    running,
    tickets,
    wait_until,
)
from tests.channels.dovecot import Dovecot, append, folder_counts, make_mail
from tests.conftest import Clock

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "pw")


async def test_backlog_of_500_becomes_exactly_500_tickets(
    make_app: Callable[..., App], dovecot: Dovecot, imap_user: str
) -> None:
    append(dovecot, imap_user, [make_mail(n) for n in range(500)])
    app = make_app()
    config = imap_config(dovecot, imap_user)
    started = time.monotonic()
    async with running(poller_for(app, config)):
        await wait_until(lambda: tickets(app.sessions) >= 500, 120, "500 tickets")
        await wait_until(lambda: folder_counts(dovecot, imap_user)[1] == 0, 10, "all read")
    print(f"backlog of 500 in {time.monotonic() - started:.1f} s")
    assert tickets(app.sessions) == 500
    assert raw_statuses(app.sessions) == {"processed": 500}
    assert set(inbound_subjects(app.sessions).values()) == {1}
    with app.sessions() as session:
        [health] = imap_health(session)
    assert health["mailbox"] == f"imap:{imap_user}/INBOX"
    assert health["last_uid"] == 500
    assert health["last_successful_fetch"] == Clock().now.isoformat()
    assert health["failed_messages"] == 0


@sqlite_only
async def test_new_mail_wakes_idle(
    make_app: Callable[..., App], dovecot: Dovecot, imap_user: str
) -> None:
    app = make_app()
    config = imap_config(dovecot, imap_user, poll_interval_seconds=60.0)
    async with running(poller_for(app, config)):
        await wait_until(lambda: _health(app)["last_uid"] is not None, 10, "first check")
        append(dovecot, imap_user, [make_mail(1)])
        took = await wait_until(lambda: tickets(app.sessions) == 1, 5, "woken by IDLE")
    print(f"IDLE wake-up to ticket in {took:.2f} s")
    assert took < 3  # a poll would take 60 s: only IDLE explains it


@sqlite_only
async def test_polls_when_idle_is_off(
    make_app: Callable[..., App], dovecot: Dovecot, imap_user: str
) -> None:
    app = make_app()
    config = imap_config(dovecot, imap_user, idle=False, poll_interval_seconds=0.5)
    async with running(poller_for(app, config)):
        await wait_until(lambda: _health(app)["last_uid"] is not None, 10, "first check")
        append(dovecot, imap_user, [make_mail(1), make_mail(2)])
        await wait_until(lambda: tickets(app.sessions) == 2, 5, "found by polling")
    assert folder_counts(dovecot, imap_user) == (2, 0)


@sqlite_only
async def test_first_run_takes_unread_mail_not_read_history(
    make_app: Callable[..., App], dovecot: Dovecot, imap_user: str
) -> None:
    with dovecot.connect(imap_user) as client:
        client.append("INBOX", make_mail(1), flags=[b"\\Seen"])  # handled by people long ago
        client.append("INBOX", make_mail(2))
    app = make_app()
    async with running(poller_for(app, imap_config(dovecot, imap_user))):
        await wait_until(lambda: tickets(app.sessions) == 1, 10, "the unread one")
        append(dovecot, imap_user, [make_mail(3)])
        await wait_until(lambda: tickets(app.sessions) == 2, 5, "new mail")
    assert set(inbound_subjects(app.sessions)) == {"Firewall fault #2", "Firewall fault #3"}


@sqlite_only
async def test_oversized_mail_is_set_aside_unfetched_and_the_rest_goes_on(
    make_app: Callable[..., App], dovecot: Dovecot, imap_user: str
) -> None:
    big = make_mail(2, size=20_000)
    append(dovecot, imap_user, [make_mail(1), big, make_mail(3)])
    app = make_app()
    config = imap_config(
        dovecot, imap_user, max_message_bytes=10_000, failed_folder="Failed",
        processed_folder="Processed", reconcile_interval_seconds=0.2, idle=False,
        poll_interval_seconds=0.2,
    )  # fmt: skip
    async with running(poller_for(app, config)):
        await wait_until(lambda: tickets(app.sessions) == 2, 10, "the two good ones")
        await wait_until(lambda: folder_counts(dovecot, imap_user, "Failed")[0] == 1, 5, "moved")
        await asyncio.sleep(0.5)  # several sweeps: the set-aside message is not retried
    assert folder_counts(dovecot, imap_user, "Processed") == (2, 0)
    assert folder_counts(dovecot, imap_user, "Failed") == (1, 1)  # still unread for people
    assert folder_counts(dovecot, imap_user) == (0, 0)
    assert raw_statuses(app.sessions) == {"processed": 2}  # its body was never fetched
    health = _health(app)
    assert health["failed_messages"] == 1
    assert "over the 10000-byte limit" in str(health["last_error"])


@sqlite_only
async def test_without_a_failed_folder_a_bad_mail_stays_unread_and_is_not_retried(
    make_app: Callable[..., App], dovecot: Dovecot, imap_user: str
) -> None:
    append(dovecot, imap_user, [make_mail(1, size=20_000), make_mail(2)])
    app = make_app()
    config = imap_config(
        dovecot, imap_user, max_message_bytes=10_000, reconcile_interval_seconds=0.2,
        idle=False, poll_interval_seconds=0.2,
    )  # fmt: skip
    async with running(poller_for(app, config)):
        await wait_until(lambda: tickets(app.sessions) == 1, 10, "the good one")
        await asyncio.sleep(0.6)
    assert folder_counts(dovecot, imap_user) == (2, 1)
    assert _health(app)["failed_messages"] == 1
    assert raw_statuses(app.sessions) == {"processed": 1}


@sqlite_only
async def test_a_message_that_breaks_the_session_is_set_aside_and_the_rest_goes_on(
    make_app: Callable[..., App], dovecot: Dovecot, imap_user: str
) -> None:
    append(dovecot, imap_user, [make_mail(1), make_mail(2), make_mail(3)])
    with dovecot.connect(imap_user) as client:
        client.select_folder("INBOX")  # Dovecot moves new/ to cur/ now
    files = sorted((dovecot.dir / "mail" / imap_user / "Maildir" / "cur").iterdir())
    files[1].chmod(0)  # unreadable: Dovecot answers its FETCH by dropping the session
    app = make_app()
    config = imap_config(dovecot, imap_user, failed_folder="Failed")
    async with running(poller_for(app, config)):
        await wait_until(lambda: tickets(app.sessions) == 2, 20, "the two readable ones")
        await wait_until(lambda: folder_counts(dovecot, imap_user, "Failed")[0] == 1, 5, "moved")
    assert set(inbound_subjects(app.sessions)) == {"Firewall fault #1", "Firewall fault #3"}
    health = _health(app)
    assert health["failed_messages"] == 1
    assert "dropped the connection" in str(health["last_error"])


async def test_uidvalidity_change_takes_new_mail_and_duplicates_nothing(
    make_app: Callable[..., App], dovecot: Dovecot, imap_user: str
) -> None:
    append(dovecot, imap_user, [make_mail(n) for n in range(3)])
    app = make_app()
    config = imap_config(dovecot, imap_user)
    async with running(poller_for(app, config)):
        await wait_until(lambda: tickets(app.sessions) == 3, 10, "first three")
    before = _health(app)["uidvalidity"]
    # The server loses its index: the folder is rebuilt with a new UIDVALIDITY, the same three
    # messages come back unread (as after a restore), and two new ones arrive.
    await asyncio.sleep(1.1)  # Dovecot's UIDVALIDITY is a time in seconds: make it differ
    shutil.rmtree(dovecot.dir / "mail" / imap_user)  # no session is open: a clean rebuild
    append(dovecot, imap_user, [make_mail(n) for n in range(5)])
    async with running(poller_for(app, config)):
        await wait_until(lambda: tickets(app.sessions) == 5, 10, "two new ones")
        await wait_until(lambda: folder_counts(dovecot, imap_user)[1] == 0, 5, "all read")
        await asyncio.sleep(0.3)
    assert _health(app)["uidvalidity"] != before
    assert tickets(app.sessions) == 5
    assert set(inbound_subjects(app.sessions).values()) == {1}
    assert raw_statuses(app.sessions) == {"processed": 5, "duplicate": 3}


@sqlite_only
async def test_reads_several_folders(
    make_app: Callable[..., App], dovecot: Dovecot, imap_user: str
) -> None:
    append(dovecot, imap_user, [make_mail(1)])
    append(dovecot, imap_user, [make_mail(2)], folder="UK Desk")
    app = make_app()
    config = imap_config(dovecot, imap_user, folders=("UK Desk",))
    async with running(poller_for(app, config)):
        await wait_until(lambda: tickets(app.sessions) == 2, 10, "both folders")
    with app.sessions() as session:
        mailboxes = set(session.scalars(select(RawMessage.mailbox)))
        health = imap_health(session)
    assert mailboxes == {f"imap:{imap_user}/INBOX", f"imap:{imap_user}/UK Desk"}
    assert [h["last_uid"] for h in health] == [1, 1]


@sqlite_only
async def test_while_the_database_is_away_mail_stays_unread_and_nothing_is_lost(
    make_app: Callable[..., App],
    dovecot: Dovecot,
    imap_user: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    append(dovecot, imap_user, [make_mail(1), make_mail(2)])
    app = make_app()
    store_raw = app.intake.store_raw
    outage = {"failures": 0}

    def failing_store(data: bytes, **kwargs: Any) -> int:
        if outage["failures"] < 3:  # the first three attempts find the database down
            outage["failures"] += 1
            raise StorageError("cannot store the message: database is locked")
        return store_raw(data, **kwargs)

    monkeypatch.setattr(app.intake, "store_raw", failing_store)
    async with running(poller_for(app, imap_config(dovecot, imap_user))):
        await wait_until(lambda: outage["failures"] >= 1, 5, "the outage seen")
        assert folder_counts(dovecot, imap_user) == (2, 2)  # not acknowledged while failing
        await wait_until(lambda: tickets(app.sessions) == 2, 15, "taken after the outage")
    assert folder_counts(dovecot, imap_user) == (2, 0)
    assert raw_statuses(app.sessions) == {"processed": 2}
    assert _health(app)["failed_messages"] == 0  # an outage is not the message's fault


@sqlite_only
async def test_a_message_left_pending_by_a_crash_is_processed_at_start(
    make_app: Callable[..., App], dovecot: Dovecot, imap_user: str
) -> None:
    app = make_app()
    app.intake.store_raw(make_mail(7), channel="email", mailbox=f"imap:{imap_user}/INBOX")
    async with running(poller_for(app, imap_config(dovecot, imap_user))):
        await wait_until(lambda: tickets(app.sessions) == 1, 10, "pending one processed")
    assert raw_statuses(app.sessions) == {"processed": 1}


@sqlite_only
async def test_stop_is_honoured_promptly_while_idling(
    make_app: Callable[..., App], dovecot: Dovecot, imap_user: str
) -> None:
    app = make_app()
    poller = poller_for(app, imap_config(dovecot, imap_user, poll_interval_seconds=600.0))
    async with running(poller):
        await wait_until(lambda: _health(app)["last_uid"] is not None, 10, "idling")
        stopping = time.monotonic()
    assert time.monotonic() - stopping < 2.5


def _health(app: App) -> dict[str, object]:
    with app.sessions() as session:
        found = imap_health(session)
    return found[0] if found else {"last_uid": None}
