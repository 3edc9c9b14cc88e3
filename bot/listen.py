"""Serving an aiohttp application on a configured address, for the services of ``run``
(ops, Slack over HTTP, the Telegram webhook): one place for the bind error and the bound port."""

from __future__ import annotations

from aiohttp import web

from bot.errors import ConfigError


async def listen(
    application: web.Application, host: str, port: int, what: str
) -> tuple[web.AppRunner, int]:
    """Start serving; returns the runner (``cleanup()`` it when done) and the port bound (the
    one asked for, or the kernel's choice for port 0).

    Raises:
        ConfigError: the address cannot be bound (in use, not ours), named with ``what``.
    """
    runner = web.AppRunner(application, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        raise ConfigError(
            f"{what}: cannot listen on {host}:{port}: {exc.strerror or exc}"
        ) from None
    sockets = getattr(site._server, "sockets", None) or []
    return runner, (sockets[0].getsockname()[1] if sockets else port)
