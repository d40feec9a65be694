# Evaluation cycles, questionnaires, answers and assessment arrive with the evaluation issue.
