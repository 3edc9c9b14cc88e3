"""Where email replies go: a maildir (embedded default) or an SMTP smarthost.

Each transport raises :class:`TransientChannelError` for what a retry may fix and
:class:`PermanentChannelError` for what it will not; the worker decides what to do with both.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from bot.config import OutboundConfig, secret_from_env
from bot.errors import PermanentChannelError, TransientChannelError


class EmailTransport(Protocol):
    def send(self, message: EmailMessage, idempotency_key: str) -> None: ...


class MaildirTransport:
    """Writes each reply as one file in ``<maildir>/new`` (the maildir convention: write to tmp,
    then rename). The file name derives from the reply's Message-ID (a random nonce we minted),
    so a retried delivery after a crash adds nothing — exactly one file per reply — and no two
    replies share a name, even across a database reset or two installations on one maildir."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def send(self, message: EmailMessage, idempotency_key: str) -> None:
        for sub in ("tmp", "new", "cur"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        unique = str(message.get("Message-ID") or idempotency_key).strip("<> ")
        name = "".join(c if c.isalnum() or c in "-_." else "_" for c in unique)[:200]
        final = self.root / "new" / f"{name}.{socket.gethostname()}.eml"
        if final.exists() or (self.root / "cur" / final.name).exists():
            return
        tmp = self.root / "tmp" / f"{name}.{os.getpid()}.{time.monotonic_ns()}"
        with tmp.open("wb") as f:
            f.write(message.as_bytes())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, final)


class SmtpTransport:
    """Delivers to a smarthost with STARTTLS/SSL and AUTH as configured."""

    def __init__(self, config: OutboundConfig) -> None:
        self.config = config

    def send(self, message: EmailMessage, idempotency_key: str) -> None:
        cfg = self.config
        try:
            with self._connect() as smtp:
                if cfg.smtp_security == "starttls":
                    smtp.starttls(context=self._tls_context())
                if cfg.smtp_username:
                    password = secret_from_env(
                        cfg.smtp_password_env, "email.outbound.smtp_password_env"
                    )
                    smtp.login(cfg.smtp_username, password)
                smtp.send_message(message, from_addr=cfg.from_address)
        except smtplib.SMTPAuthenticationError as exc:
            # Our credentials are wrong: a configuration fault to fix, not a reason to give up
            # on the customer's reply. Retried with back-off until someone fixes the config.
            detail = _text(exc.smtp_error)
            raise TransientChannelError(
                f"smarthost refused our login: {exc.smtp_code} {detail}"
            ) from None
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            error = f"recipient refused: {exc.recipients}"
            if all(500 <= c < 600 for c in codes):
                raise PermanentChannelError(error) from None
            raise TransientChannelError(error) from None
        except smtplib.SMTPResponseException as exc:
            text = f"{exc.smtp_code} {_text(exc.smtp_error)}"
            if 500 <= exc.smtp_code < 600:
                raise PermanentChannelError(text) from None
            raise TransientChannelError(text) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise TransientChannelError(f"{type(exc).__name__}: {exc}") from None

    def _connect(self) -> smtplib.SMTP:
        cfg = self.config
        if cfg.smtp_security == "ssl":
            return smtplib.SMTP_SSL(
                cfg.smtp_host,
                cfg.smtp_port,
                timeout=cfg.smtp_timeout_seconds,
                context=self._tls_context(),
            )
        return smtplib.SMTP(cfg.smtp_host, cfg.smtp_port, timeout=cfg.smtp_timeout_seconds)

    def _tls_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.config.smtp_ca_file or None)


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else value


def email_transport(config: OutboundConfig) -> EmailTransport:
    if config.transport == "smtp":
        return SmtpTransport(config)
    return MaildirTransport(Path(config.maildir))
