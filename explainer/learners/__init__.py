"""Learners kept in the database (issue 25): who a browser is, their records, and their own pages.

- `identity.py`: the learner cookie, the learner of a request, and the middleware that sets the cookie.
- `carry_over.py`: rounds and review cards from sessions of before, moved into the learner's records.
- `records.py`: merging two learners, a learner's data as JSON, deleting it, purging untouched learners.

They sit below the quiz (explainer/quiz reads the learner of a request); the
learner's own pages (/review/, /progress/, /my-data/, /privacy/) sit above both,
in explainer/learner_pages/.
"""
