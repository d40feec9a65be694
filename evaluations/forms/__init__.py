"""Forms for the evaluation pages: parsing and field-level checks; the services hold the rules.

One module per part of the evaluation, as the views are split: `cycles` (a cycle's settings, assessors, window
extensions and lock), `questionnaire` (uploading a version, assigning questions), `answers` (an SKPD's answer),
`assessment` (the assessor's score sheet) and `results` (the official result letter). `widgets` holds what they
share.
"""

from __future__ import annotations

from evaluations.forms.answers import AnswerForm
from evaluations.forms.assessment import ScoreSheetForm
from evaluations.forms.cycles import AssessorsForm, CycleForm, LockForm, WindowExtensionForm
from evaluations.forms.questionnaire import AssignForm, QuestionnaireUploadForm
from evaluations.forms.results import OfficialResultForm

__all__ = [
    "AnswerForm",
    "AssessorsForm",
    "AssignForm",
    "CycleForm",
    "LockForm",
    "OfficialResultForm",
    "QuestionnaireUploadForm",
    "ScoreSheetForm",
    "WindowExtensionForm",
]
