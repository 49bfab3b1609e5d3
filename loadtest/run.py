"""Load with accounting: Locust's simulated learners against gunicorn, answers counted on both sides.

    make loadtest                      # SQLite, then PostgreSQL; 50 learners for 60 s each
    LOADTEST_DB=sqlite make loadtest   # or postgres
    LOADTEST_USERS=10 LOADTEST_SECONDS=15 make loadtest

For each database: the throwaway production-like site of the benchmarks
(bench/server.py: its own database, migrate, load_content, collectstatic,
gunicorn with the production settings on a free port of 127.0.0.1; for
`postgres`, a throwaway cluster from scripts/pg-throwaway). Locust runs the
learners of loadtest/locustfile.py headless, ramping up over 5 s, and writes
its CSV reports (requests, failures, percentiles) to loadtest/results/.

It fails (exit 1) on any failed request, or when the answers the learners got
accepted (answer POSTs answered 302) differ from the Response rows the
database recorded once the server has stopped.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import server  # noqa: E402 - the shared harness, found from the project root

RESULTS = ROOT / "loadtest" / "results"
PG_THROWAWAY = str(ROOT / "scripts" / "pg-throwaway")


def env_int(name, default):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdecimal() or int(raw) < 1:
        sys.exit(f"loadtest: {name} must be a whole number of at least 1, not {raw!r}")
    return int(raw)


def recorded_responses(env):
    out = server.run_checked(
        [
            server.PYTHON,
            "manage.py",
            "shell",
            "-c",
            "from explainer.models import Response; print(Response.objects.count())",
        ],
        env,
        "counting responses",
        timeout=120,
    )
    return int(out.strip().splitlines()[-1])


def run_database(db, users, seconds, threads):
    """One complete run against `db`; returns whether it passed."""
    tmp = tempfile.mkdtemp(prefix=f"explainer-loadtest-{db}-")
    os.chmod(tmp, 0o755)  # noqa: S103 - the postgres user must reach its cluster directory inside
    pg_dir = os.path.join(tmp, "pg")
    env = server.production_env(tmp, server.new_secret_key())
    try:
        if db == "postgres":
            url = server.run_checked([PG_THROWAWAY, "start", pg_dir, str(server.free_port())], env, "pg-throwaway", 120)
            env["DATABASE_URL"] = url.strip().splitlines()[-1]
        print(f"loadtest [{db}]: preparing the site ({env['DATABASE_URL']})", flush=True)
        server.prepare_site(env)
        before = recorded_responses(env)
        accepted_file = Path(tmp) / "accepted"
        RESULTS.mkdir(exist_ok=True)
        with server.Gunicorn(env, f"loadtest-{db}", tmp, threads=threads) as site:
            print(f"loadtest [{db}]: {users} learners for {seconds} s on {site.base_url}", flush=True)
            locust = subprocess.run(
                [
                    *(server.PYTHON, "-m", "locust", "-f", str(ROOT / "loadtest" / "locustfile.py")),
                    *("--headless", "--users", str(users), "--spawn-rate", str(max(1, users // 5))),
                    *("--run-time", f"{seconds}s", "--host", site.base_url, "--stop-timeout", "10"),
                    *("--csv", str(RESULTS / db), "--only-summary"),
                ],
                cwd=ROOT,
                env={**env, "LOADTEST_ACCEPTED_FILE": str(accepted_file)},
                check=False,
                timeout=seconds + 120,
            )
        accepted = int(accepted_file.read_text()) if accepted_file.exists() else -1
        recorded = recorded_responses(env) - before
        match = accepted == recorded
        verdict = "OK" if match else "MISMATCH"
        print(f"loadtest [{db}]: answers accepted by learners {accepted}, recorded {recorded} -> {verdict}")
        failures = "found no failure" if locust.returncode == 0 else "reported failures"
        print(f"loadtest [{db}]: Locust {failures}; CSV in {RESULTS}")
        return locust.returncode == 0 and match
    finally:
        if db == "postgres":
            subprocess.run([PG_THROWAWAY, "stop", pg_dir], timeout=120, check=False)
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    server.exit_cleanly_on_signals()
    choice = os.environ.get("LOADTEST_DB", "").strip().lower() or "both"
    if choice not in {"both", "sqlite", "postgres"}:
        sys.exit(f"loadtest: LOADTEST_DB must be sqlite or postgres (or unset for both), not {choice!r}")
    databases = ["sqlite", "postgres"] if choice == "both" else [choice]
    users, seconds = env_int("LOADTEST_USERS", 50), env_int("LOADTEST_SECONDS", 60)
    threads = env_int("LOADTEST_THREADS", 4)
    failed = [db for db in databases if not run_database(db, users, seconds, threads)]
    print("loadtest: " + (f"FAIL ({', '.join(failed)})" if failed else f"PASS ({', '.join(databases)})"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
