"""What makes a learner strong or weak for the item statistics (docs/quiz.md, rule 9).

A round's score is its share of right responses. A scenario that strong
learners miss more often than weak ones is probably ambiguous or wrong.
"""

# Round scores (share right) that make a learner strong or weak.
STRONG_ROUND = 0.7
WEAK_ROUND = 0.4
