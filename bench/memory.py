"""Memory of ``intake-bot run`` with every channel enabled: at rest, and while 10,000 messages
go through it (does it grow?).

    .venv/bin/python bench/memory.py [--messages 10000] [--clients 8]

The bot runs as a real ``intake-bot run`` subprocess on SQLite with the SMTP server, the IMAP
poller (a throwaway Dovecot on loopback), Slack in HTTP mode (its Web API a local recording
fake: the feed posts a card per ticket there), Telegram in polling mode (a local fake Bot API),
the outbox worker (maildir), the SLA watcher and /metrics. Messages arrive by SMTP from
``--clients`` concurrent clients, each a new report from its own sender. RSS is read from
``/proc/<pid>/status`` (VmRSS; VmHWM for the peak) at rest and after every tenth of the load.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import smtplib
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from aiohttp import web  # noqa: E402
from intake_throughput import messages  # noqa: E402

from tests.channels.dovecot import Dovecot  # noqa: E402
from tests.channels.slack.fake_slack import FakeSlack  # noqa: E402
from tests.channels.telegram.fake_api import FakeBotApi  # noqa: E402

EXE = Path(sys.executable).with_name("intake-bot")
TOKEN = "123456:bench-throwaway-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Fakes:
    """The Slack and Telegram fakes, served from a thread of their own."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.slack = FakeSlack()
        self.telegram = FakeBotApi(token=TOKEN)
        self.telegram_port = free_port()
        self.telegram.base = f"http://127.0.0.1:{self.telegram_port}"
        ready = threading.Event()
        threading.Thread(target=self._serve, args=(ready,), daemon=True).start()
        ready.wait(10)

    def _serve(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)

        async def start() -> None:
            await self.slack.start()
            runner = web.AppRunner(self.telegram.application(), access_log=None)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", self.telegram_port).start()

        self.loop.run_until_complete(start())
        ready.set()
        self.loop.run_forever()


def rss_kb(pid: int) -> tuple[int, int]:
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    hwm = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    return rss, hwm


def processed(db: Path) -> int:
    with sqlite3.connect(db, timeout=30) as conn:
        row = conn.execute("SELECT count(*) FROM raw_messages WHERE status != 'pending'").fetchone()
        return int(row[0])


def send(port: int, batch: list[tuple[str, bytes]]) -> None:
    client = smtplib.SMTP("127.0.0.1", port, timeout=60)
    for sender, raw in batch:
        client.sendmail(sender, ["support@desk.example"], raw)
    client.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()

    fakes = Fakes()
    dovecot = Dovecot()
    dovecot.start()
    work = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    port, slack_port, ops_port = free_port(), free_port(), free_port()
    (work / "config.toml").write_text(
        f'[storage]\nurl = "sqlite:///{work}/intake.db"\nattachments_dir = "{work}/files"\n'
        f'[email.smtp]\nport = {port}\naccept = ["support@desk.example"]\n'
        f'[email.imap]\nenabled = true\nhost = "{dovecot.host}"\nport = {dovecot.port}\n'
        'security = "none"\nusername = "support"\npassword_env = "BENCH_IMAP_PASSWORD"\n'
        f'[email.outbound]\nmaildir = "{work}/outbox"\nfrom_address = "support@desk.example"\n'
        f'[slack]\nenabled = true\nmode = "http"\nport = {slack_port}\n'
        f'api_url = "{fakes.slack.api_url}"\nbot_token_env = "BENCH_SLACK_TOKEN"\n'
        'signing_secret_env = "BENCH_SLACK_SECRET"\n'
        f'[telegram]\nenabled = true\nmode = "polling"\ntoken_env = "BENCH_TELEGRAM_TOKEN"\n'
        f'base_url = "{fakes.telegram.base}/bot"\n'
        f'base_file_url = "{fakes.telegram.base}/file/bot"\n'
        "poll_timeout_seconds = 1\n"
        f"[ops]\nport = {ops_port}\n"
        "[intake]\nauto_reply_limit = 1000000\n"
    )
    env = os.environ | {
        "BENCH_IMAP_PASSWORD": "pw",
        "BENCH_SLACK_TOKEN": "xoxb-bench-throwaway",
        "BENCH_SLACK_SECRET": "bench-throwaway-secret",
        "BENCH_TELEGRAM_TOKEN": TOKEN,
    }
    log = (work / "bot.log").open("wb")
    proc = subprocess.Popen([str(EXE), "run"], cwd=work, env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit((work / "bot.log").read_text()[-3000:]) from None
                time.sleep(0.1)
        time.sleep(10)  # every channel connected, first polls done
        rest, _ = rss_kb(proc.pid)
        print(f"at rest, every channel enabled:        RSS {rest / 1024:6.1f} MB")

        template = messages(200)
        total = args.messages
        load: list[tuple[str, bytes]] = []
        for n in range(total):
            sender = f"customer{n}@load.example"
            raw = re.sub(rb"(?im)^From:[^\r\n]*", f"From: <{sender}>".encode(), template[n % 200])
            raw = re.sub(rb"(?im)^Message-ID:[^\r\n]*", f"Message-ID: <mem-{n}@x>".encode(), raw)
            raw = re.sub(rb"(?im)^Subject: ", f"Subject: [{n}] ".encode(), raw, count=1)
            load.append((sender, raw))
        started = time.monotonic()
        step = max(total // 10, 1)
        with ThreadPoolExecutor(args.clients) as pool:
            sending = [
                pool.submit(send, port, load[i :: args.clients]) for i in range(args.clients)
            ]
            mark = step
            while mark <= total:
                done = processed(work / "intake.db")
                if done >= mark:
                    rss, hwm = rss_kb(proc.pid)
                    rate = done / (time.monotonic() - started)
                    print(
                        f"after {done:>6} messages ({rate:5.1f}/s):       RSS {rss / 1024:6.1f} MB"
                        f"  (peak {hwm / 1024:6.1f} MB)"
                    )
                    mark += step
                    continue
                if proc.poll() is not None:
                    raise SystemExit((work / "bot.log").read_text()[-3000:])
                time.sleep(0.5)
            for f in sending:
                f.result()
        time.sleep(10)  # the Slack feed and the outbox catch up, then rest again
        after, hwm = rss_kb(proc.pid)
        print(f"at rest again after {total} messages:  RSS {after / 1024:6.1f} MB  (peak "
              f"{hwm / 1024:.1f} MB)")  # fmt: skip
        print(f"growth at rest: {(after - rest) / 1024:+.1f} MB")
        cards = sum(1 for c in fakes.slack.calls if c.method == "chat.postMessage")
        print(f"(slack fake got {cards} chat.postMessage calls; replies in outbox/new: "
              f"{len(list((work / 'outbox' / 'new').iterdir()))})")  # fmt: skip
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
        dovecot.remove()


if __name__ == "__main__":
    main()
