"""The SMTP server customers' mail arrives on (an MX or a relay hands it to us).

The handler answers with SMTP status strings only (aiosmtpd decides protocol, we decide business):
``550 5.1.1`` for a recipient we do not serve (never an open relay), ``552 5.3.4`` over the size
limit, ``451 4.3.0`` when the message cannot be stored, and ``250`` only once the raw message is
committed to the database. Processing happens after that, from the store.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Awaitable, Callable
from typing import Any, AnyStr

from aiosmtpd.smtp import SMTP, Envelope, Session

from bot.config import SmtpConfig
from bot.errors import ConfigError, StorageError
from bot.intake.service import IntakeService

log = logging.getLogger(__name__)


class _IntakeSMTP(SMTP):
    """aiosmtpd's protocol with the enhanced status code our contract names for size, and
    tolerant of over-long lines: RFC 5321 §4.5.3.1.6 caps them at 1000 octets, but refusing a
    customer's report for a mailer's formatting would lose it; the size limit still applies."""

    def __init__(self, handler: Any, **kwargs: Any) -> None:
        # Read before SMTP.__init__ sizes its stream buffer with it.
        self.line_length_limit = int(kwargs.get("data_size_limit") or 1 << 20) + 2
        super().__init__(handler, **kwargs)

    async def push(self, status: AnyStr) -> None:
        # Our line limit is the size limit, so an over-long line is an over-size message too.
        if isinstance(status, str) and status.startswith(("552 Error", "500 Line too long")):
            limit = self.data_size_limit
            status = f"552 5.3.4 Message too big: the limit is {limit} bytes"
        await super().push(status)


class RecipientPolicy:
    """Which recipients we accept: exact addresses, or ``@domain`` for a whole domain."""

    def __init__(self, accept: tuple[str, ...]) -> None:
        self.addresses = {a.lower() for a in accept if not a.startswith("@")}
        self.domains = {a.lower() for a in accept if a.startswith("@")}

    def accepts(self, address: str) -> bool:
        address = address.strip().lower()
        if address in self.addresses:
            return True
        domain = "@" + address.rpartition("@")[2]
        return "@" in address and domain in self.domains


class IntakeHandler:
    """aiosmtpd handler: recipients checked, raw message stored, processing scheduled."""

    def __init__(
        self,
        intake: IntakeService,
        policy: RecipientPolicy,
        on_stored: Callable[[int], Awaitable[None]],
    ) -> None:
        self.intake = intake
        self.policy = policy
        self.on_stored = on_stored

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if not self.policy.accepts(address):
            return f"550 5.1.1 <{address}>: recipient not served here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        content: Any = envelope.original_content or envelope.content
        data = bytes(content) if not isinstance(content, str) else content.encode("utf-8")
        recipients = tuple(r.lower() for r in envelope.rcpt_tos)
        try:
            raw_id = await asyncio.to_thread(
                self.intake.store_raw,
                data,
                channel="email",
                mailbox=recipients[0] if recipients else "smtp",
                envelope_from=envelope.mail_from or "",
                envelope_to=recipients,
            )
        except Exception as exc:  # never a 5xx for our own trouble: the sender retries a 451
            log.error("smtp store failed", extra={"error": str(exc), "peer": str(session.peer)})
            return "451 4.3.0 Temporary failure storing the message, please try again later"
        log.info("smtp accepted", extra={"raw_id": raw_id, "bytes": len(data)})
        await self.on_stored(raw_id)
        return f"250 2.0.0 OK: queued as {raw_id}"


class SmtpChannel:
    """Runs the SMTP server inside ``intake-bot run``'s event loop."""

    name = "smtp"

    def __init__(
        self,
        config: SmtpConfig,
        intake: IntakeService,
        on_stored: Callable[[int], Awaitable[None]],
    ) -> None:
        self.config = config
        self.handler = IntakeHandler(intake, RecipientPolicy(config.accept), on_stored)
        self.bound_port: int | None = None
        self.tls = self._tls_context()  # at start-up: a bad certificate must stop the bot

    def _tls_context(self) -> ssl.SSLContext | None:
        if not self.config.tls_cert_file:
            return None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        try:
            context.load_cert_chain(self.config.tls_cert_file, self.config.tls_key_file or None)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(
                f"email.smtp.tls_cert_file {self.config.tls_cert_file!r}: cannot load: {exc}"
            ) from None
        return context

    def _protocol(self) -> SMTP:
        return _IntakeSMTP(
            self.handler,
            data_size_limit=self.config.max_message_bytes,
            enable_SMTPUTF8=True,
            decode_data=False,
            hostname=self.config.hostname,
            tls_context=self.tls,
            timeout=self.config.session_timeout_seconds,
        )

    async def run(self, stop: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        try:
            server = await loop.create_server(self._protocol, self.config.host, self.config.port)
        except OSError as exc:
            raise StorageError(  # a listener that cannot bind is a configuration problem
                f"cannot listen on {self.config.host}:{self.config.port}: {exc.strerror or exc}"
            ) from None
        self.bound_port = server.sockets[0].getsockname()[1]
        log.info("smtp listening", extra={"host": self.config.host, "port": self.bound_port})
        try:
            await stop.wait()
        finally:
            server.close()
            await server.wait_closed()
