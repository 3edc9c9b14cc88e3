"""A recording fake of the Slack Web API (and of Socket Mode's websocket) on loopback.

Answers the methods the bot calls the way Slack documents them, records every call, and answers
429 (``Retry-After``) on demand, so the real slack_sdk client and bolt app run unchanged.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_USER = "UBOTSELF"
BOT_ID = "BBOTSELF"
TEAM = "T0DESK"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str


@dataclass
class FakeSlack:
    members: list[str] = field(default_factory=list)  # conversations.members of any channel
    calls: list[Call] = field(default_factory=list)
    rate_limit: Counter[str] = field(default_factory=Counter)  # method → 429s still to answer
    envelopes: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)  # to send
    acks: list[dict[str, Any]] = field(default_factory=list)  # socket mode acknowledgements
    port: int = 0
    _runner: web.AppRunner | None = None
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # slack_sdk GETs some (users.info, …)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # -- reading what was called ---------------------------------------------------------------

    def of(self, method: str) -> list[dict[str, Any]]:
        return [c.args for c in self.calls if c.method == method]

    def posts(self, thread_ts: str | None = None) -> list[dict[str, Any]]:
        """chat.postMessage calls; with ``thread_ts``, only the replies in that thread."""
        found = self.of("chat.postMessage")
        if thread_ts is None:
            return [p for p in found if not p.get("thread_ts")]
        return [p for p in found if p.get("thread_ts") == thread_ts]

    # -- the Web API ---------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _arguments(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if self.rate_limit[method] > 0:
            self.rate_limit[method] -= 1
            self.calls.append(Call(method + ":429", args, token))
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "0"}
            )
        self.calls.append(Call(method, args, token))
        return web.json_response(self._answer(method, args))

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        ok: dict[str, Any] = {"ok": True}
        match method:
            case "auth.test":
                return ok | {
                    "user_id": BOT_USER,
                    "bot_id": BOT_ID,
                    "team_id": TEAM,
                    "user": "intake-bot",
                    "team": "Desk",
                    "url": "https://desk.example/",
                }
            case "chat.postMessage":
                ts = f"1790000000.{next(self._ts):06d}"
                return ok | {
                    "channel": args.get("channel"),
                    "ts": ts,
                    "message": {"ts": ts, "text": args.get("text")},
                }
            case "chat.update":
                return ok | {"channel": args.get("channel"), "ts": args.get("ts")}
            case "chat.postEphemeral":
                return ok | {"message_ts": f"1790000000.{next(self._ts):06d}"}
            case "views.open":
                return ok | {"view": {"id": "V0MODAL"}}
            case "users.info":
                user = str(args.get("user"))
                name = {"UENG1": "Priya Shah", "UENG2": "Tom Reed"}.get(user, "Someone Else")
                return ok | {
                    "user": {
                        "id": user,
                        "name": name.split()[0].lower(),
                        "real_name": name,
                        "profile": {"real_name": name},
                    }
                }
            case "conversations.members":
                return ok | {"members": self.members, "response_metadata": {"next_cursor": ""}}
            case "apps.connections.open":
                return ok | {"url": f"ws://127.0.0.1:{self.port}/socket"}
        return {"ok": False, "error": "unknown_method"}

    # -- Socket Mode ---------------------------------------------------------------------------

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1})

        async def send() -> None:
            while True:
                await ws.send_json(await self.envelopes.get())

        sender = asyncio.create_task(send())
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    self.acks.append(json.loads(message.data))
        finally:
            sender.cancel()
        return ws


async def _arguments(request: web.Request) -> dict[str, Any]:
    """slack_sdk sends JSON for some methods and form fields for others; nested values (blocks,
    views) arrive as JSON text in a form."""
    if request.method == "GET":
        return dict(request.query)
    if request.content_type == "application/json":
        data = await request.json()
        return dict(data)
    form = await request.post()
    args: dict[str, Any] = {}
    for key, value in form.items():
        text = str(value)
        if key in ("blocks", "view", "attachments"):
            args[key] = json.loads(text)
        else:
            args[key] = text
    args.update(request.query)
    return args
