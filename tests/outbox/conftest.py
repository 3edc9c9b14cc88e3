"""A recording aiosmtpd server playing the smarthost, with optional STARTTLS and AUTH."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.conftest import free_port


@dataclass
class Recorder:
    messages: list[Any] = field(default_factory=list)
    answer: str = "250 OK"  # what DATA answers: set "451 …" or "550 …" to simulate trouble

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.answer.startswith("250"):
            self.messages.append(envelope)
        return self.answer


@dataclass
class Smarthost:
    host: str
    port: int
    recorder: Recorder
    cafile: str | None = None


@pytest.fixture
def smarthost() -> Iterator[Smarthost]:
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield Smarthost("127.0.0.1", controller.port, recorder)
    controller.stop()


@pytest.fixture
def tls_smarthost(tls_cert: tuple[Path, Path]) -> Iterator[Smarthost]:
    import ssl

    cert, key = tls_cert
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    recorder = Recorder()

    def authenticator(
        server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"desk", b"s3cret")
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535

    controller = Controller(
        recorder,
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=context,
        require_starttls=True,
        authenticator=authenticator,
        auth_required=True,
    )
    controller.start()
    yield Smarthost("127.0.0.1", controller.port, recorder, cafile=str(cert))
    controller.stop()
