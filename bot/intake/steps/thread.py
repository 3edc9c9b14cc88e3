"""Finding the ticket a message belongs to.

In order of trust: the message it replies to (In-Reply-To, then References nearest first) among
messages we sent or received; an id we minted and signed; for bounces, the original they report
on; finally a reference quoted in the subject or body — accepted only from the ticket's contact or
a colleague at the same (non-webmail) domain. A reference quoted by a stranger opens a new ticket
linked to the quoted one, so nobody can add to another customer's ticket by naming it.
"""

from __future__ import annotations

from bot.intake.context import IntakeContext
from bot.messages import InboundMessage
from storage import repositories as repo
from storage.models import Ticket

# A shared domain means "same customer" only for company domains.
_WEBMAIL = {
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "live.com",
    "live.co.uk", "yahoo.com", "yahoo.co.uk", "icloud.com", "me.com", "aol.com", "gmx.com",
    "gmx.net", "mail.com", "proton.me", "protonmail.com", "btinternet.com", "sky.com",
    "virginmedia.com", "talktalk.net", "mweb.co.za", "telkomsa.net", "webmail.co.za",
    "vodamail.co.za", "ymail.com", "zoho.com",
}  # fmt: skip


def match_thread(ctx: IntakeContext) -> None:
    msg = ctx.inbound
    ticket = _by_message_ids(ctx, msg)
    if ticket is None:
        ticket = _by_quoted_reference(ctx, msg)
    ctx.ticket = ticket


def _by_message_ids(ctx: IntakeContext, msg: InboundMessage) -> Ticket | None:
    ids = [msg.in_reply_to, *reversed(msg.references), msg.signals.reported_message_id]
    wanted = [i for i in dict.fromkeys(ids) if i]
    ticket = repo.ticket_of_message_ids(ctx.session, msg.channel, wanted)
    if ticket is not None:
        return ticket
    for message_id in wanted:
        reference = ctx.deps.signer.reference_of(message_id)
        if reference:
            found = repo.ticket_by_reference(ctx.session, reference)
            if found is not None:
                return found
    return None


def _by_quoted_reference(ctx: IntakeContext, msg: InboundMessage) -> Ticket | None:
    references = ctx.deps.references.find_all(f"{msg.subject}\n{msg.reply_text}")
    for reference in references:
        ticket = repo.ticket_by_reference(ctx.session, reference)
        if ticket is None:
            continue
        if _same_customer(ticket, msg.sender_address):
            return ticket
        ctx.linked_ticket = ctx.linked_ticket or ticket
    return None


def _same_customer(ticket: Ticket, sender: str) -> bool:
    contact = ticket.contact.email if ticket.contact else None
    if not contact or not sender:
        return False
    if contact == sender:
        return True
    domain = sender.rpartition("@")[2]
    return domain == contact.rpartition("@")[2] and domain not in _WEBMAIL
