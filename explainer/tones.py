"""The concept colours ("tones"): which of the palette's colours a comparison's column gets.

One rule for every view (table, takeaways, definitions, quiz options, feedback,
summary, charts): the concept in column `index` (0-based) wears the class
`tone-<tone_of(index)>`. The palette has TONES colours (static/scss/_tones.scss
defines exactly .tone-1 to .tone-TONES); columns past the last colour start the
palette again, so no page ever names a tone without CSS.
"""

TONES = 3  # colours in the palette: .tone-1 to .tone-3 (tests/test_tones.py checks the SCSS defines each)


def tone_of(index):
    """The tone number (1 to TONES) of the concept in 0-based column `index`."""
    return index % TONES + 1
