"""The "Which is it?" quiz, in one place.

- `rounds`: drawing a round (balanced, interleaved), the round kept in the
  session, and the spaced retry round.
- `forms`: the learner's choice.
- `engine`: the one round engine: settling, the question, feedback and summary
  pages, answering and moving on, for any owner of a round (a visitor's round
  in the session; a class pupil's, explainer/classes/pupil_round.py).
- `views` and `urls`: a visitor's steps, behind one decorator that loads the
  comparison and the round.

The models (`Scenario`, the recorded `Response`) live with the other models in
explainer.models; docs/quiz.md says how the quiz teaches.
"""
