"""Lighthouse scores of the home, comparison and quiz pages: `make lighthouse` (python -m bench.lighthouse).

Runs against the same throwaway production site as the benchmark
(bench/server.py: production settings, temporary database, collected static
files, gunicorn with 2 workers on 127.0.0.1), with the npm package
`lighthouse` pinned in bench/package.json (installed into bench/node_modules
on first use) driving Debian's Chromium (CHROME_PATH=/usr/bin/chromium).
Mobile profile (Lighthouse's default: emulated phone, simulated slow 4G and
4x CPU slowdown), categories performance, accessibility, best practices, SEO.

Prints a table of scores (0-100); writes each full report as JSON and HTML to
bench/results/lighthouse-<page>.report.{json,html} and the scores to
bench/results/lighthouse.json. Exits 0 unless the harness itself failed.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import server

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
CHROME_PATH = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def log(message=""):
    print(message, flush=True)


def ensure_lighthouse():
    """npm ci in bench/ unless the pinned version is already there."""
    pinned = json.loads((BENCH / "package.json").read_text())["devDependencies"]["lighthouse"]
    installed = BENCH / "node_modules" / "lighthouse" / "package.json"
    if LIGHTHOUSE.exists() and installed.exists() and json.loads(installed.read_text())["version"] == pinned:
        return
    if not shutil.which("npm"):
        raise server.HarnessError("npm is needed to install Lighthouse (Node.js 20 with npm, see README.md)")
    log("  installing lighthouse (npm ci in bench/) ...")
    server.run_checked(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", str(BENCH)],
        dict(os.environ),
        "npm ci (bench/package.json)",
        timeout=600,
    )
    if not LIGHTHOUSE.exists():
        raise server.HarnessError(f"{LIGHTHOUSE} is missing after npm ci")


def audit(url, name, timeout):
    """One Lighthouse run; returns {category: score 0-100} and the report paths."""
    base = RESULTS / f"lighthouse-{name}"
    args = [
        str(LIGHTHOUSE),
        url,
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        "--output=html",
        f"--output-path={base}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": CHROME_PATH}
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise server.HarnessError(f"lighthouse took longer than {timeout} s on {url}") from None
    report_path = base.with_name(base.name + ".report.json")
    if done.returncode != 0 or not report_path.exists():
        raise server.HarnessError(f"lighthouse failed on {url} (exit {done.returncode}):\n{done.stderr[-3000:]}")
    report = json.loads(report_path.read_text())
    scores = {}
    for category in CATEGORIES:
        score = report["categories"].get(category, {}).get("score")
        scores[category] = None if score is None else round(score * 100)
    failing = [
        audit["title"]
        for ref in report["categories"].get("seo", {}).get("auditRefs", [])
        + report["categories"].get("best-practices", {}).get("auditRefs", [])
        + report["categories"].get("accessibility", {}).get("auditRefs", [])
        if ref.get("weight")
        and (audit := report["audits"].get(ref["id"], {})).get("score") is not None
        and audit["score"] < 1
    ]
    metrics = {
        key: report["audits"].get(key, {}).get("displayValue")
        for key in (
            "first-contentful-paint",
            "largest-contentful-paint",
            "total-blocking-time",
            "cumulative-layout-shift",
        )
    }
    return {
        "url": url,
        "scores": scores,
        "metrics": metrics,
        "failing_audits": failing,
        "runtime_error": (report.get("runtimeError") or {}).get("message"),
        "lighthouse": report.get("lighthouseVersion"),
        "user_agent": report.get("environment", {}).get("hostUserAgent"),
        "report": str(report_path.relative_to(server.ROOT)),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slug", default="alliance-vs-coalition", help="the comparison (and its quiz) to audit")
    parser.add_argument("--timeout", type=int, default=180, help="seconds per Lighthouse run (default 180)")
    args = parser.parse_args(argv)
    server.exit_cleanly_on_signals()
    started = time.monotonic()
    tmpdir = tempfile.mkdtemp(prefix="explainer-lighthouse-")
    env = server.production_env(tmpdir, server.new_secret_key())
    pages = {
        "home": "/",
        "comparison": f"/compare/{args.slug}/",
        "quiz": f"/compare/{args.slug}/quiz/",
    }
    results = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "form_factor": "mobile", "pages": {}}
    try:
        log("Preparing a throwaway production site (temporary SQLite database) ...")
        server.ensure_chromium(CHROME_PATH, log)
        ensure_lighthouse()
        RESULTS.mkdir(exist_ok=True)
        server.prepare_site(env, log)
        with server.Gunicorn(env, "lighthouse", tmpdir) as site:
            for name, path in pages.items():
                log(f"Lighthouse (mobile) on {path} ...")
                results["pages"][name] = {"path": path, **audit(site.base_url + path, name, args.timeout)}
    except (server.HarnessError, OSError, subprocess.SubprocessError) as error:
        log(f"\nlighthouse: the harness failed: {error}")
        return 1
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    results["runtime_s"] = round(time.monotonic() - started, 1)
    (RESULTS / "lighthouse.json").write_text(json.dumps(results, indent=2) + "\n")

    first = next(iter(results["pages"].values()))
    line = "-" * 86
    log()
    log(line)
    log(f"Lighthouse {first['lighthouse']}, mobile profile, Chromium {CHROME_PATH}, gunicorn on 127.0.0.1")
    log(line)
    log(f"{'page':<40}{'performance':>12}{'accessibility':>15}{'best practices':>16}{'SEO':>5}")
    for entry in results["pages"].values():
        s = entry["scores"]
        log(
            f"{entry['path']:<40}{s['performance']!s:>12}{s['accessibility']!s:>15}"
            f"{s['best-practices']!s:>16}{s['seo']!s:>5}"
        )
    log(line)
    for entry in results["pages"].values():
        m = entry["metrics"]
        log(
            f"{entry['path']}: FCP {m['first-contentful-paint']}, LCP {m['largest-contentful-paint']}, "
            f"TBT {m['total-blocking-time']}, CLS {m['cumulative-layout-shift']}"
        )
        if entry["failing_audits"]:
            log(f"  not passed (a11y / best practices / SEO): {'; '.join(entry['failing_audits'])}")
        if entry["runtime_error"]:
            log(f"  lighthouse runtime error: {entry['runtime_error']}")
    log(line)
    log(
        f"reports in bench/results/lighthouse-*.report.html; scores in bench/results/lighthouse.json; "
        f"{results['runtime_s']} s in all"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
