"""Socket Mode: the same bolt app over a websocket (``apps.connections.open`` → a local
websocket served by the fake), one slash command envelope in, its acknowledgement out."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from tests.channels.slack.conftest import APP_TOKEN, ENGINEER, STRANGER, SlackDesk, wait_until
from tests.helpers import fixture_mail, ingest

Desk = Callable[..., contextlib.AbstractAsyncContextManager[SlackDesk]]


def _envelope(envelope_id: str, text: str, user: str) -> dict[str, object]:
    return {
        "envelope_id": envelope_id,
        "type": "slash_commands",
        "accepts_response_payload": True,
        "payload": {
            "command": "/ticket",
            "text": text,
            "user_id": user,
            "user_name": user.lower(),
            "team_id": "T0DESK",
            "channel_id": "C0TRIAGE",
            "trigger_id": f"trigger-{envelope_id}",
        },
    }


async def test_a_slash_command_over_socket_mode(make_desk: Desk) -> None:
    async with make_desk(mode="socket") as desk:
        opened = [c for c in desk.fake.calls if c.method == "apps.connections.open"]
        assert opened
        assert opened[0].token == APP_TOKEN
        result = ingest(desk.app, fixture_mail("hardware-fault-no-serial.eml"))
        assert result.reference is not None

        await desk.fake.envelopes.put(_envelope("env-1", f"{result.reference} claim", ENGINEER))
        await desk.fake.envelopes.put(_envelope("env-2", f"{result.reference} claim", STRANGER))
        await wait_until(
            lambda: {a.get("envelope_id") for a in desk.fake.acks} >= {"env-1", "env-2"}
        )

        acks = {a["envelope_id"]: a for a in desk.fake.acks}
        assert f"assigned to {ENGINEER}" in acks["env-1"]["payload"]["text"]
        assert "only the support desk's engineers" in acks["env-2"]["payload"]["text"]
        with desk.app.sessions() as session:
            from storage import repositories as repo

            ticket = repo.ticket_by_reference(session, result.reference)
            assert ticket is not None
            assert ticket.assignee == ENGINEER
