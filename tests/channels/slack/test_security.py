"""Slack's requests are signature-checked by bolt: unsigned, mis-signed, replayed-late and
tampered requests are answered 401 and change nothing."""

from __future__ import annotations

import contextlib
import json
import time
import urllib.parse
from collections.abc import Callable

from sqlalchemy import func, select

from storage import repositories as repo
from storage.models import ChannelState, Event
from tests.channels.slack.conftest import ENGINEER, SIGNING_SECRET, SlackDesk, signed_headers
from tests.helpers import fixture_mail, ingest

Desk = Callable[..., contextlib.AbstractAsyncContextManager[SlackDesk]]


def _command_body(text: str) -> str:
    return urllib.parse.urlencode(
        {"command": "/ticket", "text": text, "user_id": ENGINEER, "trigger_id": "t-sec"}
    )


def _changes(desk: SlackDesk) -> tuple[int, int]:
    with desk.app.sessions() as session:
        events = session.scalar(select(func.count(Event.id))) or 0
        claims = session.scalar(select(func.count()).select_from(ChannelState)) or 0
    return int(events), int(claims)


async def test_bad_signatures_are_refused_with_401(make_desk: Desk) -> None:
    async with make_desk() as desk:
        body = _command_body("help")
        form = "application/x-www-form-urlencoded"
        before = _changes(desk)
        stale = int(time.time()) - 6 * 60
        cases = {
            "unsigned": {},
            "wrong secret": signed_headers(body, secret="not-the-secret"),
            "stale timestamp": signed_headers(body, at=stale),
            "future timestamp": signed_headers(body, at=int(time.time()) + 6 * 60),
            "tampered body": signed_headers(_command_body("list")),
            "signature only": {"X-Slack-Signature": signed_headers(body)["X-Slack-Signature"]},
        }
        for name, headers in cases.items():
            reply = await desk.send(body, form, headers)
            assert reply.status == 401, name
        assert _changes(desk) == before
        assert desk.fake.calls == []  # nothing reached the Web API either

        good = await desk.send(body, form, signed_headers(body, secret=SIGNING_SECRET))
        assert good.status == 200
        assert "/ticket list" in good.text


async def test_a_replayed_event_with_an_old_signature_is_refused(make_desk: Desk) -> None:
    """A captured request, correctly signed but six minutes old, is refused and has no effect;
    the very same body freshly signed would have added the note (so the 401 is the reason)."""
    async with make_desk() as desk:
        result = ingest(desk.app, fixture_mail("hardware-fault-no-serial.eml"))
        assert result.reference is not None
        await desk.feed()
        body = json.dumps(
            {
                "type": "event_callback",
                "team_id": "T0DESK",
                "api_app_id": "A0APP",
                "event_id": "Ev0REPLAY",
                "event_time": int(time.time()) - 400,
                "event": {
                    "type": "message",
                    "channel": "C0TRIAGE",
                    "user": ENGINEER,
                    "text": "captured note",
                    "ts": "1790000100.000001",
                    "thread_ts": desk.card_ts(result.reference),
                },
            }
        )
        captured = signed_headers(body, at=int(time.time()) - 301)
        assert (await desk.send(body, "application/json", captured)).status == 401
        assert (await desk.send(body, "application/json", captured)).status == 401
        assert "note_added" not in _kinds(desk, result.reference)

        assert (await desk.send(body, "application/json", signed_headers(body))).status == 200
        assert _kinds(desk, result.reference).count("note_added") == 1


def _kinds(desk: SlackDesk, reference: str) -> list[str]:
    with desk.app.sessions() as session:
        ticket = repo.ticket_by_reference(session, reference)
        assert ticket is not None
        return [e.kind for e in repo.events_of(session, ticket.id)]


async def test_url_verification_is_answered(make_desk: Desk) -> None:
    async with make_desk() as desk:
        body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"})
        reply = await desk.send(body, "application/json", signed_headers(body))
        assert reply.status == 200
        assert "abc123" in reply.text
