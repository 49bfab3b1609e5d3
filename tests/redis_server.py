"""A real redis-server on a free loopback port, with the project's config/redis.conf (its memory cap and eviction)."""

import signal
import subprocess
import time
from pathlib import Path

from bench import server

CONF = Path(__file__).resolve().parents[1] / "config" / "redis.conf"


class RedisServer:
    def __init__(self, folder):
        self.port, self.folder, self.process = server.free_port(), folder, None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def cli(self, *args):
        """redis-cli's answer to `args`, stripped."""
        command = ["redis-cli", "-p", str(self.port), *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=10).stdout.strip()

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", str(CONF), "--port", str(self.port), "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.cli("ping") == "PONG":
                return self
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def pause(self):
        """SIGSTOP: Redis still accepts connections (the kernel does) but answers nothing: a hung server."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def keys(self, pattern="*"):
        return [key for key in self.cli("--scan", "--pattern", pattern).splitlines() if key]

    def stop(self):
        if self.process and self.process.poll() is None:
            self.resume()
            self.process.terminate()
            self.process.wait(timeout=10)
