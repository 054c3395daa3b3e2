"""`hrtui remind` against a real SMTP server on loopback (aiosmtpd, started here), run as cron would: a subprocess
with no terminal. Each reminder reaches each recipient once — across repeated runs, two runs at once, and a run
that could not reach the server."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from email import message_from_bytes
from email.header import decode_header, make_header
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from hrtui.store.db import database

NOW = "2026-12-01"          # 3 days before the demo's training item of emp.sales (due 2026-12-04)


class Inbox:
    """An SMTP handler that keeps every message it accepts."""

    def __init__(self, delay: float = 0.0):
        self.messages: list[tuple[list[str], object]] = []
        self.delay = delay
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        msg = message_from_bytes(envelope.content, policy=default_policy)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for rcpt, m in self.messages if address in rcpt]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    servers = []

    def start(port: int | None = None, delay: float = 0.0, **kwargs) -> tuple[Inbox, int]:
        port = port or free_port()
        inbox = Inbox(delay)
        c = Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
        c.start()
        servers.append(c)
        return inbox, port

    yield start
    for c in servers:
        c.stop()


def run(db, *args, user="hr.sales", port=None, extra_env=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HRTUI_SMTP")}
    env.update({"HRTUI_PASSWORD": "demo"})
    if port is not None:
        env.update(HRTUI_SMTP_HOST="127.0.0.1", HRTUI_SMTP_PORT=str(port))
    env.update(extra_env or {})
    return subprocess.Popen([sys.executable, "-m", "hrtui", "--db", str(db), "--user", user, "remind", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                            env=env)


def done(proc, timeout=120):
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def addresses() -> dict[str, str]:
    rows = database.execute_sql(
        "SELECT u.name, coalesce(u.email, e.email) FROM user u LEFT JOIN employee e ON e.id = u.employee_id")
    return dict(rows.fetchall())


def email_rows(status: str | None = None) -> int:
    sql = "SELECT count(*) FROM reminder WHERE channel = 'email'"
    return database.execute_sql(sql + (" AND status = ?" if status else ""), (status,) if status else ()).fetchone()[0]


def subject(msg) -> str:
    return str(make_header(decode_header(msg["Subject"])))


# -- done when: listed for HR and the employee; sent twice -> each once -------------------------------------------
def test_remind_lists_the_reminder_for_hr_and_the_employee(demo_db, stories):
    code, out, err = done(run(demo_db, "--now", NOW, "--format", "json"))
    assert code == 0, err
    data = json.loads(out)
    assert data["date"] == NOW
    mine = [r for r in data["reminders"] if r["employee"] == stories["csat"]]
    assert {(r["recipient"], r["recipient_role"]) for r in mine} == {("hr.sales", "hr"), ("emp.sales", "employee")}
    assert all(r["kind"] == "item_before" and r["about"] == "2026-12-04" for r in mine)
    assert all(r["email"] is None for r in mine)                        # listing sends nothing
    code, text, _ = done(run(demo_db, "--now", NOW))
    assert "in 3 days" in text and "hr.sales" in text and "emp.sales" in text
    assert email_rows() == 0
    code, today, _ = done(run(demo_db))                                   # 30 Nov: nothing due for SALES
    assert code == 0 and "No reminders due on 2026-11-30." in today


def test_send_twice_sends_each_once_in_the_recipients_language(demo_db, smtp, stories):
    database.execute_sql("UPDATE user SET lang = 'zh' WHERE name = 'emp.sales'")
    inbox, port = smtp()
    code, out, err = done(run(demo_db, "--send", "--now", NOW, port=port))
    assert code == 0, err
    addr = addresses()
    assert len(inbox.messages) == 2
    assert {tuple(r) for r, _m in inbox.messages} == {(addr["hr.sales"],), (addr["emp.sales"],)}
    (hr_msg,), (emp_msg,) = inbox.to(addr["hr.sales"]), inbox.to(addr["emp.sales"])
    assert subject(hr_msg).startswith("[hrtui] Due on 2026-12-04 (in 3 days)")
    assert f"the improvement plan of {stories['csat']}" in subject(hr_msg)
    assert "Hello hr.sales" in hr_msg.get_content() and "Action:" in hr_msg.get_content()
    assert subject(emp_msg).startswith("【hrtui】2026-12-04 到期（还有 3 天）")
    body = emp_msg.get_content()
    assert "您好" in body and "你的改进计划" in body and "行动项" in body
    assert emp_msg["X-Hrtui-Reminder"] == hr_msg["X-Hrtui-Reminder"]          # the same reminder, two people
    assert email_rows("sent") == 2
    code, out, err = done(run(demo_db, "--send", "--now", NOW, port=port))
    assert code == 0, err
    assert len(inbox.messages) == 2                                      # nothing twice
    assert "0 sent, 2 sent before" in out
    sent_audit = database.execute_sql("SELECT count(*) FROM audit WHERE action = 'remind.sent'").fetchone()[0]
    assert sent_audit == 2


def test_two_runs_at_once_send_each_once(demo_db, smtp):
    inbox, port = smtp(delay=0.15)                                        # slow server: the runs overlap
    procs = [run(demo_db, "--send", "--now", NOW, user="admin", port=port) for _ in range(2)]
    results = [done(p) for p in procs]
    assert all(code == 0 for code, _o, _e in results), [e for _c, _o, e in results]
    keys = [(tuple(r), m["X-Hrtui-Reminder"]) for r, m in inbox.messages]
    assert len(keys) == len(set(keys)) == email_rows("sent") == 4         # SALES (2) and R&D (HR + employee)
    code, _out, _err = done(run(demo_db, "--send", "--now", NOW, user="admin", port=port))
    assert code == 0 and len(inbox.messages) == 4


def test_unreachable_server_leaves_reminders_for_the_next_run(demo_db, smtp):
    port = free_port()                                                    # nothing listens here
    code, out, err = done(run(demo_db, "--send", "--now", NOW, port=port))
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hrtui: cannot reach the SMTP server 127.0.0.1:")
    assert "stay unsent and go out on the next run" in lines[0]
    assert email_rows("sent") == 0 and email_rows("pending") == 1        # tried once; the rest never claimed
    inapp = database.execute_sql("SELECT count(*) FROM reminder WHERE channel = 'app' AND on_date = ?",
                                 (NOW,)).fetchone()[0]
    assert inapp == 2                                                     # the inboxes got them all the same
    inbox, _ = smtp(port=port)
    code, out, err = done(run(demo_db, "--send", "--now", NOW, port=port))
    assert code == 0, err
    assert len(inbox.messages) == 2 and email_rows("sent") == 2
    attempts = database.execute_sql("SELECT max(attempts) FROM reminder WHERE channel = 'email'").fetchone()[0]
    assert attempts == 2


def test_without_smtp_the_inbox_still_gets_them(demo_db):
    code, out, err = done(run(demo_db, "--send", "--now", NOW))
    assert code == 0
    assert err.strip().startswith("hrtui: e-mail is not configured") and len(err.strip().splitlines()) == 1
    assert database.execute_sql("SELECT count(*) FROM reminder WHERE channel = 'app'"
                                " AND on_date = ?", (NOW,)).fetchone()[0] == 2
    assert email_rows() == 0


def _auth_server(smtp, password: str):
    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == b"hrtui" and auth_data.password == password.encode()
        return AuthResult(success=ok, handled=False)   # handled=False: the server answers 535 itself

    return smtp(authenticator=authenticator, auth_require_tls=False)


def test_login_with_a_private_password_file(demo_db, smtp, tmp_path, isolated_env):
    inbox, port = _auth_server(smtp, "s3cret-pass")
    secret = tmp_path / "smtp.pass"
    secret.write_text("s3cret-pass\n", encoding="utf-8")
    os.chmod(secret, 0o644)
    cfg = isolated_env / "config" / "hrtui"
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.toml").write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nuser = "hrtui"\npassword_file = "{secret}"\n'
        f'from = "hr-reminders@example.com"\n', encoding="utf-8")
    code, _out, err = done(run(demo_db, "--send", "--now", NOW))
    assert code == 1 and f"run: chmod 600 {secret}" in err and len(err.strip().splitlines()) == 1
    assert email_rows("sent") == 0
    os.chmod(secret, 0o600)
    code, _out, err = done(run(demo_db, "--send", "--now", NOW))
    assert code == 0, err
    assert len(inbox.messages) == 2
    assert all(m["From"] == "hr-reminders@example.com" for _r, m in inbox.messages)


def test_a_wrong_password_is_one_clear_line(demo_db, smtp, tmp_path, isolated_env):
    _inbox, port = _auth_server(smtp, "right")
    secret = tmp_path / "smtp.pass"
    secret.write_text("wrong\n", encoding="utf-8")
    os.chmod(secret, 0o600)
    cfg = isolated_env / "config" / "hrtui"
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.toml").write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nuser = "hrtui"\npassword_file = "{secret}"\n', encoding="utf-8")
    code, _out, err = done(run(demo_db, "--send", "--now", NOW))
    assert code == 1 and "refused the login of 'hrtui'" in err and len(err.strip().splitlines()) == 1
    assert email_rows("sent") == 0


def test_employees_and_managers_list_only_their_own(demo_db):
    code, out, err = done(run(demo_db, "--now", NOW, "--format", "json", user="emp.sales"))
    assert code == 0, err
    rows = json.loads(out)["reminders"]
    assert rows and {r["recipient"] for r in rows} == {"emp.sales"}
    code, _out, err = done(run(demo_db, "--send", "--now", NOW, user="emp.sales"))
    assert code == 1 and "may not write plans" in err


def test_address_command(demo_db):
    code, out, _ = done(run(demo_db, "address", "hr.sales", user="admin"))
    assert code == 0 and out.strip() == "hr.sales: hr.sales@demo.example"
    code, out, _ = done(run(demo_db, "address", "hr.sales", "hr-team@example.com", user="admin"))
    assert code == 0 and "hr-team@example.com" in out
    code, out, _ = done(run(demo_db, "address", "emp.sales", user="admin"))
    assert "(the e-mail of the employee record)" in out
    code, _out, err = done(run(demo_db, "address", "hr.sales", "not-an-address", user="admin"))
    assert code == 1 and "is not an e-mail address" in err
    code, _out, err = done(run(demo_db, "address", "hr.sales", "x@example.com", user="hr.sales"))
    assert code == 1 and "may not write users" in err



# -- STARTTLS against a server whose certificate a company CA signed ------------------------------------------------
def _company_ca(tmp_path):
    """A CA and a server certificate for 127.0.0.1 signed by it (what an in-house mail relay has)."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.timezone.utc)
    ca_key, srv_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Example Corp Internal CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
          .not_valid_after(now + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    srv = (x509.CertificateBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mail.example.internal")]))
           .issuer_name(ca_name).public_key(srv_key.public_key()).serial_number(x509.random_serial_number())
           .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
           .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                          critical=False)
           .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
           .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
           .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(pem))
    (tmp_path / "srv.pem").write_bytes(srv.public_bytes(pem))
    (tmp_path / "srv.key").write_bytes(srv_key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                                             serialization.NoEncryption()))
    return tmp_path / "ca.pem"


def test_starttls_checks_the_certificate_against_the_company_ca(demo_db, smtp, tmp_path, isolated_env):
    import ssl

    ca_file = _company_ca(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(tmp_path / "srv.pem", tmp_path / "srv.key")
    inbox, port = smtp(tls_context=server_tls, require_starttls=True)   # no MAIL FROM before STARTTLS
    cfg = isolated_env / "config" / "hrtui"
    cfg.mkdir(parents=True, exist_ok=True)
    settings = cfg / "settings.toml"

    # the system's authorities do not know the company CA: refused in one line, nothing sent, retried next run
    settings.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nstarttls = true\n', encoding="utf-8")
    code, _out, err = done(run(demo_db, "--send", "--now", NOW))
    assert code == 1 and len(err.strip().splitlines()) == 1 and "certificate verify failed" in err
    assert inbox.messages == [] and email_rows("sent") == 0

    # a ca_file that is not there, or not a certificate: one line naming it
    settings.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nstarttls = true\n'
                        f'ca_file = "{tmp_path / "nope.pem"}"\n', encoding="utf-8")
    code, _out, err = done(run(demo_db, "--send", "--now", NOW))
    assert code == 1 and f"ca_file {tmp_path / 'nope.pem'} does not exist" in err
    (tmp_path / "junk.pem").write_text("not a certificate\n", encoding="utf-8")
    settings.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nstarttls = true\n'
                        f'ca_file = "{tmp_path / "junk.pem"}"\n', encoding="utf-8")
    code, _out, err = done(run(demo_db, "--send", "--now", NOW))
    assert code == 1 and "holds no PEM certificate" in err and len(err.strip().splitlines()) == 1

    # with the company CA: the connection is upgraded (the server takes no mail without it) and both go out
    settings.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nstarttls = true\nca_file = "{ca_file}"\n',
                        encoding="utf-8")
    code, _out, err = done(run(demo_db, "--send", "--now", NOW))
    assert code == 0, err
    assert len(inbox.messages) == 2 and email_rows("sent") == 2
