"""The one way ``run``'s HTTP services bind: a port in use is one clear error naming the
service; port 0 reports the port the kernel chose."""

from __future__ import annotations

import socket

import pytest
from aiohttp import web

from bot.errors import ConfigError
from bot.listen import listen


async def test_port_zero_reports_the_bound_port() -> None:
    runner, port = await listen(web.Application(), "127.0.0.1", 0, "ops")
    try:
        assert port > 0
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    finally:
        await runner.cleanup()


async def test_a_port_in_use_is_a_clear_config_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError, match=rf"^slack: cannot listen on 127\.0\.0\.1:{port}: "):
            await listen(web.Application(), "127.0.0.1", port, "slack")
