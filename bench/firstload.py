"""Bytes of a first load of a page with all its assets, in Debian's Chromium: `python -m bench.firstload URL`.

A fresh browser context (empty cache, no cookies) opens the page and waits
until the network is idle. For every response it takes the encoded size,
what went over the wire: the body as sent (compressed when the server
compressed it) plus the response headers. Requests to any host other than
the page's own are counted as third-party and aborted (they never leave the
machine). The browser asks for gzip and br, as Chromium does over HTTPS.

Prints one JSON object.
"""

import json
import os
import sys
from urllib.parse import urlsplit

# Debian's Chromium, headless and quiet: no sandbox (root), no GPU, and none of the
# background requests that this machine's closed network would refuse. The browser
# tests launch it with the same flags.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def first_load(url, timeout_ms=30_000):
    from playwright.sync_api import sync_playwright

    page_host = urlsplit(url).hostname
    third_party, finished, failed = [], [], []

    def is_third_party(request_url):
        parts = urlsplit(request_url)
        return parts.scheme not in {"data", "blob", "about"} and parts.hostname != page_host

    def route(route):
        if is_third_party(route.request.url):
            third_party.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=timeout_ms)
        try:
            context = browser.new_context(extra_http_headers={"Accept-Encoding": "gzip, br"})
            page = context.new_page()
            page.route("**/*", route)
            page.on("requestfinished", lambda request: finished.append(request))
            page.on("requestfailed", lambda request: failed.append(request.url))
            response = page.goto(url, wait_until="networkidle", timeout=timeout_ms)
            status = response.status if response else None
            rows = []
            for request in finished:
                sizes = request.sizes()
                reply = request.response()
                rows.append(
                    {
                        "url": request.url,
                        "type": request.resource_type,
                        "status": reply.status if reply else None,
                        "content_encoding": (reply.headers.get("content-encoding") if reply else None) or "",
                        "body_bytes": max(sizes["responseBodySize"], 0),
                        "header_bytes": max(sizes["responseHeadersSize"], 0),
                    }
                )
        finally:
            browser.close()
    body = sum(row["body_bytes"] for row in rows)
    headers = sum(row["header_bytes"] for row in rows)
    return {
        "url": url,
        "status": status,
        "requests": len(rows),
        "body_bytes": body,
        "header_bytes": headers,
        "transfer_bytes": body + headers,
        "third_party_requests": len(third_party),
        "third_party_urls": third_party,
        "failed_requests": [u for u in failed if u not in third_party],
        "responses": rows,
    }


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python -m bench.firstload URL")
    json.dump(first_load(sys.argv[1]), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
