"""Class codes: short enough to type from a board, long enough that guessing one is hopeless.

8 characters from a 30-letter alphabet without look-alikes (no 0/O, 1/I/L, U):
30**8 = 6.6e11 codes. At the join limit (JOIN_MISSES_PER_HOUR = 60 wrong codes
an hour from one address, then CODES_WHEN_LIMITED = 10 more: 70 an hour, 613,200
a year), finding any one of 100,000 classes takes 6.6e11 / 1e5 / 613,200 = 10.7
years on average (docs/decisions.md).
"""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8
# Wrong codes one address may try in an hour before the join page answers 429. A school's
# pupils share one address and some mistype the code, so this is not set lower.
JOIN_MISSES_PER_HOUR = 60
# Distinct codes an address past that limit may still open in the hour (explainer/classes/joining.py):
# the code on the board, and a few more classes, while a guesser gets no further.
CODES_WHEN_LIMITED = 10


def new_code():
    """A fresh random code (the caller checks it is unused)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(raw):
    """The code as stored, from what a pupil typed ("abcd-2345 " -> "ABCD2345"), or None if it cannot be one.

    Spaces and hyphens are ignored and case does not matter; anything else
    outside the alphabet, or the wrong length, is not a code.
    """
    if not isinstance(raw, str) or len(raw) > 3 * LENGTH:
        return None
    code = "".join(raw.split()).replace("-", "").upper()
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def display(code):
    """The code as shown to people: two groups of four ("ABCD-2345")."""
    return f"{code[:4]}-{code[4:]}"
