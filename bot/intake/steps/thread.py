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
from storage.models import Contract, Ticket


def match_thread(ctx: IntakeContext) -> None:
    msg = ctx.inbound
    ticket = _by_message_ids(ctx, msg)
    if ticket is None:
        ticket = _by_quoted_reference(ctx, msg)
    ctx.ticket = ticket


def _by_message_ids(ctx: IntakeContext, msg: InboundMessage) -> Ticket | None:
    ids = [msg.in_reply_to, *reversed(msg.references)]
    if ctx.screened_reason is not None:  # a bounce or auto-reply concerns the mail it reports on
        ids.append(msg.signals.reported_message_id)
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
        if _known_to_ticket(ctx, ticket, msg.sender_address):
            return ticket
        ctx.linked_ticket = ctx.linked_ticket or ticket
    return None


def _known_to_ticket(ctx: IntakeContext, ticket: Ticket, sender: str) -> bool:
    if not sender or "@" not in sender:
        return False
    if ticket.contact is not None and ticket.contact.email == sender:
        return True
    if repo.sender_wrote_on(ctx.session, ticket.id, sender):
        return True
    contract = repo.current_field_values(ctx.session, ticket.id).get("contract_number")
    if contract is None:
        return False
    found = ctx.session.get(Contract, contract.value.upper())
    return found is not None and sender.rpartition("@")[2] in found.domains.split()
