"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for tests that send mail.

Django sends through it with its ordinary SMTP backend (the `mailbox` fixture in tests/conftest.py
points EMAIL_HOST and EMAIL_PORT at it), so a test sees what a mail server would: the envelope, the
headers and the body as sent, nothing mocked.
"""

import email
import logging
import re
import socket
import threading
import time
from email import policy

from aiosmtpd.controller import Controller

# allauth's codes: letters without vowels in dashed groups ("BCDF-GHJK"), or digits.
CODE = re.compile(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})*)\s*$", re.MULTILINE)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """The SMTP handler: every message received, parsed, in order, with its envelope recipients."""

    def __init__(self):
        self.messages = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self.arrived:
            self.messages.append(message)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count, timeout=10):
        """The first `count` messages, waiting up to `timeout` seconds for them (mail from a live server)."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} mail(s), got {len(self.messages)}")
                self.arrived.wait(left)
            return list(self.messages[:count])

    def to(self, address):
        return [m for m in self.messages if address in m["X-Envelope-To"]]

    @staticmethod
    def text(message):
        return message.get_body(preferencelist=("plain",)).get_content()

    def code(self, message):
        """The code a mail carries on a line of its own (allauth's login and confirmation codes)."""
        match = CODE.search(self.text(message))
        assert match, f"no code in: {self.text(message)!r}"
        return match.group(1)


class SMTPServer:
    def __init__(self):
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()
