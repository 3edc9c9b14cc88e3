"""Connecting: SSL and STARTTLS against Dovecot with a private CA; refusals; back-off."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from imapclient.exceptions import CapabilityError
from sqlalchemy.orm import sessionmaker

from bot.app import App
from bot.channels.imap import ImapPoller
from bot.channels.imap.connection import announced_new_mail, connect
from bot.config import ImapConfig
from bot.errors import ConfigError
from bot.retry import backoff_delay
from tests.channels.conftest import (
    PASSWORD_ENV,
    imap_config,
    poller_for,
    running,
    tickets,
    wait_until,
)
from tests.channels.dovecot import Dovecot, append, make_mail
from tests.conftest import Clock

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_ssl_and_starttls_verify_the_server_against_ca_file(dovecot: Dovecot) -> None:
    ssl_config = imap_config(
        dovecot, "tls", security="ssl", port=dovecot.tls_port, ca_file=str(dovecot.cert)
    )
    with connect(ssl_config, "pw") as client:
        assert client.select_folder("INBOX")[b"UIDVALIDITY"]
    starttls = imap_config(dovecot, "tls", security="starttls", ca_file=str(dovecot.cert))
    with connect(starttls, "pw") as client:
        assert client._starttls_done
        assert client.select_folder("INBOX")[b"UIDVALIDITY"]


def test_a_server_certificate_we_do_not_trust_is_refused(dovecot: Dovecot) -> None:
    import ssl

    config = imap_config(dovecot, "tls", security="ssl", port=dovecot.tls_port)
    with pytest.raises(ssl.SSLCertVerificationError):
        connect(config, "pw")  # the system CAs do not know the test certificate


@sqlite_only
async def test_poller_reads_over_starttls(
    make_app: Callable[..., App],
    dovecot: Dovecot,
    imap_user: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "pw")
    append(dovecot, imap_user, [make_mail(1)])
    app = make_app()
    config = imap_config(dovecot, imap_user, security="starttls", ca_file=str(dovecot.cert))
    async with running(poller_for(app, config)):
        await wait_until(lambda: tickets(app.sessions) == 1, 10, "read over STARTTLS")


def test_plain_text_is_refused_for_a_remote_host(
    dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "pw")
    config = imap_config(dovecot, "x", host="imap.example.com")
    with pytest.raises(ConfigError, match="only allowed for a loopback host"):
        _configured(config)


def test_a_missing_password_variable_stops_the_start(
    dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    with pytest.raises(ConfigError, match=PASSWORD_ENV):
        _configured(imap_config(dovecot, "x"))


def test_an_unreadable_ca_file_stops_the_start(
    dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "pw")
    config = imap_config(dovecot, "x", security="ssl", ca_file="/nonexistent/ca.pem")
    with pytest.raises(ConfigError, match="ca_file"):
        _configured(config)


def test_a_destination_folder_cannot_also_be_read(
    dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "pw")
    with pytest.raises(ConfigError, match="both read and a destination"):
        _configured(imap_config(dovecot, "x", processed_folder="INBOX"))


def test_a_silent_server_times_out_and_starttls_is_never_skipped(dovecot: Dovecot) -> None:
    # The IMAPS port sends no plain-text greeting: the client waits, and must give up.
    config = imap_config(
        dovecot, "tls", security="starttls", port=dovecot.tls_port, timeout_seconds=0.5
    )
    started = time.monotonic()
    with pytest.raises((CapabilityError, OSError)):
        connect(config, "pw")
    assert time.monotonic() - started < 2


def test_backoff_doubles_with_jitter_up_to_the_cap() -> None:
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (10, 300.0), (50, 300.0)]:
        delays = [backoff_delay(attempt, 1.0, 300.0) for _ in range(200)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jittered: many folders never reconnect in lockstep


class _NoIntake:
    """The configuration is checked before anything is stored: no database needed."""

    def store_raw(self, data: bytes, *, channel: str, mailbox: str) -> int:
        raise AssertionError("not reached")

    def process(self, raw_id: int) -> object:
        raise AssertionError("not reached")


def _configured(config: ImapConfig) -> ImapPoller:
    return ImapPoller(config, _NoIntake(), sessionmaker(), Clock())


def test_new_mail_announced_during_another_command_is_not_missed(
    dovecot: Dovecot, imap_user: str
) -> None:
    with dovecot.connect(imap_user) as client:
        client.select_folder("INBOX")
        announced_new_mail(client)  # SELECT's own EXISTS
        assert not announced_new_mail(client)
        append(dovecot, imap_user, [make_mail(1)])
        client.search(["UNSEEN"])  # the server tells of the new mail here, in passing
        assert announced_new_mail(client)  # so the poller checks instead of IDLE-waiting
        assert not announced_new_mail(client)
