"""The evaluation's models, one module per part of the work; import them from here."""

from evaluations.models.answers import Answer, AnswerEvidence
from evaluations.models.assessment import SCORE, AssessmentNote, OfficialResult, Score
from evaluations.models.cycles import PERCENT, Assignment, EvaluationCycle, ReminderLog, WindowExtension
from evaluations.models.followup import FollowUpEvidence, FollowUpItem, FollowUpTask, Meeting, MeetingInvitation
from evaluations.models.packages import Package
from evaluations.models.questionnaires import Lens, Question, Questionnaire

__all__ = [
    "PERCENT",
    "SCORE",
    "Answer",
    "AnswerEvidence",
    "AssessmentNote",
    "Assignment",
    "EvaluationCycle",
    "FollowUpEvidence",
    "FollowUpItem",
    "FollowUpTask",
    "Lens",
    "Meeting",
    "MeetingInvitation",
    "OfficialResult",
    "Package",
    "Question",
    "Questionnaire",
    "ReminderLog",
    "Score",
    "WindowExtension",
]
