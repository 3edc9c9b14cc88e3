"""Leases keep a job (an IMAP folder, a Telegram token, the Slack feed) on one instance at a time,
on SQLite and on PostgreSQL, and hand it over when the holder stops or dies."""

from __future__ import annotations

import threading
from datetime import timedelta

from bot import leases
from bot.app import App


def _hold(app: App, holder: str, seconds_later: float = 0, name: str = "imap:box") -> bool:
    with app.sessions.begin() as session:
        at = app.clock() + timedelta(seconds=seconds_later)
        return leases.hold(session, name, holder, at, 60)


def test_one_holder_renews_lapses_and_releases(app: App) -> None:
    assert _hold(app, "a")
    assert not _hold(app, "b")
    assert _hold(app, "a", 30)  # renewed: now runs to +90
    assert not _hold(app, "b", 80)
    assert _hold(app, "b", 91)  # lapsed: taken over (the holder died)
    assert not _hold(app, "a", 92)
    with app.sessions.begin() as session:
        assert leases.holder_of(session, "imap:box", app.clock() + timedelta(seconds=92)) == "b"
        leases.release(session, "imap:box", "a", app.clock())  # not a's to give up
        assert leases.holder_of(session, "imap:box", app.clock() + timedelta(seconds=92)) == "b"
        leases.release(session, "imap:box", "b", app.clock())
        assert leases.holder_of(session, "imap:box", app.clock()) is None
    assert _hold(app, "a", 93)  # released: free at once


def test_leases_are_independent(app: App) -> None:
    assert _hold(app, "a", name="imap:one")
    assert _hold(app, "b", name="imap:two")


def test_racing_instances_never_both_win(app: App) -> None:
    """Eight threads (eight instances, each its own connection) ask for a free lease at once."""
    winners: list[str] = []
    barrier = threading.Barrier(8)

    def contend(holder: str) -> None:
        barrier.wait()
        for _ in range(20):  # SQLite may answer "database is locked": an instance retries
            try:
                if _hold(app, holder, name="race"):
                    winners.append(holder)
                return
            except Exception:
                continue

    threads = [threading.Thread(target=contend, args=(f"i{n}",)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(winners) == 1, winners


def test_status_lists_who_does_which_job(app: App) -> None:
    assert _hold(app, "host:42:abc", name="imap:support@desk.example/INBOX")
    assert _hold(app, "host:43:def", name="telegram:poller:x", seconds_later=-120)  # lapsed
    with app.sessions() as session:
        listed = leases.all_leases(session, app.clock())
    assert [(name, holder) for name, holder, _ in listed] == [
        ("imap:support@desk.example/INBOX", "host:42:abc"),
        ("telegram:poller:x", None),
    ]
