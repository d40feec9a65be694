from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self) -> None:
        from evaluations import actions, rules  # noqa: F401  (registers audit actions and permission rules)
        from evaluations.models import AnswerEvidence, FollowUpEvidence
        from evidence.registry import register

        # The library lists, and refuses to delete, evidence that an evaluation answer cites.
        register(
            AnswerEvidence,
            evidence_field="evidence",
            label=_("Evaluation answer"),
            owner_of="answer",
            select_related=("answer__question", "answer__cycle", "answer__agency"),
            describe=lambda a: f"{a.question.code} · {a.cycle} · {a.agency.acronym}",
        )
        # ...and the evidence an SKPD reported a follow-up task with (the register keeps it as proof).
        register(
            FollowUpEvidence,
            evidence_field="evidence",
            label=_("Follow-up task"),
            owner_of="task",
            select_related=("task__item", "task__agency"),
            describe=lambda t: f"{t.agency.acronym} · {t.item}",
        )
