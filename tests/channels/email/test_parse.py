"""Email parsing: real-world corpora, charsets, filenames, threading ids, and fuzzing."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.email.parse import parse_email

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CORPORA = Path(__file__).resolve().parents[4] / "shared" / "corpora"


def parse(raw: bytes, **kw: object) -> object:
    return parse_email(raw, mailbox="support@desk.example", received_at=NOW, **kw)  # type: ignore[arg-type]


def _mail(**headers: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = headers.pop("From", "Jane Doe <jane@acme.example>")
    msg["To"] = "support@desk.example"
    msg["Subject"] = headers.pop("Subject", "Firewall down")
    for k, v in headers.items():
        msg[k.replace("_", "-")] = v
    return msg


def test_plain_message_fields() -> None:
    msg = _mail(
        Message_ID="<abc@acme.example>",
        In_Reply_To="<x@desk.example>",
        References="<r1@a> <x@desk.example>",
    )
    msg.set_content(
        "Hello\n\nthe firewall is down.\n\nJane\n\nOn Mon, Support wrote:\n> old text\n"
    )
    m = parse(msg.as_bytes())
    assert m.external_id == "abc@acme.example"
    assert m.sender_address == "jane@acme.example"
    assert m.sender_name == "Jane Doe"
    assert m.in_reply_to == "x@desk.example"
    assert m.references == ("r1@a", "x@desk.example")
    assert "firewall is down" in m.reply_text
    assert "old text" not in m.reply_text
    assert "old text" in m.quoted_text
    assert "old text" in m.text  # the full text is kept


def test_missing_message_id_gets_a_deterministic_one() -> None:
    msg = _mail()
    msg.set_content("no id here")
    a, b = parse(msg.as_bytes()), parse(msg.as_bytes())
    assert a.external_id == b.external_id
    assert a.external_id.endswith("@no-message-id.invalid")
    other = _mail()
    other.set_content("different text")
    assert parse(other.as_bytes()).external_id != a.external_id


def test_html_only_body_becomes_text() -> None:
    msg = _mail()
    msg.set_content(
        "<html><body><p>Switch <b>dead</b></p><p>S/N FCW2231L0AB</p></body></html>", subtype="html"
    )
    m = parse(msg.as_bytes())
    assert "Switch dead" in m.text
    assert "FCW2231L0AB" in m.text
    assert "<p>" not in m.text


def test_prefers_plain_alternative() -> None:
    msg = _mail()
    msg.set_content("plain version")
    msg.add_alternative("<p>html version</p>", subtype="html")
    assert parse(msg.as_bytes()).text == "plain version"


def test_mislabelled_charset_is_decoded_not_blanked() -> None:
    raw = (
        b"From: a@b.example\r\nSubject: x\r\nContent-Type: text/plain; charset=us-ascii\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\nCaf\xc3\xa9 \xe2\x82\xac5\r\n"
    )
    m = parse(raw)
    assert "Café €5" in m.text
    assert not m.decode_warnings


def test_undecodable_bytes_are_flagged() -> None:
    raw = (
        b"From: a@b.example\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\nserial \xff\xfe\xfa ABC123 and more words here\r\n"
    )
    m = parse(raw)
    assert "ABC123" in m.text


def test_rfc2231_and_encoded_word_filenames() -> None:
    msg = _mail()
    msg.set_content("see attached")
    msg.add_attachment(b"log line\n", maintype="text", subtype="plain", filename="journal été.log")
    raw = msg.as_bytes()
    assert b"filename*=" in raw  # the stdlib writes RFC 2231 for non-ASCII names
    (att,) = parse(raw).attachments
    assert att.filename == "journal été.log"
    assert att.data == b"log line\n"
    encoded = raw.replace(
        b"filename*=utf-8''journal%20%C3%A9t%C3%A9.log",
        b'filename="=?utf-8?q?journal_=C3=A9t=C3=A9.log?="',
    )
    (att2,) = parse(encoded).attachments
    assert att2.filename == "journal été.log"


def test_encoded_subject_and_sender() -> None:
    raw = (
        b"From: =?utf-8?q?Zo=C3=AB_Smith?= <zoe@acme.example>\r\n"
        b"Subject: =?iso-8859-1?q?Caf=E9_firewall?=\r\n\r\nbody\r\n"
    )
    m = parse(raw)
    assert m.sender_name == "Zoë Smith"
    assert m.subject == "Café firewall"


def test_automation_signals() -> None:
    msg = _mail(Auto_Submitted="auto-replied", Precedence="bulk", List_Id="<l.example>")
    msg.set_content("x")
    s = parse(msg.as_bytes(), envelope_from="").signals
    assert s.auto_submitted == "auto-replied"
    assert s.precedence == "bulk"
    assert s.list_id
    assert s.return_path_empty


def test_forwarded_message_is_quoted_history_and_attachment() -> None:
    inner = _mail(From="Colleague <c@acme.example>", Subject="FortiGate dead")
    inner.set_content("FortiGate 60F serial FGT60FTK20012345 is dead")
    outer = _mail(Subject="Fwd: FortiGate dead")
    outer.set_content("see below")
    outer.add_attachment(inner)
    m = parse(outer.as_bytes())
    assert m.reply_text == "see below"
    assert "FGT60FTK20012345" in m.quoted_text
    assert any(a.content_type == "message/rfc822" for a in m.attachments)


def _corpus_files() -> list[Path]:
    skip = {".yml", ".md"}
    return sorted(p for p in CORPORA.rglob("*") if p.is_file() and p.suffix not in skip)


def test_every_corpus_mail_parses() -> None:
    files = _corpus_files()
    assert len(files) > 200
    for path in files:
        m = parse(path.read_bytes())
        assert m.external_id, path
        assert isinstance(m.text, str)


def test_zammad_expectations_for_sender_and_subject() -> None:
    """Where Zammad's own parser recorded the sender and subject, we agree."""
    import yaml  # type: ignore[import-untyped]

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!ruby/", lambda ld, s, n: ld.construct_mapping(n, deep=True))
    Loader.add_constructor("!binary", lambda ld, n: ld.construct_scalar(n))
    agree = total = 0
    for yml in sorted((CORPORA / "zammad-mail").glob("mail*.yml")):
        box = yml.with_suffix(".box")
        if not box.exists():
            continue
        expected = yaml.load(yml.read_text(errors="replace"), Loader=Loader)
        m = parse(box.read_bytes())
        want = (expected.get("from_email") or "").lower()
        if not want:
            continue
        total += 1
        agree += m.sender_address == want
    assert total > 90
    assert agree / total >= 0.95, f"{agree}/{total}"


# --- fuzzing ---------------------------------------------------------------------------------

_header_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_arbitrary_bytes_never_raise(raw: bytes) -> None:
    m = parse(raw)
    assert m.external_id


@settings(max_examples=200, deadline=None)
@given(
    subject=_header_text,
    name=_header_text,
    body=st.text(max_size=500),
    charset=st.sampled_from(["utf-8", "iso-8859-1", "gb2312", "x-bogus", "utf-7", ""]),
    filename=st.text(max_size=60),
    depth=st.integers(0, 40),
)
def test_generated_mime_never_raises(subject: str, name: str, body: str, charset: str,
                                     filename: str, depth: int) -> None:  # fmt: skip
    boundary_parts = []
    for i in range(depth):
        boundary_parts.append(f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n')
    raw = (
        f"From: {name} <x@y.example>\r\nSubject: {subject}\r\n".encode("utf-8", "surrogatepass")
        + "".join(boundary_parts).encode()
        + f'Content-Type: text/plain; charset="{charset}"\r\n'.encode()
        + f'Content-Disposition: attachment; filename="{filename}"\r\n\r\n'.encode(
            "utf-8", "surrogatepass"
        )
        + body.encode("utf-8", "surrogatepass")
    )
    parse(raw)


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "..\\..\\boot.ini", "a\x00b.txt", "CON", "x" * 5000]
)
def test_hostile_filenames_are_kept_as_data(name: str) -> None:
    msg = _mail()
    msg.set_content("x")
    msg.add_attachment(b"data", maintype="application", subtype="octet-stream", filename="f.bin")
    raw = msg.as_bytes().replace(
        b'filename="f.bin"', f'filename="{name}"'.encode("utf-8", "replace")
    )
    (att,) = parse(raw).attachments
    assert att.data == b"data"  # the name is only data; the store never uses it as a path


def test_delivery_report_names_the_failed_recipient_and_original() -> None:
    from tests.helpers import fixture_mail

    m = parse(fixture_mail("bounce.eml", reply_id="ours-1@desk.example"))
    assert m.signals.delivery_report
    assert m.signals.failed_recipients == ("sarah.collins@harbourfreight.example",)
    assert m.signals.reported_message_id == "ours-1@desk.example"


def test_encoded_display_name_never_becomes_the_address() -> None:
    raw = (
        b"From: =?utf-8?q?thabo=40karoo-logistics=2Eexample?= <attacker@evil.example>\r\n"
        b"Subject: x\r\n\r\nbody\r\n"
    )
    m = parse(raw)
    assert m.sender_address == "attacker@evil.example"
    assert m.sender_name == "thabo@karoo-logistics.example"  # shown, never trusted


def test_raw_utf8_headers_are_read_as_utf8() -> None:
    m = parse("From: José <jose@acme.example>\r\nSubject: Störung\r\n\r\nx\r\n".encode())
    assert (m.sender_name, m.subject) == ("José", "Störung")


def test_screenshot_in_the_html_alternative_and_named_inline_logs_are_kept() -> None:
    msg = _mail()
    msg.set_content("see the screenshot and the log")
    msg.add_alternative("<p>see the <img src='cid:shot'> screenshot</p>", subtype="html")
    html = msg.get_payload()[1]
    html.add_related(b"\x89PNG fake", maintype="image", subtype="png", cid="<shot>")
    raw = msg.as_bytes()
    m = parse(raw)
    assert m.text.startswith("see the screenshot")
    assert [a.content_type for a in m.attachments] == ["image/png"]
    log = _mail()
    log.set_content("the log is attached")
    log.add_attachment("line 1\nline 2\n", filename="switch.log", disposition="inline")
    m = parse(log.as_bytes())
    assert [a.filename for a in m.attachments] == ["switch.log"]
    assert "line 1" not in m.text


def test_reply_to_is_where_answers_go() -> None:
    msg = _mail(From="Portal <noreply@portal.example>", Reply_To="Thabo <thabo@karoo.example>")
    msg.set_content("x")
    m = parse(msg.as_bytes())
    assert (m.sender_address, m.answer_address) == ("noreply@portal.example", "thabo@karoo.example")
