"""Teachers' classes: one link for a class, pupils known only by a nickname, live results, worksheets.

- `codes`: the class code (alphabet, length, normalising what pupils type).
- `models`: SchoolClass, Pupil (registered with the app through explainer.models).
- `results`: the teacher's figures, per item and per pupil, and the CSV.
- `forms`, `views` (the teacher's pages), `pupil_views` (joining and the round),
  `print_views` (worksheets and answer keys), `urls`.

A pupil's answers are ordinary `Response` rows with `Response.pupil` set, so
they count in the site-wide item statistics; docs/decisions.md says why.
"""
