"""Teachers' classes: one link for a class, pupils known only by a nickname, live results, worksheets.

- `codes`: the class code (alphabet, length, normalising what pupils type).
- `models`: SchoolClass, Pupil (registered with the app through explainer.models).
- `results`: the teacher's figures, per item and per pupil, and the CSV.
- `forms`, `views` (the teacher's pages), `join_views` (joining, and knowing the pupil again),
  `pupil_round` (the pupil's round: the quiz's round engine with the class's rules),
  `print_views` (worksheets and answer keys), `urls`.

A pupil's answers are ordinary `Response` rows with `Response.pupil` set, so
they count in the site-wide item statistics; docs/decisions.md says why.
"""
