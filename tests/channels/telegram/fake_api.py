"""A local fake of the Telegram Bot API (aiohttp on 127.0.0.1) that records every call.

Enough of the API for the real PTB ``Application`` and our deliverer: getMe, getUpdates (queued
updates, ``offset`` honoured, a brief long-poll), sendMessage, getFile and the file download,
answerCallbackQuery, editMessageText, setWebhook/deleteWebhook, and a 429 on demand.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 7000001


@dataclass
class Call:
    method: str
    params: dict[str, Any]


@dataclass
class FakeBotApi:
    token: str
    calls: list[Call] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    too_big: set[str] = field(default_factory=set)  # file ids getFile refuses (over 20 MB)
    flood_sends: int = 0  # the next N sendMessage calls get 429 retry_after=1
    base: str = ""
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(5000))
    _update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(900001))
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(101))

    # -- what tests do -----------------------------------------------------------------------

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def next_message_id(self) -> int:
        return next(self._message_ids)

    def push(self, update: dict[str, Any]) -> None:
        self.updates.append(update)

    def of(self, method: str, chat: int | None = None) -> list[dict[str, Any]]:
        found = [c.params for c in self.calls if c.method == method]
        if chat is not None:
            found = [p for p in found if int(p.get("chat_id", 0)) == chat]
        return found

    # -- the server --------------------------------------------------------------------------

    def application(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._method)
        app.router.add_get("/file/bot{token}/{path:.*}", self._file)
        return app

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return dict(await request.json())
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():
            text = str(value)
            try:
                params[key] = json.loads(text)
            except ValueError:
                params[key] = text
        return params

    async def _method(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await self._params(request)
        handler = getattr(self, f"_{method}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        self.calls.append(Call(method, params))
        return await handler(params)  # type: ignore[no-any-return]

    async def _getMe(self, params: dict[str, Any]) -> web.Response:
        return _ok({"id": BOT_ID, "is_bot": True, "first_name": "Desk", "username": "desk_bot"})

    async def _getUpdates(self, params: dict[str, Any]) -> web.Response:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 0.2)
        while True:
            # confirming an offset forgets the updates before it, as Telegram does
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            if self.updates or time.monotonic() >= deadline:
                return _ok(list(self.updates))
            await asyncio.sleep(0.02)

    async def _sendMessage(self, params: dict[str, Any]) -> web.Response:
        if self.flood_sends > 0:
            self.flood_sends -= 1
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests: retry after 1",
                    "parameters": {"retry_after": 1},
                },
                status=429,
            )
        chat = int(params["chat_id"])
        if chat < 0 and chat == -404:
            return _error(400, "Bad Request: chat not found")
        message = self._message(chat, str(params.get("text", "")))
        params["sent_message_id"] = message["message_id"]  # for tests pressing its buttons
        return _ok(message)

    async def _editMessageText(self, params: dict[str, Any]) -> web.Response:
        return _ok(self._message(int(params["chat_id"]), str(params.get("text", ""))))

    async def _answerCallbackQuery(self, params: dict[str, Any]) -> web.Response:
        return _ok(True)

    async def _setWebhook(self, params: dict[str, Any]) -> web.Response:
        return _ok(True)

    async def _deleteWebhook(self, params: dict[str, Any]) -> web.Response:
        return _ok(True)

    async def _getFile(self, params: dict[str, Any]) -> web.Response:
        file_id = str(params["file_id"])
        if file_id in self.too_big:
            return _error(400, "Bad Request: file is too big")
        if file_id not in self.files:
            return _error(400, "Bad Request: invalid file_id")
        path, data = self.files[file_id]
        return _ok(
            {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_size": len(data),
                "file_path": path,
            }
        )

    async def _file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        self.calls.append(Call("download", {"path": request.match_info["path"]}))
        for path, data in self.files.values():
            if path == request.match_info["path"]:
                return web.Response(body=data)
        return web.Response(status=404)

    def _message(self, chat: int, text: str) -> dict[str, Any]:
        return {
            "message_id": self.next_message_id(),
            "date": int(time.time()),
            "chat": {"id": chat, "type": "private"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Desk"},
            "text": text,
        }


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(code: int, description: str) -> web.Response:
    return web.json_response(
        {"ok": False, "error_code": code, "description": description}, status=code
    )
