"""The bolt ``AsyncApp``: slash command, buttons, modals and thread messages → ticket actions.

Only translation and gatekeeping live here: who may act (:mod:`access`), each delivery having
effect once (a ``claim_once`` row per event id / trigger id), and Slack's text escapes. What an
action does is :class:`bot.tickets.actions.TicketActions`' business; what the desk sees
afterwards is posted by the feed.

Once: a delivery is claimed in the database (any instance) *before* its action runs, so a retried
event (same ``event_id``, ``X-Slack-Retry-Num``) never acts twice; a crash between claim and
action loses that one click, which the engineer sees (no thread line, no card change) and repeats.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack import card, state
from bot.channels.slack.access import REFUSAL, Access
from bot.channels.slack.command import CommandRunner, parse, unescape
from bot.channels.slack.feed import quiet_note_key
from bot.channels.slack.modals import MODALS, modal, submitted_text
from bot.config import SlackConfig, secret_from_env
from bot.tickets.actions import TicketActionError

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

# A thread message by a person: plain, with files, or "also send to channel".
_PEOPLES_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})

_FILES_NOT_SENT = (
    "Your reply was sent to the customer without the file: files shared in Slack stay in Slack."
)

_MODAL_OF_BUTTON = {
    card.ASK: "ticket_ask_modal",
    card.REPLY: "ticket_reply_modal",
    card.RESOLVE: "ticket_resolve_modal",
}


def web_client(config: SlackConfig, token: str) -> AsyncWebClient:
    """The Web API client: base URL from config (with its trailing slash), 429s retried."""
    base_url = config.api_url if config.api_url.endswith("/") else config.api_url + "/"
    client = AsyncWebClient(base_url=base_url, token=token)
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=3))
    return client


def build_bolt_app(
    app: App, client: AsyncWebClient | None = None, *, process_before_response: bool = False
) -> AsyncApp:
    """The bolt app for ``app``'s config; secrets from the environment variables it names."""
    config = app.config.slack
    token = secret_from_env(config.bot_token_env, "slack bot token")
    signing_secret = secret_from_env(config.signing_secret_env, "slack signing secret")
    bolt = AsyncApp(
        client=client or web_client(config, token),
        signing_secret=signing_secret,
        process_before_response=process_before_response,
        logger=logging.getLogger("bot.channels.slack.bolt"),
    )
    SlackHandlers(app, config).register(bolt)
    return bolt


class SlackHandlers:
    def __init__(self, app: App, config: SlackConfig) -> None:
        self.app = app
        self.config = config
        self.access = Access(config)
        self.runner = CommandRunner(app.ticket_actions)

    def register(self, bolt: AsyncApp) -> None:
        bolt.command("/ticket")(self.on_command)
        bolt.event("message")(self.on_message)
        bolt.action(card.CLAIM)(self.on_claim)
        bolt.action(card.PRIORITY)(self.on_priority)
        bolt.action(card.ESCALATE)(self.on_escalate)
        for button in _MODAL_OF_BUTTON:
            bolt.action(button)(self.on_modal_button)
        for callback_id in MODALS:
            bolt.view(callback_id)(self.on_modal_submit)

    # -- /ticket -------------------------------------------------------------------------------

    async def on_command(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        user = str(body.get("user_id") or "")
        if not await self.access.may_act(client, user):
            await ack(REFUSAL)
            return
        try:
            command = parse(str(body.get("text") or ""))
            if command.action not in ("help", "list", "show") and not await self._first(
                f"command:{body.get('trigger_id')}"
            ):
                await ack("Already done (Slack delivered this command twice).")
                return
            engineer = str(body.get("user_name") or user)
            if command.action in ("ask", "reply", "resolve"):  # signs what the customer reads
                engineer = await self._name(client, user, fallback=engineer)
            answer = await asyncio.to_thread(self.runner.run, command, user, engineer)
        except TicketActionError as exc:
            await ack(f":warning: {exc}")
            return
        await ack(answer)

    # -- thread messages -----------------------------------------------------------------------

    async def on_message(self, body: dict[str, Any], client: AsyncWebClient) -> None:
        """A person's message in a ticket's thread: an internal note, or (with the reply
        prefix) a reply to the customer. Bots, edits, deletions and joins are not people's words;
        a message with a file, or one also sent to the channel, is."""
        event = body.get("event") or {}
        if event.get("subtype") not in _PEOPLES_SUBTYPES or event.get("bot_id"):
            return
        if not event.get("user"):
            return
        channel, thread_ts = str(event.get("channel") or ""), event.get("thread_ts")
        if not thread_ts or thread_ts == event.get("ts"):
            return
        reference = await asyncio.to_thread(self._reference_of_thread, channel, str(thread_ts))
        if reference is None:
            return
        if not await self._first(f"event:{body.get('event_id')}"):
            return
        user = str(event["user"])
        reply = self._ephemeral(client, channel, user, str(thread_ts))
        if not await self.access.may_act(client, user):
            await reply(REFUSAL + " Your message was not added to the ticket.")
            return
        text = unescape(str(event.get("text") or "")).strip()
        files = [str(f.get("name") or f.get("title") or "file") for f in event.get("files") or []]
        prefix = self.config.reply_prefix
        actor = f"slack:{user}"
        actions = self.app.ticket_actions
        try:
            if prefix and text.lower().startswith(prefix.lower()):
                engineer = await self._name(client, user)
                body_text = text[len(prefix) :]
                await asyncio.to_thread(
                    actions.reply, reference, body_text, actor=actor, engineer=engineer
                )
                if files:
                    await reply(_FILES_NOT_SENT)
            else:
                if files:  # the file stays in Slack; the note says where it is
                    listed = ", ".join(files)
                    text = (text + "\n" if text else "") + f"(file in the Slack thread: {listed})"
                await self._first(quiet_note_key(reference, text))
                await asyncio.to_thread(actions.add_note, reference, text, actor=actor)
        except TicketActionError as exc:
            await reply(f":warning: {exc}")

    # -- card buttons --------------------------------------------------------------------------

    async def on_claim(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await self._act(
            body,
            client,
            lambda ref, user, actor: self.app.ticket_actions.assign(ref, user, actor=actor),
        )

    async def on_priority(
        self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        chosen = str(_action(body).get("selected_option", {}).get("value") or "")
        reference, _, priority = chosen.partition(" ")
        await self._act(
            body,
            client,
            lambda _ref, _user, actor: self.app.ticket_actions.set_priority(
                reference, priority, actor=actor
            ),
        )

    async def on_escalate(
        self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        await self._act(
            body,
            client,
            lambda ref, user, actor: self.app.ticket_actions.escalate(
                ref, f"escalated from Slack by {_user_name(body) or user}", actor=actor
            ),
        )

    async def on_modal_button(
        self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        user = str(body.get("user", {}).get("id") or "")
        if not await self.access.may_act(client, user):
            await self._refuse(body, client, user)
            return
        action = _action(body)
        view = modal(_MODAL_OF_BUTTON[str(action.get("action_id"))], str(action.get("value")))
        await client.views_open(trigger_id=str(body.get("trigger_id")), view=view)

    async def on_modal_submit(
        self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        view = body.get("view") or {}
        user = str(body.get("user", {}).get("id") or "")
        text = submitted_text(view).strip()
        if not await self.access.may_act(client, user):
            await ack(response_action="errors", errors={"text": REFUSAL})
            return
        if not text:
            await ack(response_action="errors", errors={"text": "Please write something."})
            return
        key = f"view:{view.get('id')}:{body.get('trigger_id') or ''}"
        if not await self._first(key):
            await ack()
            return
        reference = str(view.get("private_metadata") or "")
        actions = self.app.ticket_actions
        do = {
            "ticket_ask_modal": actions.ask,
            "ticket_reply_modal": actions.reply,
            "ticket_resolve_modal": actions.resolve,
        }[str(view.get("callback_id"))]
        engineer = await self._name(client, user, fallback=_user_name(body))
        try:
            await asyncio.to_thread(do, reference, text, actor=f"slack:{user}", engineer=engineer)
        except TicketActionError as exc:
            await ack(response_action="errors", errors={"text": str(exc)})
            return
        await ack()

    # -- helpers -------------------------------------------------------------------------------

    async def _act(
        self,
        body: dict[str, Any],
        client: AsyncWebClient,
        do: Callable[[str, str, str], object],
    ) -> None:
        """A button's action, as the clicking engineer, once per click."""
        user = str(body.get("user", {}).get("id") or "")
        if not await self.access.may_act(client, user):
            await self._refuse(body, client, user)
            return
        action = _action(body)
        if not await self._first(f"action:{body.get('trigger_id')}:{action.get('action_ts')}"):
            return
        reference = str(action.get("value") or "")
        try:
            await asyncio.to_thread(do, reference, user, f"slack:{user}")
        except TicketActionError as exc:
            channel = str(body.get("channel", {}).get("id") or self.config.triage_channel)
            await self._ephemeral(client, channel, user, None)(f":warning: {exc}")

    async def _refuse(self, body: dict[str, Any], client: AsyncWebClient, user: str) -> None:
        channel = str(body.get("channel", {}).get("id") or self.config.triage_channel)
        await self._ephemeral(client, channel, user, None)(REFUSAL)

    def _ephemeral(
        self, client: AsyncWebClient, channel: str, user: str, thread_ts: str | None
    ) -> Callable[[str], Awaitable[None]]:
        async def send(text: str) -> None:
            try:
                await client.chat_postEphemeral(
                    channel=channel, user=user, text=text, thread_ts=thread_ts
                )
            except SlackApiError as exc:
                log.warning("slack ephemeral not sent", extra={"error": str(exc)})

        return send

    async def _first(self, key: str) -> bool:
        return await asyncio.to_thread(self._claim, key)

    def _claim(self, key: str) -> bool:
        with self.app.sessions.begin() as session:
            return state.claim(session, key[:255], self.app.clock())

    def _reference_of_thread(self, channel: str, ts: str) -> str | None:
        with self.app.sessions() as session:
            return state.reference_of_thread(session, channel, ts)

    async def _name(self, client: AsyncWebClient, user: str, fallback: str = "") -> str:
        """The engineer's name as the customer should read it (signs the reply)."""
        try:
            info = await client.users_info(user=user)
        except SlackApiError:
            return fallback or user
        person = info.get("user") or {}
        profile = person.get("profile") or {}
        return str(
            profile.get("real_name")
            or person.get("real_name")
            or person.get("name")
            or fallback
            or user
        )


def _action(body: dict[str, Any]) -> dict[str, Any]:
    actions = body.get("actions") or [{}]
    return dict(actions[0])


def _user_name(body: dict[str, Any]) -> str:
    person = body.get("user") or {}
    return str(person.get("name") or person.get("username") or "")
