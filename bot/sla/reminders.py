"""Reminding customers whose ticket waits for their missing details, then closing it.

After ``reminder_after_business_days`` of silence the customer gets a reminder listing what is
still missing, at most ``max_reminders`` times; after one more such wait the ticket is closed
with a note on how to reopen it (just reply). Never to an address whose mail bounced: then the
reminder is recorded as not sent. Each reminder and each closing is claimed once (a marker row
in ``channel_state``), so several instances or a restart never send one twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.channels.email.message_id import MessageIdSigner
from bot.config import Config
from bot.fields import missing_fields
from bot.intake.events import add_event
from bot.intake.rendering import render
from bot.intake.steps.reply import reply_subject
from bot.intake.wording import QUESTIONS
from bot.messages import OutboundMessage
from bot.outbox.queue import queue_outbound
from bot.sla.targets import calendar_for
from storage import repositories as repo
from storage.models import ChannelState, Message, Ticket


class Reminders:
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

    def check(self) -> list[str]:
        now = self.clock()
        calendar = calendar_for(self.config.sla)
        wait = timedelta(
            hours=calendar.hours_per_day * self.config.intake.reminder_after_business_days
        )
        with self.sessions() as session:
            waiting = session.scalars(
                select(Ticket.id).where(Ticket.status == "waiting_customer")
            ).all()
        done = []
        for ticket_id in waiting:
            with self.sessions() as session:
                since, reminded = self._quiet_since(session, ticket_id)
            if calendar.between(since, now) < wait:
                continue
            action = "remind" if reminded < self.config.intake.max_reminders else "close"
            if self._act(ticket_id, action, reminded, now):
                done.append(f"{ticket_id} {action}")
        return done

    def _quiet_since(self, session: Session, ticket_id: int) -> tuple[datetime, int]:
        """When the customer last wrote (or was last reminded), and reminders since they wrote."""
        last_in = session.scalar(
            select(Message.at)
            .where(
                Message.ticket_id == ticket_id,
                Message.direction == "in",
                Message.automatic.is_(False),
            )
            .order_by(Message.at.desc())
        )
        ticket = session.get(Ticket, ticket_id)
        assert ticket is not None
        customer = last_in or ticket.created_at
        reminders = [
            e.at
            for e in repo.events_of(session, ticket_id)
            if e.kind == "reminder_sent" and e.at >= customer
        ]
        return max([customer, *reminders]), len(reminders)

    def _act(self, ticket_id: int, action: str, reminded: int, now: datetime) -> bool:
        try:
            with self.sessions.begin() as session:
                ticket = session.get(Ticket, ticket_id)
                if ticket is None or ticket.status != "waiting_customer":
                    return False
                since, _ = self._quiet_since(session, ticket_id)
                session.add(
                    ChannelState(
                        channel="reminder",
                        key=f"{ticket_id}|{since.isoformat()}|{reminded}",
                        value=action,
                        updated_at=now,
                    )
                )
                session.flush()  # the claim
                sent = self._mail(session, ticket, action, now)
                if action == "remind":
                    add_event(
                        session,
                        ticket,
                        "reminder_sent",
                        "system",
                        now,
                        number=reminded + 1,
                        sent=sent,
                    )
                else:
                    add_event(
                        session,
                        ticket,
                        "status_changed",
                        "system",
                        now,
                        **{"from": ticket.status, "to": "closed"},
                    )
                    add_event(
                        session,
                        ticket,
                        "closed",
                        "system",
                        now,
                        sent=sent,
                        reason="no reply to our requests for the missing details",
                    )
                    ticket.status = "closed"
                ticket.updated_at = now
                return True
        except IntegrityError:
            return False

    def _mail(self, session: Session, ticket: Ticket, action: str, now: datetime) -> bool:
        contact = ticket.contact.email if ticket.contact else None
        if not contact or repo.suppressed_until(session, contact, now) is not None:
            return False  # never to an address that bounced
        values = {k: fv.value for k, fv in repo.current_field_values(session, ticket.id).items()}
        missing = missing_fields(values, ticket.fault_type)
        last_in = session.scalars(
            select(Message)
            .where(Message.ticket_id == ticket.id, Message.direction == "in")
            .order_by(Message.at.desc())
        ).first()
        template = "reminder.txt.j2" if action == "remind" else "closed.txt.j2"
        name = ticket.contact.name if ticket.contact else None
        text = render(
            template,
            greeting_name=name.split()[0] if name and name.split() else "there",
            reference=ticket.reference,
            desk_name=self.config.intake.desk_name,
            questions=[QUESTIONS[k] for k in missing if k in QUESTIONS],
        )
        reply = OutboundMessage(
            channel="email",
            to_address=contact,
            subject=reply_subject(ticket.subject, ticket.reference),
            text=text,
            to_name=ticket.contact.name if ticket.contact else None,
            ticket_reference=ticket.reference,
            message_id=self.signer.mint(ticket.reference),
            in_reply_to=last_in.external_id if last_in else None,
            references=((last_in.external_id,) if last_in else ()),
        )
        queue_outbound(
            session,
            ticket,
            reply,
            key=f"{action}:{ticket.id}:{now.isoformat()}",
            from_address=self.config.email.outbound.from_address,
            now=now,
            kind=action,
        )
        return True
