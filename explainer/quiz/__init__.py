"""The "Which is it?" quiz, in one place.

- `rounds`: drawing a round (balanced, interleaved), the round kept in the
  session, and the spaced retry round.
- `forms`: the learner's choice.
- `views` and `urls`: one view per step, behind one decorator that loads the
  comparison and the round.

The models (`Scenario`, the recorded `Response`) live with the other models in
explainer.models; docs/quiz.md says how the quiz teaches.
"""
