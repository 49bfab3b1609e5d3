"""Checks that shipped text is our own: no run of 8 words from the source article.

The article itself is not part of the project; tests/data/seed-8grams.txt holds
a SHA-1 of each of its 8-word runs (make seed-fingerprint rebuilds it from
../shared/seed/), so the check runs anywhere without shipping its sentences.
"""

import hashlib
import re
from pathlib import Path

RUN = 8
FINGERPRINT = Path(__file__).parent / "data" / "seed-8grams.txt"


def words(text):
    text = text.lower().replace("’", "'").replace("‘", "'")
    return re.findall(r"[a-z0-9']+", text)


def runs(text, n=RUN):
    tokens = words(text)
    return {" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def digest(run):
    return hashlib.sha1(run.encode()).hexdigest()  # noqa: S324 - a fingerprint, not security


def fingerprint(text):
    return sorted({digest(run) for run in runs(text)})


def load_fingerprint():
    return set(FINGERPRINT.read_text().split())


def borrowed_runs(text, known):
    """The 8-word runs of `text` whose fingerprint is in `known`."""
    return sorted(run for run in runs(text) if digest(run) in known)


if __name__ == "__main__":
    import sys

    source = Path(sys.argv[1]).read_text(encoding="utf-8")
    FINGERPRINT.write_text("\n".join(fingerprint(source)) + "\n")
    print(f"wrote {FINGERPRINT}")
