"""Time-bound claims: how they are recognised, and the months they were checked and must be checked again.

Contract (plain Python, no Django, so the content rules and the models share it):
- `time_bound(text)` returns the first phrase that makes `text` a claim that
  can go stale ("as of", "to date", "currently", "still in force" ...), or "".
- `as_of_months(text)` returns the months ("2026-12") named as "as of December 2026".
- `parse_sources(markdown)` reads the sources list as load_content writes it
  ("- claim: <url> (checked 2026-12, review by 2027-12)") into `Source`s.
- `earliest_review(markdown)` is the first review-by month of those sources, as
  a date (the first of that month), or None: the comparison's next review.
"""

import datetime
import re
from dataclasses import dataclass

# Phrases that tie a claim to the moment it was written. "still" and "remains" alone
# are too common in timeless sentences ("a coalition is still a coalition"), so only
# their time-bound uses count; "up to date" and "so far as" are not claims about now.
TIME_BOUND = re.compile(
    r"\b(as of|(?<!up )to date|(?<!in )so far(?! as)|currently|at present|at the time of writing|"
    r"(?:still|remains?) (?:in force|in place|in effect|being \w+|under way|ongoing|running|active|valid|stands))\b",
    re.IGNORECASE,
)
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
AS_OF_MONTH = re.compile(r"\bas of (" + "|".join(MONTHS) + r") (\d{4})\b", re.IGNORECASE)
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
# A review-by date is at most this many months after the check.
MAX_REVIEW_MONTHS = 12

_LINE = re.compile(r"^\s*[-*]\s+(?P<claim>.*?)\s*:?\s*<(?P<url>[^<>\s]+)>\s*(?:\((?P<dates>[^()]*)\))?\s*$")
_CHECKED = re.compile(r"checked (\d{4}-\d{2})")
_REVIEW_BY = re.compile(r"review by (\d{4}-\d{2})")


@dataclass
class Source:
    claim: str
    url: str
    checked: str = ""  # YYYY-MM
    review_by: str = ""  # YYYY-MM


def time_bound(text):
    match = TIME_BOUND.search(text or "")
    return match.group(1) if match else ""


def as_of_months(text):
    return [f"{year}-{MONTHS.index(month.lower()) + 1:02d}" for month, year in AS_OF_MONTH.findall(text or "")]


def month_index(month):
    """A YYYY-MM month as a number of months (for differences), or None if it is not one."""
    match = MONTH.match(month or "")
    return int(match.group(1)) * 12 + int(match.group(2)) - 1 if match else None


def month_date(month):
    """The first day of a YYYY-MM month, or None."""
    index = month_index(month)
    return None if index is None else datetime.date(index // 12, index % 12 + 1, 1)


def source_line(claim, url, checked="", review_by=""):
    """One line of the sources list, as readers see it."""
    dates = [f"checked {checked}"] if checked else []
    if review_by:
        dates.append(f"review by {review_by}")
    suffix = f" ({', '.join(dates)})" if dates else ""
    return f"- {claim.rstrip('. ')}: <{url}>{suffix}"


def parse_sources(markdown):
    sources = []
    for line in (markdown or "").splitlines():
        match = _LINE.match(line)
        if match is None:
            continue
        dates = match.group("dates") or ""
        checked, review_by = _CHECKED.search(dates), _REVIEW_BY.search(dates)
        sources.append(
            Source(
                match.group("claim"),
                match.group("url"),
                checked.group(1) if checked else "",
                review_by.group(1) if review_by else "",
            )
        )
    return sources


def earliest_review(markdown):
    months = [s.review_by for s in parse_sources(markdown) if month_index(s.review_by) is not None]
    return month_date(min(months)) if months else None
