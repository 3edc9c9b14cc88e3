"""Running the real bot (``run_forever``) in a background thread for SMTP tests."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from bot.app import App
from bot.runner import run_forever


@contextmanager
def running(app: App) -> Iterator[App]:
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    errors: list[BaseException] = []

    def main() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(run_forever(app, stop))
        except BaseException as exc:  # surfaced to the test below
            errors.append(exc)
        finally:
            loop.close()

    thread = threading.Thread(target=main, daemon=True)
    thread.start()
    smtp = app.config.email.smtp
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection((smtp.host, smtp.port), timeout=1) as s:
                if s.recv(64).startswith(b"220"):
                    break
        except OSError:
            pass
        assert not errors, errors
        assert time.monotonic() < deadline, "SMTP server did not start"
        time.sleep(0.05)
    try:
        yield app
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=30)
        assert not thread.is_alive(), "bot did not stop"
        assert not errors, errors


def wait_until(condition: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)
