"""A throwaway Dovecot on loopback for the IMAP poller's tests (recipes/dovecot-test-server.md).

Its config, mail, sockets and log live in a ``mkdtemp`` directory directly under /tmp (mode 0755:
Dovecot's auth and mail processes must traverse it, which /tmp/pytest-of-root forbids). Any user
name logs in with the password ``pw`` and gets a fresh mailbox, so each test takes its own user
instead of resetting a shared one. Plain IMAP (with STARTTLS) and IMAPS listen on two ports,
with a self-signed certificate for 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import email.message
import grp
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from imapclient import IMAPClient

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
DOVEADM = shutil.which("doveadm") or "/usr/bin/doveadm"
PASSWORD = "pw"

CONF = """\
instance_name = dovtest-{port}
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{d}/cert.pem
ssl_key = <{d}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={d}/mail/%u allow_all_users=yes
}}
mail_location = maildir:~/Maildir
mail_fsync = never
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Dovecot:
    """One private Dovecot master process; ``stop``/``start`` keep its ports, mail and state."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="dovtest-", dir="/tmp"))
        os.chmod(self.dir, 0o755)
        self.host = "127.0.0.1"
        self.port = free_port()
        self.tls_port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        for sub in ("run", "state", "mail"):
            (self.dir / sub).mkdir()
        # Dovecot refuses uid 0 for mail access: as root use nobody, else ourselves.
        uid, gid = (65534, 65534) if os.geteuid() == 0 else (os.getuid(), os.getgid())
        os.chown(self.dir / "mail", uid, gid)
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
             "-keyout", str(self.dir / "key.pem"), "-out", str(self.cert)],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        text = CONF.format(
            d=self.dir, port=self.port, tls_port=self.tls_port, uid=uid, gid=gid,
            password=PASSWORD,
        )  # fmt: skip
        if os.geteuid() != 0:  # rootless: every Dovecot process runs as the current user
            me, mine = pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name
            text += (
                f"default_internal_user = {me}\ndefault_internal_group = {mine}\n"
                f"default_login_user = {me}\n"
            )
        self.conf = self.dir / "dovecot.conf"
        self.conf.write_text(text)

    @property
    def cert(self) -> Path:
        return self.dir / "cert.pem"

    def start(self) -> None:
        # A session of its own: stop() ends the whole group, IMAP sessions included (the master
        # alone leaves running sessions serving their clients, which is no outage at all).
        self.proc = subprocess.Popen([DOVECOT, "-F", "-c", str(self.conf)], start_new_session=True)
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection((self.host, self.port), timeout=0.5) as s:
                    if s.recv(64).startswith(b"* OK"):
                        return
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("dovecot did not start:\n" + self.log())
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop every Dovecot process (clients see the connection drop); wait for the port."""
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex((self.host, self.port)) != 0:
                    return
            time.sleep(0.05)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def log(self) -> str:
        path = self.dir / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else "(no log)"

    def connect(self, user: str) -> IMAPClient:
        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=10)
        client.login(user, PASSWORD)
        return client

    def doveadm(self, *args: str) -> str:
        done = subprocess.run(
            [DOVEADM, "-c", str(self.conf), *args],
            check=True, capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        return done.stdout


def make_mail(n: int, subject: str = "Firewall fault", size: int = 0) -> bytes:
    """A distinct customer report (the pipeline opens one ticket per distinct content)."""
    m = email.message.EmailMessage()
    m["From"] = f"Customer {n} <customer{n}@acme.example>"
    m["To"] = "support@desk.example"
    m["Subject"] = f"{subject} #{n}"
    m["Message-ID"] = f"<report-{n}@acme.example>"
    m["Date"] = "Mon, 23 Nov 2026 08:00:00 +0000"
    body = f"Hello, our firewall number {n} at the Cape Town office is down.\nRegards, Customer {n}"
    if size:
        body += "\n" + ("x" * 75 + "\n") * (size // 76 + 1)
    m.set_content(body)
    return m.as_bytes()


def append(server: Dovecot, user: str, messages: list[bytes], folder: str = "INBOX") -> None:
    """Put messages into a folder over one connection, in one MULTIAPPEND (RFC 3502)."""
    with server.connect(user) as client:
        if not client.folder_exists(folder):
            client.create_folder(folder)
        for start in range(0, len(messages), 100):
            client.multiappend(folder, messages[start : start + 100])


def folder_counts(server: Dovecot, user: str, folder: str = "INBOX") -> tuple[int, int]:
    """(messages, unseen) of a folder."""
    with server.connect(user) as client:
        if not client.folder_exists(folder):
            return 0, 0
        status = client.folder_status(folder, ["MESSAGES", "UNSEEN"])
        return int(status[b"MESSAGES"]), int(status[b"UNSEEN"])
