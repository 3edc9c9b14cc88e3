"""Header injection: no customer-controlled value can add a header, a recipient or a broken line
to a reply we send, through either transport.

Customer values reach our outbound headers by these paths: their display name (→ To), their
From/Reply-To address (→ To and the SMTP RCPT), their Subject (→ ``Re: … [REF]``), their
Message-ID/In-Reply-To/References (→ our In-Reply-To/References), and, through the ticket, an
engineer's reply (subject and To taken from the stored customer message). In an inbound header
CR/LF cannot survive as such, but RFC 2047 encoded words decode to anything, so the named cases
send them that way; the hypothesis cases put arbitrary text straight into the outbox payload.
"""

from __future__ import annotations

import base64
import dataclasses
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import App
from bot.channels.email.compose import build_email
from bot.config import OutboundConfig
from bot.outbox.email import email_deliverer
from bot.outbox.transports import MaildirTransport, SmtpTransport
from tests.conftest import Clock, free_port
from tests.helpers import ingest
from tests.outbox.conftest import Recorder, Smarthost
from tests.outbox.header_checks import assert_clean_headers

INJECTIONS = [
    "\r",
    "\n",
    "\r\n",
    "\r\nBcc: victim@evil.example",
    "\nBcc: victim@evil.example",
    "\rBcc: victim@evil.example",
    "\r\n\r\nbody takeover",
    "\r\n Bcc: victim@evil.example",  # a folded continuation
    "\x00",
    "\x00\r\nBcc: victim@evil.example",
    "\u2028Bcc: victim@evil.example",
    "\u2029Bcc: victim@evil.example",
    "\x85Bcc: victim@evil.example",
    "\x0bBcc: victim@evil.example",
    "\x0cBcc: victim@evil.example",
    "\x1b[31m",
    "\u202e",
    ", victim@evil.example",
    "<victim@evil.example>",
    '"; Bcc: victim@evil.example',
    "=?utf-8?q?=0D=0ABcc=3A_victim=40evil.example?=",
    "Störung café 日本語 😀",
    "x" * 5000,
    "word " * 1000,
    "é" * 3000,
]
EXPECTED = "jane@acme.example"


def _word(text: str) -> str:
    """``text`` as one RFC 2047 encoded word, as a mailer would send any character at all."""
    return "=?utf-8?b?" + base64.b64encode(text.encode("utf-8", "surrogatepass")).decode() + "?="


def customer_mail(
    *,
    name: str = "Jane Doe",
    subject: str = "Firewall down",
    message_id: str = "<m1@acme.example>",
    references: str = "",
    reply_to: str = "",
    body: str = "Our FortiGate 60F is down since this morning.\r\n\r\nRegards,\r\nJane",
    sender: str = EXPECTED,
) -> bytes:
    head = f"From: {_word(name)} <{sender}>\r\nTo: support@desk.example\r\n"
    head += f"Subject: {_word(subject)}\r\n"
    if references:
        head += f"References: {references}\r\nIn-Reply-To: {references.split()[0]}\r\n"
    head += f"Message-ID: {message_id}\r\n"  # last: a raw CR/LF in it cannot hide the others
    if reply_to:
        head += f"Reply-To: {reply_to}\r\n"
    head += "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
    return (head + "\r\n" + body + "\r\n").encode("utf-8", "surrogatepass")


def _maildir_files(app: App) -> list[bytes]:
    new = Path(app.config.email.outbound.maildir) / "new"
    return [p.read_bytes() for p in sorted(new.iterdir())] if new.exists() else []


def _smtp_app(make_app: Callable[..., App], sink: Smarthost) -> App:
    outbound = {"transport": "smtp", "smtp_host": sink.host, "smtp_port": sink.port}
    app = make_app()
    replaced = dataclasses.replace(app.config.email.outbound, **outbound)
    app.config = dataclasses.replace(
        app.config, email=dataclasses.replace(app.config.email, outbound=replaced)
    )
    app.__dict__.pop("outbox", None)
    return app


def _delivered(app: App, sink: Smarthost | None, expected: str = EXPECTED) -> list[bytes]:
    """Deliver what is queued; check each reply; return the raw replies."""
    result = app.outbox.flush()
    assert result.errors == [], result
    if sink is None:
        found = _maildir_files(app)
    else:
        found = []
        for envelope in sink.recorder.messages:
            assert envelope.rcpt_tos == [expected], envelope.rcpt_tos  # only the customer
            assert envelope.mail_from == app.config.email.outbound.from_address
            found.append(envelope.content)
    assert found, "no reply was delivered"
    for raw in found:
        assert_clean_headers(raw, to=expected)  # one To, and it is ``expected``
    return found


@pytest.fixture(params=["maildir", "smtp"])
def desk(
    request: pytest.FixtureRequest, make_app: Callable[..., App], smarthost: Smarthost
) -> tuple[App, Smarthost | None]:
    """The bot delivering to the maildir, or over SMTP to a recording aiosmtpd sink."""
    if request.param == "maildir":
        return make_app(), None
    return _smtp_app(make_app, smarthost), smarthost


# --- named cases, each through the whole intake and both transports ---------------------------


@pytest.mark.parametrize("bad", INJECTIONS)
def test_display_name_and_subject(desk: tuple[App, Smarthost | None], bad: str) -> None:
    app, sink = desk
    result = ingest(app, customer_mail(name=f"Eve{bad}Smith", subject=f"Router{bad}dead"))
    assert result.status == "processed", result.outcome
    (raw,) = _delivered(app, sink)
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert b"Subject: Re: " in head
    assert result.reference
    assert result.reference.encode() in head


@pytest.mark.parametrize("bad", INJECTIONS)
def test_thread_ids(desk: tuple[App, Smarthost | None], bad: str) -> None:
    """Message-IDs are matched by ``<([^<>\\s]+)>`` on the way in, so only what survives that
    can reach us: NUL, U+2028, U+0085, non-ASCII, long ids. None may break our headers."""
    app, sink = desk
    token = bad.replace("<", "").replace(">", "")
    raw = customer_mail(
        message_id=f"<m{token}@acme.example>",
        references=f"<r2@acme.example> <r1{token}@acme.example>",
    )
    assert ingest(app, raw).status == "processed"
    (reply,) = _delivered(app, sink)
    head = reply.split(b"\r\n\r\n", 1)[0]
    # Ids we cannot repeat verbatim (NUL, ESC, non-ASCII, over 900 octets) are left out; the
    # well-formed ones still thread the reply.
    assert b"References: <r2@acme.example>" in head


def test_long_but_valid_thread_ids_are_kept_verbatim(desk: tuple[App, Smarthost | None]) -> None:
    """Found by these tests: ids longer than 78 characters were RFC 2047-encoded by the stdlib
    (``In-Reply-To: =?utf-8?q?=3Caaa…?=``), which no mail client threads on."""
    app, sink = desk
    long_id = "CAH" + "x" * 150 + "@mail.gmail.example"
    raw = customer_mail(message_id=f"<{long_id}>", references="<root@acme.example>")
    assert ingest(app, raw).status == "processed"
    (reply,) = _delivered(app, sink)
    assert f"In-Reply-To: <{long_id}>".encode() in reply
    assert b"=?" not in reply.split(b"\r\n\r\n", 1)[0].split(b"References:")[1]


@pytest.mark.parametrize(
    ("reply_to", "expected"),
    [
        ("victim@evil.example, jane2@acme.example", "victim@evil.example"),  # first one only
        ('"victim@evil.example" <jane2@acme.example>', "jane2@acme.example"),
        (_word("victim@evil.example") + " <jane2@acme.example>", "jane2@acme.example"),
        ("<@evil.example:jane2@acme.example>", None),  # source route: whatever, one recipient
        ("jane2@acme.example (Bcc: victim@evil.example)", "jane2@acme.example"),
        ("undisclosed-recipients:;", EXPECTED),  # a group with nobody: answer the sender
    ],
)
def test_reply_to_gives_exactly_one_recipient(
    desk: tuple[App, Smarthost | None], reply_to: str, expected: str | None
) -> None:
    app, sink = desk
    assert ingest(app, customer_mail(reply_to=reply_to)).status == "processed"
    if expected is None:
        with app.sessions() as session:
            from storage.models import OutboxItem

            (item,) = session.query(OutboxItem).all()
            expected = str(item.payload["to"])
    _delivered(app, sink, expected=expected)


@pytest.mark.parametrize("bad", INJECTIONS)
def test_contact_name_in_the_body_only_reaches_the_greeting(
    desk: tuple[App, Smarthost | None], bad: str
) -> None:
    app, sink = desk
    body = f"Our switch is dead.\r\n\r\nRegards,\r\nJane{bad} Doe\r\nAcme Ltd\r\n"
    assert ingest(app, customer_mail(name="", body=body)).status == "processed"
    _delivered(app, sink)


@pytest.mark.parametrize("bad", INJECTIONS)
def test_engineer_reply(desk: tuple[App, Smarthost | None], bad: str) -> None:
    """An engineer's reply reads the customer's stored name and subject, and adds their own
    text and name: all of it stays out of the headers."""
    app, sink = desk
    result = ingest(app, customer_mail(name=f"Eve{bad}", subject=f"Down{bad}"))
    assert result.reference is not None
    app.outbox.flush()
    if sink is not None:
        sink.recorder.messages.clear()
    else:
        for f in (Path(app.config.email.outbound.maildir) / "new").iterdir():
            f.unlink()
    app.ticket_actions.reply(
        result.reference, f"Please reboot it{bad}.", actor="eng", engineer=f"Sam{bad}"
    )
    (raw,) = _delivered(app, sink)
    assert b"Auto-Submitted" not in raw.split(b"\r\n\r\n", 1)[0]  # a person wrote this one


# --- hypothesis: arbitrary values straight into the outbox payload, both transports -----------

_dangerous = st.sampled_from(INJECTIONS[:21])
_values = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(_dangerous, st.text(max_size=20)), max_size=8).map("".join),
    st.text(alphabet=st.sampled_from('\r\n\x00\x85\u2028\u2029 :<>",;=?Bcc@'), max_size=60),
)


@dataclasses.dataclass
class Sinks:
    maildir: Path
    smtp: Smarthost


@pytest.fixture(scope="module")
def sinks() -> Iterator[Sinks]:
    """One maildir and one recording SMTP sink for all hypothesis examples of this module."""
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield Sinks(
        Path(tempfile.mkdtemp(prefix="outbox-")), Smarthost("127.0.0.1", controller.port, recorder)
    )
    controller.stop()


def _payload(**values: Any) -> dict[str, Any]:
    return {
        "to": EXPECTED,
        "to_name": "Jane",
        "subject": "Re: Firewall down [SR-2026-000001-B]",
        "text": "Hello Jane,\n\nWe have logged your report.\n",
        "message_id": "SR-2026-000001-B.0011223344556677.0123456789abcdef@desk.example",
        "in_reply_to": "abc@acme.example",
        "references": ["abc@acme.example"],
        "auto_generated": True,
    } | values


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    to_name=_values,
    subject=_values,
    in_reply_to=_values,
    references=st.lists(_values, max_size=5),
    text=_values,
)
def test_any_payload_values_through_both_transports(
    sinks: Sinks, to_name: str, subject: str, in_reply_to: str, references: list[str], text: str
) -> None:
    payload = _payload(
        to_name=to_name, subject=subject, in_reply_to=in_reply_to, references=references,
        text=text or "x",
    )  # fmt: skip
    outbound = OutboundConfig(
        from_address="support@desk.example",
        transport="smtp",
        smtp_host=sinks.smtp.host,
        smtp_port=sinks.smtp.port,
        smtp_timeout_seconds=10,
    )
    clock = Clock()
    maildir = MaildirTransport(sinks.maildir)
    before = set((sinks.maildir / "new").iterdir()) if (sinks.maildir / "new").exists() else set()
    email_deliverer(outbound, clock, maildir)(payload, "k")
    (written,) = set((sinks.maildir / "new").iterdir()) - before
    raw = written.read_bytes()
    written.unlink()  # first: the next example reuses our Message-ID, even after a failure here
    assert_clean_headers(raw, to=EXPECTED)

    sinks.smtp.recorder.messages.clear()
    email_deliverer(outbound, clock, SmtpTransport(outbound))(payload, "k")
    (envelope,) = sinks.smtp.recorder.messages
    assert envelope.rcpt_tos == [EXPECTED]
    assert_clean_headers(envelope.content, to=EXPECTED)


@settings(max_examples=100, deadline=None)
@given(to=_values)
def test_any_recipient_value_is_one_address_or_refused(to: str) -> None:
    """The To address comes from parsing; whatever it holds, it is one address or refused."""
    from bot.errors import PermanentChannelError

    try:
        message = build_email(_payload(to=to), OutboundConfig(), "Mon, 23 Nov 2026 09:00:00 +0000")
    except PermanentChannelError:
        return
    assert_clean_headers(message.as_bytes())
    assert len(message["To"].addresses) == 1
