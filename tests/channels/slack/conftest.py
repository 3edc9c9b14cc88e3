"""A running Slack service (the real bolt app on loopback) and the fake Web API it talks to, and
a way to send it requests signed the way Slack signs them."""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import hashlib
import hmac
import json
import time
import urllib.parse
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import aiohttp
import pytest
from aiosmtpd.controller import Controller

from bot.app import App
from bot.channels.slack.service import SlackService
from bot.config import OutboundConfig
from tests.channels.slack.fake_slack import FakeSlack
from tests.conftest import free_port

SIGNING_SECRET = "test-signing-secret-" + "0" * 12  # throwaway, this test session only
BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"
TRIAGE = "C0TRIAGE"
ENGINEER, OTHER_ENGINEER, STRANGER = "UENG1", "UENG2", "USTRANGER"


def signed_headers(
    body: str, secret: str = SIGNING_SECRET, at: int | None = None
) -> dict[str, str]:
    """Slack's v0 request signature: HMAC-SHA256 of ``v0:{timestamp}:{body}``."""
    timestamp = str(int(time.time()) if at is None else at)
    base = f"v0:{timestamp}:{body}".encode()
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class Reply:
    status: int
    text: str


class SlackDesk:
    """The service under test, and helpers that talk to it as Slack would."""

    def __init__(self, app: App, fake: FakeSlack, service: SlackService) -> None:
        self.app = app
        self.fake = fake
        self.service = service
        self.event_ids = iter(range(1, 10**6))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.service.bound_port}/slack/events"

    async def send(
        self, body: str, content_type: str, headers: dict[str, str] | None = None
    ) -> Reply:
        sent = signed_headers(body) if headers is None else headers
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                self.url, data=body.encode(), headers=sent | {"Content-Type": content_type}
            ) as response,
        ):
            return Reply(response.status, await response.text())

    async def form(self, fields: dict[str, str], headers: dict[str, str] | None = None) -> Reply:
        body = urllib.parse.urlencode(fields)
        return await self.send(body, "application/x-www-form-urlencoded", headers)

    async def command(self, text: str, user: str = ENGINEER, trigger: str = "") -> Reply:
        return await self.form(
            {
                "command": "/ticket",
                "text": text,
                "user_id": user,
                "user_name": user.lower(),
                "team_id": "T0DESK",
                "channel_id": TRIAGE,
                "response_url": "http://127.0.0.1:9/unused",
                "trigger_id": trigger or f"trigger-{next(self.event_ids)}",
            }
        )

    async def interaction(self, payload: dict[str, Any]) -> Reply:
        return await self.form({"payload": json.dumps(payload)})

    async def click(
        self, action_id: str, value: str, user: str = ENGINEER, selected: str | None = None
    ) -> Reply:
        action: dict[str, Any] = {"action_id": action_id, "block_id": "b", "action_ts": "1.2"}
        if selected is None:
            action |= {"type": "button", "value": value}
        else:
            action |= {"type": "static_select", "selected_option": {"value": selected}}
        return await self.interaction(
            {
                "type": "block_actions",
                "team": {"id": "T0DESK"},
                "user": {"id": user, "name": user.lower(), "username": user.lower()},
                "channel": {"id": TRIAGE},
                "trigger_id": f"trigger-{next(self.event_ids)}",
                "actions": [action],
            }
        )

    async def submit(
        self, callback_id: str, reference: str, text: str, user: str = ENGINEER
    ) -> Reply:
        n = next(self.event_ids)
        return await self.interaction(
            {
                "type": "view_submission",
                "team": {"id": "T0DESK"},
                "user": {"id": user, "name": user.lower()},
                "trigger_id": f"trigger-{n}",
                "view": {
                    "id": f"V{n}",
                    "type": "modal",
                    "callback_id": callback_id,
                    "private_metadata": reference,
                    "state": {
                        "values": {"text": {"text": {"type": "plain_text_input", "value": text}}}
                    },
                },
            }
        )

    async def message(
        self,
        text: str,
        thread_ts: str | None,
        user: str = ENGINEER,
        event_id: str | None = None,
        retry: int | None = None,
        **extra: Any,
    ) -> Reply:
        event: dict[str, Any] = {
            "type": "message",
            "channel": TRIAGE,
            "user": user,
            "text": text,
            "ts": f"1790000100.{next(self.event_ids):06d}",
        } | extra
        if thread_ts:
            event["thread_ts"] = thread_ts
        body = json.dumps(
            {
                "type": "event_callback",
                "team_id": "T0DESK",
                "api_app_id": "A0APP",
                "event": event,
                "event_id": event_id or f"Ev{next(self.event_ids)}",
                "event_time": int(time.time()),
                "authorizations": [{"user_id": "UBOTSELF", "is_bot": True, "team_id": "T0DESK"}],
            }
        )
        headers = signed_headers(body)
        if retry is not None:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return await self.send(body, "application/json", headers)

    async def feed(self) -> int:
        """One pass of the feed (the tests drive it, so they need not wait for its timer)."""
        return await self.service.feed.step()

    def card_ts(self, reference: str) -> str:
        from bot.channels.slack import state

        with self.app.sessions() as session:
            ts = state.card_ts(session, reference)
        assert ts is not None, f"no card for {reference}"
        return ts


def slack_config(fake: FakeSlack, **values: Any) -> dict[str, Any]:
    return {
        "enabled": True,
        "host": "127.0.0.1",
        "port": 0,
        "api_url": fake.api_url,
        "triage_channel": TRIAGE,
        "engineers": (ENGINEER, OTHER_ENGINEER),
        "bot_token_env": "TEST_SLACK_BOT_TOKEN",
        "signing_secret_env": "TEST_SLACK_SIGNING_SECRET",
        "app_token_env": "TEST_SLACK_APP_TOKEN",
    } | values


@pytest.fixture
async def fake_slack(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeSlack]:
    monkeypatch.setenv("TEST_SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("TEST_SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("TEST_SLACK_APP_TOKEN", APP_TOKEN)
    fake = FakeSlack()
    await fake.start()
    yield fake
    await fake.stop()


@contextlib.asynccontextmanager
async def running(service: SlackService) -> AsyncIterator[SlackService]:
    stop = asyncio.Event()
    task = asyncio.create_task(service.run(stop))
    ready = asyncio.create_task(service.ready.wait())
    await asyncio.wait({task, ready}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        task.result()  # raise what stopped it
    assert service.ready.is_set(), "slack service did not start"
    try:
        yield service
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


@dataclass
class SmtpSink:
    """A recording SMTP server on loopback playing the mail relay the customer's mail leaves by;
    ``answer`` is what DATA answers (set ``550 …`` to make delivery fail for good)."""

    host: str = "127.0.0.1"
    port: int = 0
    answer: str = "250 OK"
    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.answer.startswith("250"):
            raw = bytes(envelope.original_content or envelope.content)
            parsed = email.message_from_bytes(raw, policy=email.policy.default)
            self.messages.append(parsed)  # type: ignore[arg-type]
            self.recipients.append(list(envelope.rcpt_tos))
        return self.answer

    def outbound(self) -> OutboundConfig:
        return OutboundConfig(
            transport="smtp",
            smtp_host=self.host,
            smtp_port=self.port,
            from_address="support@desk.example",
            smtp_timeout_seconds=5,
        )


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink(port=free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    yield sink
    controller.stop()


@pytest.fixture
def make_desk(
    make_app: Callable[..., App], fake_slack: FakeSlack
) -> Callable[..., contextlib.AbstractAsyncContextManager[SlackDesk]]:
    @contextlib.asynccontextmanager
    async def factory(
        run_feed: bool = False, smtp: SmtpSink | None = None, **values: Any
    ) -> AsyncIterator[SlackDesk]:
        sections: dict[str, dict[str, Any]] = {"slack": slack_config(fake_slack, **values)}
        if smtp is not None:
            sections["email"] = {"outbound": smtp.outbound()}
        app = make_app(**sections)
        service = SlackService(
            app,
            process_before_response=True,
            feed_poll_seconds=0.05,
            run_feed=run_feed,
        )
        async with running(service):
            yield SlackDesk(app, fake_slack, service)

    return factory


async def wait_until(check: Callable[[], bool], seconds: float = 20) -> None:
    """Poll ``check`` until it holds, failing after ``seconds``."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)
