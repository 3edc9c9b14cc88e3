"""The ``intake-bot`` command line (a contract: see DESIGN.md "Command line").

A user mistake prints one line on stderr and exits non-zero; ``--debug`` adds the traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NoReturn

from bot.app import App
from bot.config import load_config
from bot.errors import IntakeError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"intake-bot: error: {message} (see intake-bot --help)\n")


# (subcommand, help, argument): what an engineer can do from the command line, as in Slack.
_TICKET_ACTIONS = (
    ("reply", "send a reply to the customer, in their thread", "text"),
    ("ask", "ask the customer a question (the ticket waits for them)", "question"),
    ("note", "add an internal note (never sent to the customer)", "text"),
    ("resolve", "resolve, sending the customer the synopsis", "synopsis"),
    ("assign", "assign the ticket to an engineer", "engineer"),
    ("priority", "change the priority (P1-P4); due times follow", "priority"),
    ("escalate", "escalate, with the reason", "reason"),
)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="intake-bot", description="Support intake bot.")
    p.add_argument("--config", type=Path, help="config file (default: ./config.toml if present)")
    p.add_argument("--debug", action="store_true", help="debug logging and full tracebacks")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sub.add_parser("run", help="run every enabled channel and worker until stopped")
    extract = sub.add_parser("extract", help="print extracted fields as JSON Lines (no writes)")
    extract.add_argument("paths", nargs="+", type=Path)
    ingest = sub.add_parser("ingest", help="process email files as if they had arrived by mail")
    ingest.add_argument("paths", nargs="+", type=Path, help="files, directories, or - for stdin")
    outbox = sub.add_parser("outbox", help="the outbox of replies").add_subparsers(
        dest="outbox_command", required=True, parser_class=_Parser
    )
    outbox.add_parser("flush", help="deliver every due message once, then exit")
    tickets = sub.add_parser("tickets", help="list or show tickets").add_subparsers(
        dest="tickets_command", required=True, parser_class=_Parser
    )
    listing = tickets.add_parser("list", help="all tickets")
    listing.add_argument("--json", action="store_true", help="one JSON array")
    show = tickets.add_parser("show", help="one ticket")
    show.add_argument("reference")
    show.add_argument("--json", action="store_true")
    for name, what, arg in _TICKET_ACTIONS:
        action = tickets.add_parser(name, help=what)
        action.add_argument("reference")
        action.add_argument(arg, nargs="+", help=f"the {arg} (words are joined)")
        action.add_argument("--as", dest="actor", help="who is acting (default: $USER)")
    db = sub.add_parser("db", help="database maintenance").add_subparsers(
        dest="db_command", required=True, parser_class=_Parser
    )
    db.add_parser("upgrade", help="apply database migrations")
    replay = sub.add_parser("replay", help="process stored messages again (default: all failed)")
    replay.add_argument("raw_ids", nargs="*", type=int, metavar="RAW_ID")
    sub.add_parser("status", help="channel health, backlog and failed messages")
    sla = sub.add_parser("sla", help="open tickets at risk of missing, or past, their targets")
    sla.add_argument("--all", action="store_true", help="include tickets on track")
    sla.add_argument("--json", action="store_true")
    contracts = sub.add_parser("contracts", help="support contracts").add_subparsers(
        dest="contracts_command", required=True, parser_class=_Parser
    )
    contracts_import = contracts.add_parser("import", help="import contracts from a CSV file")
    contracts_import.add_argument("file", type=Path)
    contracts.add_parser("list", help="all contracts")
    evaluate = sub.add_parser("eval", help="score extraction against gold JSON Lines")
    evaluate.add_argument("gold", nargs="+", type=Path)
    evaluate.add_argument("--json", action="store_true", help="machine-readable report")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from bot.logs import setup_logging

    setup_logging(logging.DEBUG if args.debug else logging.WARNING)
    app: App | None = None
    try:
        app = App(load_config(args.config))
        return _dispatch(app, args)
    except IntakeError as exc:
        print(f"intake-bot: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if args.debug:
            raise
        print(
            f"intake-bot: internal error: {type(exc).__name__}: {exc} (rerun with --debug)",
            file=sys.stderr,
        )
        return 70
    finally:
        if app is not None:
            app.close()


def _dispatch(app: App, args: argparse.Namespace) -> int:
    from bot import commands

    match args.command:
        case "run":
            logging.getLogger().setLevel(logging.DEBUG if args.debug else logging.INFO)
            asyncio.run(_run(app))
            return 0
        case "extract":
            return commands.extract(app, list(input_files(args.paths, for_ingest=False)))
        case "ingest":
            return commands.ingest(app, list(input_files(args.paths, for_ingest=True)))
        case "outbox":
            return commands.outbox_flush(app)
        case "tickets" if args.tickets_command == "list":
            return commands.tickets_list(app, as_json=args.json)
        case "tickets" if args.tickets_command == "show":
            return commands.tickets_show(app, args.reference, as_json=args.json)
        case "tickets":
            words = getattr(args, _argument_of(args.tickets_command))
            return commands.ticket_action(
                app, args.tickets_command, args.reference, " ".join(words), actor=args.actor
            )
        case "db":
            return commands.db_upgrade(app)
        case "replay":
            return commands.replay(app, args.raw_ids)
        case "status":
            return commands.status(app)
        case "sla":
            return commands.sla(app, show_all=args.all, as_json=args.json)
        case "contracts" if args.contracts_command == "import":
            return commands.contracts_import(app, args.file)
        case "contracts":
            return commands.contracts_list(app)
        case "eval":
            return commands.evaluate(app, args.gold, as_json=args.json)
    raise AssertionError(args.command)  # pragma: no cover - argparse allows nothing else


def _argument_of(command: str) -> str:
    return next(arg for name, _what, arg in _TICKET_ACTIONS if name == command)


async def _run(app: App) -> None:
    from bot.runner import run_forever

    await run_forever(app)


def input_files(paths: Sequence[Path], *, for_ingest: bool) -> Iterator[Path]:
    """Files named, and files under directories named (recursively, sorted)."""
    for path in paths:
        if str(path) == "-":
            yield path  # standard input: one message
        elif path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.is_file()):
                if found.name.startswith("."):
                    continue
                if for_ingest and found.suffix.lower() != ".eml":
                    continue  # DESIGN.md: ingest takes *.eml from a folder (name others directly)
                yield found
        elif path.is_file():
            yield path
        else:
            raise IntakeError(f"no such file or directory: {path}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
