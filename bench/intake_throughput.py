"""Full email intake vs plain stdlib parsing, on the same messages, in one run.

    .venv/bin/python bench/intake_throughput.py [--messages 1000] [--db sqlite|URL]
        [--with-django-helpdesk | --no-reference]

Messages are the labelled corpus emails (corpus/email-*/reports), repeated with unique
Message-IDs and subjects until there are --messages of them, so every one is a new report.
Prints messages/s for each stage and the ratios between them (the figures to compare; absolute
rates depend on the machine).

The reference of issue #8, django-helpdesk's own email import (`manage.py get_email` over a local
mail directory) on the same messages, runs last in the same run (bench/reference_django_helpdesk.py;
it builds bench/.venv-django-helpdesk/ from PyPI on first use). By default it is skipped with a
note if that fails; --with-django-helpdesk makes a failure an error, --no-reference skips it.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def messages(count: int) -> list[bytes]:
    files = sorted(ROOT.glob("corpus/email-*/reports/*.eml"))
    if not files:
        raise SystemExit("no corpus emails found under corpus/email-*/reports")
    base = [f.read_bytes() for f in files]
    out = []
    for i in range(count):
        raw = base[i % len(base)]
        raw = re.sub(
            rb"(?im)^Message-ID:[^\r\n]*",
            f"Message-ID: <bench-{i}@bench.example>".encode(),
            raw,
            count=1,
        )
        raw = re.sub(rb"(?im)^Subject: ", f"Subject: [{i}] ".encode(), raw, count=1)
        out.append(raw)
    return out


def rate(label: str, batch: list[bytes], fn: Callable[[bytes], object]) -> float:
    start = time.perf_counter()
    for raw in batch:
        fn(raw)
    seconds = time.perf_counter() - start
    per_second = len(batch) / seconds
    print(f"{label:<44} {per_second:>8.0f} msg/s  ({seconds:.2f} s for {len(batch)})")
    return per_second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--db", default="sqlite", help="'sqlite' (temp file) or a database URL")
    reference = parser.add_mutually_exclusive_group()
    reference.add_argument(
        "--with-django-helpdesk",
        action="store_true",
        help="require the django-helpdesk reference (fail if it cannot be built or run)",
    )
    reference.add_argument(
        "--no-reference", action="store_true", help="skip the django-helpdesk reference"
    )
    args = parser.parse_args()
    batch = messages(args.messages)

    from bot.app import App
    from bot.channels.email.parse import parse_email
    from bot.config import Config, StorageConfig

    now = datetime.now(UTC)
    default = rate(
        "stdlib parse, policy.default",
        batch,
        lambda r: email.message_from_bytes(r, policy=email.policy.default),
    )
    compat = rate("stdlib parse, compat32", batch, email.message_from_bytes)
    ours = rate(
        "our parse_email (text, quotes, attachments)",
        batch,
        lambda r: parse_email(r, mailbox="bench", received_at=now),
    )

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db" if args.db == "sqlite" else args.db
        config = Config(storage=StorageConfig(url=url, attachments_dir=f"{tmp}/files"))
        app = App(config)
        t = time.perf_counter()
        _ = app.intake, app.extractor
        print(f"{'(load: database, schema, extractor)':<44} {time.perf_counter() - t:>8.2f} s")

        def full(raw: bytes) -> None:
            result = app.intake.process(app.intake.store_raw(raw, channel="email", mailbox="bench"))
            if result.status != "processed":
                raise SystemExit(f"unexpected {result.status}: {result.outcome}")

        intake = rate("full intake (store, parse, extract, commit)", batch, full)
        app.close()

    helpdesk = None
    if not args.no_reference:
        sys.path.insert(0, str(ROOT / "bench"))
        import reference_django_helpdesk

        try:
            ref = reference_django_helpdesk.run(batch)
        except (OSError, RuntimeError, subprocess.CalledProcessError) as exc:
            if args.with_django_helpdesk:
                raise
            print(f"django-helpdesk reference skipped: {exc}")
        else:
            reference_django_helpdesk.describe(ref)
            helpdesk = ref.per_second

    print()
    print(f"full intake / stdlib policy.default parse: {intake / default:.2f}")
    print(f"full intake / stdlib compat32 parse:       {intake / compat:.3f}")
    print(f"our parse / stdlib policy.default parse:   {ours / default:.2f}")
    if helpdesk is not None:
        print(f"full intake / django-helpdesk:             {intake / helpdesk:.2f}  (target >= 10)")


if __name__ == "__main__":
    main()
