"""scripts/pg-throwaway: the PostgreSQL server `make test-postgres` and the load tests start."""

import socket
import subprocess
from pathlib import Path

import psycopg

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "pg-throwaway"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_server_starts_from_a_folder_the_postgres_user_cannot_enter(tmp_path):
    closed = tmp_path / "closed"
    closed.mkdir(mode=0o700)  # like a clone under root's home
    folder = closed / "pg"
    started = subprocess.run([SCRIPT, "start", folder, str(free_port())], capture_output=True, text=True, check=False)
    try:
        assert started.returncode == 0, started.stderr
        url = started.stdout.strip().splitlines()[-1]
        with psycopg.connect(url) as connection:
            assert connection.execute("SELECT 1").fetchone() == (1,)
        data = Path((folder / "cluster").read_text().strip())
    finally:
        subprocess.run([SCRIPT, "stop", folder], capture_output=True, check=False)
    assert not folder.exists() and not data.exists()
