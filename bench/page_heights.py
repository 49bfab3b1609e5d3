"""Page heights of the reader's pages at a phone and a desktop size: `make page-heights` (python -m bench.page_heights).

Runs against the same throwaway production site as the benchmark
(bench/server.py), in Debian's Chromium: for each page and viewport
(390x844 and 1280x800) it prints the document's height and width in CSS
pixels, and with --screenshots DIR saves a full-page screenshot of each.
Exits 0 unless the harness itself failed.
"""

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from bench import server
from bench.firstload import CHROMIUM, CHROMIUM_ARGS

VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 800)}
PAGES = {
    "home": "/",
    "comparison": "/compare/alliance-vs-coalition/",
    "three-way": "/compare/alliance-coalition-partnership/",
}


def measure(base_url, pages, screenshots=None):
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for viewport, (width, height) in VIEWPORTS.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                for name, path in pages.items():
                    page.goto(base_url + path, wait_until="networkidle")
                    # Sections with `content-visibility: auto` have a placeholder height until
                    # they come near the screen: scroll through the page so every one is laid out.
                    page.evaluate(
                        "async () => { let y = 0; while (y < document.documentElement.scrollHeight) {"
                        " y += innerHeight; scrollTo(0, y); await new Promise(r => requestAnimationFrame(r)); }"
                        " scrollTo(0, 0); }"
                    )
                    size = page.evaluate(
                        "({h: document.documentElement.scrollHeight, w: document.documentElement.scrollWidth})"
                    )
                    rows.append(
                        {"page": name, "path": path, "viewport": viewport, "height": size["h"], "width": size["w"]}
                    )
                    if screenshots:
                        Path(screenshots).mkdir(parents=True, exist_ok=True)
                        page.screenshot(path=str(Path(screenshots) / f"{name}-{viewport}.png"), full_page=True)
                context.close()
        finally:
            browser.close()
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshots", help="save full-page screenshots into this folder")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    server.exit_cleanly_on_signals()
    tmpdir = tempfile.mkdtemp(prefix="explainer-heights-")
    env = server.production_env(tmpdir, server.new_secret_key())
    try:
        server.prepare_site(env, lambda message: print(message, file=sys.stderr))
        with server.Gunicorn(env, "heights", tmpdir) as site:
            rows = measure(site.base_url, PAGES, args.screenshots)
    except (server.HarnessError, OSError) as error:
        print(f"page_heights: the harness failed: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        for row in rows:
            print(f"{row['path']:<45}{row['viewport']:<9}{row['height']:>7} px tall{row['width']:>6} px wide")
    return 0


if __name__ == "__main__":
    sys.exit(main())
