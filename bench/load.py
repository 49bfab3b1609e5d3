"""Load generation for bench/run.py: wrk (Debian's package), or a small bounded Python client when wrk is missing.

Every run is bounded: wrk by -d (duration) and its process timeout, the
Python client by a deadline and a request cap per connection.
"""

import http.client
import json
import os
import shutil
import subprocess
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

LUA = Path(__file__).resolve().parent / "wrk.lua"


@dataclass
class LoadResult:
    requests: int
    duration_s: float
    p50_ms: float
    p99_ms: float
    non_2xx_3xx: int  # responses with a status outside 200-399
    socket_errors: int  # connect, read, write errors and timeouts
    replayed_sessions: int = 0  # answer POSTs that reused a session (409), when the fresh ones ran out
    statuses: dict = field(default_factory=dict)  # Python client only: status -> count

    @property
    def rps(self):
        return self.requests / self.duration_s if self.duration_s else 0.0

    def as_dict(self):
        return {**asdict(self), "rps": round(self.rps, 1)}


def ensure_wrk(log=print):
    """The path of wrk; installed from Debian when missing and running as root. None when it cannot be had."""
    path = shutil.which("wrk")
    if path:
        return path
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        log("  wrk is missing and cannot be installed here (not root): using the Python client")
        return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"]
    log("  installing wrk from Debian ...")
    for attempt in range(2):
        try:
            done = subprocess.run(install, env=env, capture_output=True, text=True, timeout=300, check=False)
        except subprocess.TimeoutExpired:
            break
        if done.returncode == 0:
            break
        if attempt == 0:  # a fresh machine may have no package lists yet
            subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, timeout=300, check=False)
    path = shutil.which("wrk")
    if not path:
        log("  could not install wrk: using the Python client")
    return path


def wrk_version(path):
    try:
        done = subprocess.run([path, "-v"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "wrk"
    first = (done.stdout or done.stderr).strip().splitlines()
    return first[0].split(" [")[0] if first else "wrk"


def run_wrk(
    wrk,
    url,
    *,
    duration,
    connections,
    threads,
    headers=None,
    method="GET",
    body="",
    sessions_file=None,
    cookie_template=None,
):
    env = {
        **os.environ,
        "BENCH_METHOD": method,
        "BENCH_HEADERS": "\n".join(f"{name}: {value}" for name, value in (headers or {}).items()),
        "BENCH_BODY": body,
        "BENCH_SESSIONS": str(sessions_file or ""),
        "BENCH_COOKIE_TEMPLATE": cookie_template or "",
        "BENCH_THREADS": str(threads),
    }
    args = [
        wrk,
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{duration}s",
        "--timeout",
        "5s",
        "-s",
        str(LUA),
        url,
    ]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=duration + 30, check=False)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed (exit {done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    data = json.loads(line[len("BENCH_JSON ") :])
    return LoadResult(
        requests=data["requests"],
        duration_s=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        non_2xx_3xx=data["status_errors"],
        socket_errors=data["connect_errors"] + data["read_errors"] + data["write_errors"] + data["timeout_errors"],
        replayed_sessions=data["replayed_sessions"],
    )


def _percentile(sorted_values, pct):
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, max(0, round(pct / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


def run_python(
    url,
    *,
    duration,
    connections,
    headers=None,
    method="GET",
    body="",
    sessions=None,
    cookie_template=None,
    max_per_connection=100_000,
):
    """A bounded closed-loop client: `connections` threads, each sending one request at a time until the deadline.

    Much weaker than wrk (the GIL caps it at a few thousand requests per
    second), so its figures are comparable only with each other.
    """
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    lock = threading.Lock()
    latencies, statuses = [], {}
    errors = replayed = 0
    pool = list(sessions or [])
    next_session = 0
    deadline = time.monotonic() + duration

    def worker():
        nonlocal errors, replayed, next_session
        local_lat, local_status, local_err = [], {}, 0
        for _ in range(max_per_connection):
            if time.monotonic() >= deadline:
                break
            request_headers = dict(headers or {})
            if pool:
                with lock:
                    index = next_session % len(pool)
                    if next_session >= len(pool):
                        replayed += 1
                    next_session += 1
                request_headers["Cookie"] = cookie_template % pool[index]
            if body:
                request_headers["Content-Length"] = str(len(body.encode()))
            start = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
                conn.request(method, path, body=body.encode() if body else None, headers=request_headers)
                response = conn.getresponse()
                response.read()
                conn.close()
            except (OSError, http.client.HTTPException):
                local_err += 1
                continue
            local_lat.append((time.perf_counter() - start) * 1000)
            local_status[response.status] = local_status.get(response.status, 0) + 1
        with lock:
            errors += local_err
            latencies.extend(local_lat)
            for status, count in local_status.items():
                statuses[status] = statuses.get(status, 0) + count

    started = time.monotonic()
    workers = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=duration + 30)
    elapsed = time.monotonic() - started
    latencies.sort()
    return LoadResult(
        requests=len(latencies),
        duration_s=elapsed,
        p50_ms=_percentile(latencies, 50),
        p99_ms=_percentile(latencies, 99),
        non_2xx_3xx=sum(count for status, count in statuses.items() if not 200 <= status < 400),
        socket_errors=errors,
        replayed_sessions=replayed,
        statuses={str(k): v for k, v in sorted(statuses.items())},
    )


class Loader:
    """One load tool for the whole run, with the same connections, threads and duration for every endpoint."""

    def __init__(self, wrk, duration, connections, threads):
        self.wrk = wrk
        self.duration = duration
        self.connections = connections
        self.threads = threads
        self.name = wrk_version(wrk) if wrk else "Python client (bench/load.py)"

    def measure(self, url, *, duration=None, connections=None, sessions=None, sessions_file=None, **kwargs):
        duration = duration or self.duration
        connections = connections or self.connections
        if self.wrk:
            if sessions is not None and sessions_file is None:
                raise ValueError("wrk takes the sessions from a file")
            return run_wrk(
                self.wrk,
                url,
                duration=duration,
                connections=connections,
                threads=min(self.threads, connections),
                sessions_file=sessions_file,
                **kwargs,
            )
        if sessions_file is not None and sessions is None:
            sessions = Path(sessions_file).read_text().split()
        return run_python(url, duration=duration, connections=connections, sessions=sessions, **kwargs)

    def describe(self):
        return f"{self.name}, {self.connections} connections, {self.threads} threads, {self.duration} s per endpoint"
