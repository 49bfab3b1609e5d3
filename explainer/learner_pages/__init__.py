"""A learner's own pages: one review across comparisons, progress, their data, and the privacy page.

They sit above the quiz (explainer/quiz) and the learner records (explainer/learners):
- `review.py`: /review/, the review round on the one round engine (ReviewOwner);
- `progress.py`: /progress/, per comparison what the learner has seen, got right, made solid, has due;
- `data.py`: /my-data/ (download as JSON, delete in one confirmed step) and /privacy/.
"""
