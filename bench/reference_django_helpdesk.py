"""django-helpdesk's own email import, timed on the same messages as intake_throughput.py.

    .venv/bin/python bench/reference_django_helpdesk.py [--messages 1000] [--keep]

The reference point of issue #8. On first use it builds bench/.venv-django-helpdesk/ (git-ignored)
and installs the pinned bench/django-helpdesk-requirements.txt from PyPI into it; nothing of
django-helpdesk is in the repository or imported by the bot. Each run writes a throwaway Django
project to a temporary directory (SQLite, django-helpdesk's documented apps, teams mode off, mail
to files instead of SMTP, everything else at django-helpdesk's defaults), migrates it, and makes one
Queue whose email box is a local directory (email_box_type='local', email_box_local_dir, check
interval 0). It then copies intake_throughput.messages(N) there as .eml files, byte for byte, and
times `manage.py get_email --quiet`, the management command a user runs from cron.

The rate is N / (wall time of that command - wall time of the same command on an empty directory),
so, like "full intake" in intake_throughput.py, it leaves out process start-up (printed apart).
Afterwards it counts what the import created (tickets, follow-ups, attachments, notification mails)
via the Django ORM, lists messages left in the directory, and runs get_email once more with
--debug_to_stdout (untimed, as the next cron run would) to show why any were left.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV = BENCH / ".venv-django-helpdesk"
REQUIREMENTS = BENCH / "django-helpdesk-requirements.txt"
QUEUE_ADDRESS = "support@ourdesk.example"  # the corpus's To: address

SETTINGS = """\
from pathlib import Path
BASE = Path(__file__).resolve().parent
SECRET_KEY = "bench-only"
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",
    "django.contrib.messages",
    "django.contrib.humanize",
    "django.contrib.staticfiles",
    "rest_framework",
    "helpdesk",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
ROOT_URLCONF = "urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE / "helpdesk.db"}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
SITE_ID = 1
USE_TZ = True
TIME_ZONE = "UTC"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE / "media"
MEDIA_URL = "/media/"
DEFAULT_FROM_EMAIL = "support@ourdesk.example"
# Notification mails go to files (one per mail) instead of an SMTP server: the counterpart of
# the bot queueing its reply in the outbox.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = BASE / "sent"
HELPDESK_TEAMS_MODE_ENABLED = False
"""

URLS = """\
from django.urls import include, path
urlpatterns = [path("helpdesk/", include("helpdesk.urls"))]
"""

MANAGE = """\
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
from django.core.management import execute_from_command_line
execute_from_command_line(sys.argv)
"""

SETUP_QUEUE = """\
from helpdesk.models import Queue
Queue.objects.create(
    title="Bench", slug="bench", email_address={address!r},
    allow_email_submission=True, email_box_type="local",
    email_box_local_dir={maildir!r}, email_box_interval=0,
)
"""

INSPECT = r"""
import json, os
from helpdesk.models import FollowUp, FollowUpAttachment, Ticket
print(json.dumps({
    "tickets": [[t.title, t.description] for t in Ticket.objects.order_by("id")],
    "followups": FollowUp.objects.count(),
    "attachments": [[a.followup.ticket.title, a.filename]
                    for a in FollowUpAttachment.objects.select_related("followup__ticket")],
    # the file backend writes a line of 79 dashes after each mail (several mails share a file)
    "sent": sum(open(os.path.join(__SENT__, f), "rb").read().count(b"\n" + b"-" * 79 + b"\n")
                for f in os.listdir(__SENT__)) if os.path.isdir(__SENT__) else 0,
    "left": sorted(os.listdir(__MAILDIR__)),
}))
"""


@dataclass
class Reference:
    messages: int
    seconds: float  # get_email wall time minus start-up
    startup: float  # get_email wall time on an empty directory
    tickets: int
    followups: int
    sent: int
    left: list[str]
    notes: list[str] = field(default_factory=list)
    versions: str = ""

    @property
    def per_second(self) -> float:
        return self.messages / self.seconds


def ensure_venv(quiet: bool = False) -> Path:
    """Build (or reuse) bench/.venv-django-helpdesk with the pinned requirements."""
    python = VENV / "bin" / "python"
    stamp = VENV / ".installed"
    wanted = REQUIREMENTS.read_text()
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    if not quiet:
        print(f"(building {VENV.relative_to(ROOT)} from {REQUIREMENTS.name}, once)", flush=True)
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--clear", str(VENV)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True)
    stamp.write_text(wanted)
    return python


def _manage(python: Path, project: Path, *args: str, check: bool = True) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [str(python), str(project / "manage.py"), *args],
        capture_output=True,
        text=True,
        cwd=project,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    seconds = time.perf_counter() - start
    if check and done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout + done.stderr


def _index(subject: str) -> int | None:
    m = re.search(r"\[(\d+)\]", subject)
    return int(m.group(1)) if m else None


def _inspect(python: Path, project: Path, code: str) -> dict[str, Any]:
    out = _manage(python, project, "shell", "-c", code)[1]
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def _expected(raw: bytes) -> tuple[list[str], str]:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    names = [a.get_filename() or "" for a in msg.iter_attachments()]
    body = msg.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if body is not None else ""
    return [n for n in names if n], str(text)


def compare(batch: list[bytes], report: dict[str, Any]) -> list[str]:
    """What django-helpdesk dropped or changed among our messages, per the database."""
    notes: list[str] = []
    by_index = {_index(title): (title, desc) for title, desc in report["tickets"]}
    stored: dict[int | None, list[str]] = {}
    for title, filename in report["attachments"]:
        stored.setdefault(_index(title), []).append(re.sub(r"^part-\d+_", "", filename))
    missing_ticket = 0
    dropped: dict[str, int] = {}
    att_total = 0
    lost_chars = 0
    lost_examples: list[str] = []
    for i, raw in enumerate(batch):
        names, text = _expected(raw)
        if i not in by_index:
            missing_ticket += 1
            continue
        att_total += len(names)
        have = stored.get(i, [])
        for name in names:
            if name in have:
                have.remove(name)
            else:
                ext = Path(name).suffix.lower() or "(none)"
                dropped[ext] = dropped.get(ext, 0) + 1
        desc = by_index[i][1] or ""
        wanted = {c for c in text if ord(c) > 127 and not c.isspace()}
        gone = {c for c in wanted if c not in desc}
        if gone:
            lost_chars += 1
            if len(lost_examples) < 3:
                lost_examples.append(f"[{i}] {''.join(sorted(gone))[:12]}")
    if missing_ticket:
        notes.append(f"{missing_ticket} of {len(batch)} messages made no ticket")
    if att_total:
        kept = att_total - sum(dropped.values())
        detail = ", ".join(f"{n} {ext}" for ext, n in sorted(dropped.items()))
        notes.append(
            f"attachments kept {kept} of {att_total}" + (f" (dropped: {detail})" if detail else "")
        )
    if lost_chars:
        notes.append(
            f"{lost_chars} tickets lost non-ASCII characters of the body text"
            f" (e.g. {'; '.join(lost_examples)})"
        )
    return notes


def run(batch: list[bytes], keep: bool = False, quiet: bool = False) -> Reference:
    python = ensure_venv(quiet=quiet)
    tmp = Path(tempfile.mkdtemp(prefix="django-helpdesk-bench-"))
    try:
        maildir, sent = tmp / "maildir", tmp / "sent"
        maildir.mkdir()
        (tmp / "settings.py").write_text(SETTINGS)
        (tmp / "urls.py").write_text(URLS)
        (tmp / "manage.py").write_text(MANAGE)
        _manage(python, tmp, "migrate", "--verbosity", "0")
        setup = SETUP_QUEUE.format(address=QUEUE_ADDRESS, maildir=str(maildir))
        _manage(python, tmp, "shell", "-c", setup)
        # start-up: the same command over the empty directory, twice (the first warms caches)
        startup = min(_manage(python, tmp, "get_email", "--quiet")[0] for _ in range(2))
        for i, raw in enumerate(batch):
            (maildir / f"bench-{i:05d}.eml").write_bytes(raw)
        wall, output = _manage(python, tmp, "get_email", "--quiet")
        inspect = INSPECT.replace("__SENT__", repr(str(sent))).replace(
            "__MAILDIR__", repr(str(maildir))
        )
        report = _inspect(python, tmp, inspect)
        notes = compare(batch, report)
        printed = Counter(ln for ln in output.splitlines() if ln.strip())
        if printed:
            lines = "; ".join(f"{n} x {ln[:200]}" for ln, n in printed.most_common(5))
            notes.append(f"get_email printed: {lines}")
        left = report["left"]
        if left:
            # what the next cron run would say about them
            _, again = _manage(python, tmp, "get_email", "--debug_to_stdout", check=False)
            errors = [ln for ln in again.splitlines() if re.match(r"^\w*(Error|Exception)\b", ln)]
            notes.append(
                f"{len(left)} messages left in the directory (first: {left[0]});"
                f" next get_email run: {errors[-1] if errors else again.strip()[-300:]}"
            )
            after = _inspect(python, tmp, inspect)
            notes.append(
                f"after that second run: {len(after['tickets'])} tickets,"
                f" {len(after['left'])} messages still left"
            )
        freeze = subprocess.run(
            [str(python), "-m", "pip", "freeze"], capture_output=True, text=True, check=True
        ).stdout
        pins = ("django==", "django-helpdesk==")
        versions = " ".join(ln for ln in freeze.splitlines() if ln.lower().startswith(pins))
        return Reference(
            messages=len(batch),
            seconds=wall - startup,
            startup=startup,
            tickets=len(report["tickets"]),
            followups=int(report["followups"]),
            sent=int(report["sent"]),
            left=list(left),
            notes=notes,
            versions=versions,
        )
    finally:
        if keep:
            print(f"(kept {tmp})")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def describe(ref: Reference, label: str = "django-helpdesk (get_email, local dir)") -> None:
    print(
        f"{label:<44} {ref.per_second:>8.0f} msg/s  ({ref.seconds:.2f} s for {ref.messages},"
        f" + {ref.startup:.2f} s start-up)"
    )
    print(
        f"    {ref.versions}; tickets {ref.tickets}, follow-ups {ref.followups},"
        f" notification mails {ref.sent}, left in directory {len(ref.left)}"
    )
    for note in ref.notes:
        print(f"    {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary Django project")
    args = parser.parse_args()
    sys.path.insert(0, str(BENCH))
    from intake_throughput import messages

    describe(run(messages(args.messages), keep=args.keep))


if __name__ == "__main__":
    main()
