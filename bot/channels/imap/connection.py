"""Opening an IMAP session: TLS as configured, a timeout on every socket operation, login.

imapclient blocks; the poller runs it in worker threads. A timeout on the socket (connect and
every read or write) is what guarantees that a silent server can never hang a worker forever.
"""

from __future__ import annotations

import contextlib
import ipaddress
import ssl

from imapclient import IMAPClient, SocketTimeout

from bot.config import ImapConfig
from bot.errors import ConfigError


def connect(config: ImapConfig, password: str) -> IMAPClient:
    """Connect, secure the session as configured, and log in.

    STARTTLS is required when configured: a server that does not offer it fails the attempt
    rather than falling back to plain text (the password would travel in clear).
    """
    context = tls_context(config.ca_file) if config.security != "none" else None
    timeout = SocketTimeout(connect=config.timeout_seconds, read=config.timeout_seconds)
    client = IMAPClient(
        config.host,
        port=config.port,
        ssl=config.security == "ssl",
        ssl_context=context,
        timeout=timeout,
    )
    try:
        if config.security == "starttls":
            client.starttls(context)
        client.login(config.username, password)
    except BaseException:
        close(client, polite=False)
        raise
    return client


def announced_new_mail(client: IMAPClient) -> bool:
    """Whether the server sent ``* n EXISTS`` since last asked, and forget it.

    A server reports new mail once, in the response to whatever command is running (RFC 3501
    §7.3.1). If that is our SEARCH, imaplib files it away, and a following IDLE would not hear
    of it again: the message would wait for the next poll. So the poller asks before IDLE.
    """
    return bool(client._imap.untagged_responses.pop("EXISTS", None))


def tls_context(ca_file: str) -> ssl.SSLContext:
    """A verifying context (hostname and chain); ``ca_file`` replaces the system CAs."""
    try:
        return ssl.create_default_context(cafile=ca_file or None)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"email.imap.ca_file: cannot load {ca_file}: {exc}") from None


def close(client: IMAPClient, *, polite: bool) -> None:
    """Log out (polite) or just drop the socket; never raises, the session is over either way."""
    if polite:
        try:
            client.logout()
            return
        except Exception:  # noqa: S110 - the server may already be gone; shutdown below
            pass
    with contextlib.suppress(Exception):  # nothing more to release
        client.shutdown()


def check_plain_text_allowed(config: ImapConfig) -> None:
    """``security = "none"`` sends the password in clear, so it is for loopback test servers."""
    if config.security != "none":
        return
    try:
        loopback = ipaddress.ip_address(config.host).is_loopback
    except ValueError:
        loopback = config.host == "localhost"
    if not loopback:
        raise ConfigError(
            f'email.imap.security = "none" is only allowed for a loopback host, not {config.host}'
        )
