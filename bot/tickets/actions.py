"""Engineers' actions on a ticket: claim, re-prioritise, escalate, note, ask, reply, resolve.

One place for the rules, whichever front end calls (Slack buttons and ``/ticket``, the command
line): each action is one transaction that changes the ticket, writes its audit event, and — for
what the customer must read — queues the message in the outbox on the customer's own channel.
Internal notes never leave the desk.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, select
from sqlalchemy.orm import Session, sessionmaker

from bot.channels.email.message_id import MessageIdSigner
from bot.config import Config
from bot.errors import IntakeError
from bot.intake.events import add_event
from bot.outbox.queue import queue_outbound
from bot.references import ReferenceFormat
from bot.sla.targets import due_times
from bot.tickets.customer_reply import to_customer
from storage import repositories as repo
from storage.models import Contract, Note, Ticket

PRIORITIES = ("P1", "P2", "P3", "P4")
OPEN_STATUSES = ("new", "waiting_customer", "open")


class TicketActionError(IntakeError):
    """An engineer's request that cannot be done (unknown reference, bad priority, ...)."""


@dataclass(frozen=True, slots=True)
class ActionResult:
    reference: str
    summary: str  # one line for the engineer: what happened
    channel: str | None = None  # where the customer's message went, when one was queued


@dataclass(frozen=True, slots=True)
class OpenTicket:
    reference: str
    priority: str | None
    status: str
    subject: str
    assignee: str | None
    created_at: datetime


class TicketActions:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        config: Config,
        signer: MessageIdSigner,
        clock: Callable[[], datetime],
    ) -> None:
        self.sessions = sessions
        self.config = config
        self.signer = signer
        self.clock = clock
        r = config.reference
        self.references = ReferenceFormat(r.prefix, r.digits, r.include_year)

    # -- changing the ticket -------------------------------------------------------------------

    def assign(self, reference: str, assignee: str, *, actor: str) -> ActionResult:
        """Claim (assignee = actor) or hand the ticket to someone."""
        with self.sessions.begin() as session:
            ticket = self._ticket(session, reference)
            previous = ticket.assignee
            assignee = _plain(assignee)
            ticket.assignee = assignee[:255]
            self._touch(session, ticket, "assigned", actor, assignee=assignee, previous=previous)
            return ActionResult(ticket.reference, f"{ticket.reference} assigned to {assignee}")

    def set_priority(self, reference: str, priority: str, *, actor: str) -> ActionResult:
        wanted = priority.strip().upper()
        if wanted not in PRIORITIES:
            raise TicketActionError(f"unknown priority {priority!r}: use one of P1, P2, P3, P4")
        with self.sessions.begin() as session:
            ticket = self._ticket(session, reference)
            previous = ticket.priority
            if previous == wanted:
                return ActionResult(ticket.reference, f"{ticket.reference} is already {wanted}")
            ticket.priority = wanted
            self._touch(
                session, ticket, "priority_changed", actor, previous=previous, priority=wanted
            )
            self._retarget(session, ticket, actor)
            return ActionResult(
                ticket.reference, f"{ticket.reference} priority {previous or '-'} → {wanted}"
            )

    def escalate(self, reference: str, reason: str, *, actor: str) -> ActionResult:
        with self.sessions.begin() as session:
            ticket = self._ticket(session, reference)
            self._touch(session, ticket, "escalated", actor, reason=_plain(reason).strip()[:2000])
            return ActionResult(ticket.reference, f"{ticket.reference} escalated")

    def add_note(self, reference: str, text: str, *, actor: str) -> ActionResult:
        """An internal note: engineers see it; the customer never does."""
        text = _required(text, "note")
        with self.sessions.begin() as session:
            ticket = self._ticket(session, reference)
            session.add(
                Note(ticket_id=ticket.id, at=self.clock(), author=_plain(actor)[:255], text=text)
            )
            self._touch(session, ticket, "note_added", actor, text=text[:500])
            return ActionResult(ticket.reference, f"note added to {ticket.reference}")

    # -- writing to the customer ---------------------------------------------------------------

    def reply(self, reference: str, text: str, *, actor: str, engineer: str = "") -> ActionResult:
        return self._to_customer(reference, text, actor, engineer, kind="reply", status=None)

    def ask(self, reference: str, question: str, *, actor: str, engineer: str = "") -> ActionResult:
        """A question to the customer; the ticket waits for their answer."""
        return self._to_customer(
            reference, question, actor, engineer, kind="question", status="waiting_customer"
        )

    def resolve(
        self, reference: str, synopsis: str, *, actor: str, engineer: str = ""
    ) -> ActionResult:
        """Resolved, with the synopsis (issue, steps taken, resolution) sent to the customer."""
        return self._to_customer(
            reference, synopsis, actor, engineer, kind="resolution", status="resolved"
        )

    def _to_customer(
        self,
        reference: str,
        text: str,
        actor: str,
        engineer: str,
        *,
        kind: str,
        status: str | None,
    ) -> ActionResult:
        text = _required(text, kind)
        now = self.clock()
        with self.sessions.begin() as session:
            ticket = self._ticket(session, reference)
            message = to_customer(
                session,
                ticket,
                text,
                kind=kind,
                engineer=_plain(engineer or _display(actor)),
                desk_name=self.config.intake.desk_name,
                signer=self.signer,
            )
            if message is None:
                raise TicketActionError(
                    f"{ticket.reference} has no customer message to answer; nothing was sent"
                )
            count = len(repo.outbox_of(session, ticket.id))
            queue_outbound(
                session,
                ticket,
                message,
                key=f"{kind}:{ticket.id}:{count}:{now.isoformat()}",
                from_address=self.config.email.outbound.from_address,
                now=now,
                kind=f"engineer_{kind}",
            )
            if status is not None and ticket.status != status:
                previous, ticket.status = ticket.status, status
                self._touch(
                    session, ticket, "status_changed", actor, previous=previous, status=status
                )
            if kind == "resolution":
                self._touch(session, ticket, "resolved", actor, synopsis=text[:2000])
            ticket.updated_at = now
            return ActionResult(
                ticket.reference,
                f"{kind} queued to the customer of {ticket.reference} by {message.channel}",
                channel=message.channel,
            )

    # -- reading -------------------------------------------------------------------------------

    def open_tickets(self, limit: int = 50) -> list[OpenTicket]:
        """Open tickets, most urgent first, oldest first within a priority."""
        rank = case({p: n for n, p in enumerate(PRIORITIES)}, value=Ticket.priority, else_=9)
        with self.sessions() as session:
            rows = session.scalars(
                select(Ticket)
                .where(Ticket.status.in_(OPEN_STATUSES))
                .order_by(rank, Ticket.created_at, Ticket.id)
                .limit(limit)
            ).all()
            return [
                OpenTicket(t.reference, t.priority, t.status, t.subject, t.assignee, t.created_at)
                for t in rows
            ]

    def normalise(self, reference: str) -> str:
        """``sr-2026-000042-k`` → ``SR-2026-000042-K``; a malformed one is an error."""
        wanted = reference.strip().upper()
        if not self.references.is_valid(wanted):
            raise TicketActionError(f"{reference.strip()!r} is not a ticket reference")
        return wanted

    # -- helpers -------------------------------------------------------------------------------

    def _ticket(self, session: Session, reference: str) -> Ticket:
        wanted = self.normalise(reference)
        ticket = repo.ticket_by_reference(session, wanted)
        if ticket is None:
            raise TicketActionError(f"no ticket {wanted}")
        return ticket

    def _touch(
        self, session: Session, ticket: Ticket, kind: str, actor: str, **detail: object
    ) -> None:
        ticket.updated_at = self.clock()
        add_event(session, ticket, kind, _plain(actor), ticket.updated_at, **detail)

    def _retarget(self, session: Session, ticket: Ticket, actor: str) -> None:
        """New due times for the new priority, counted from when the ticket was opened."""
        assert ticket.priority is not None
        sla = self.config.sla
        contract_value = repo.current_field_values(session, ticket.id).get("contract_number")
        contract = session.get(Contract, contract_value.value.upper()) if contract_value else None
        if contract is not None and contract.around_the_clock and not sla.around_the_clock:
            sla = dataclasses.replace(sla, around_the_clock=True)
        due = due_times(ticket.priority, ticket.created_at, sla)
        ticket.response_due_at, ticket.resolution_due_at = due.response, due.resolution
        self._touch(
            session,
            ticket,
            "targets_set",
            actor,
            priority=ticket.priority,
            response_due_at=due.response.isoformat(),
            resolution_due_at=due.resolution.isoformat(),
        )


def _required(text: str, what: str) -> str:
    text = _plain(text).strip()
    if not text:
        raise TicketActionError(f"the {what} is empty")
    return text


def _plain(text: str) -> str:
    """Without NUL: it carries nothing a person meant, and PostgreSQL text cannot hold it."""
    return text.replace("\0", "")


def _display(actor: str) -> str:
    """``slack:U123`` → ``U123``: the part after the front end's prefix."""
    return actor.rpartition(":")[2] or actor
