from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MasterplanConfig(AppConfig):
    name = "masterplan"
    verbose_name = _("Masterplan")

    def ready(self) -> None:
        from evidence.registry import register
        from masterplan import actions, rules  # noqa: F401  (registers audit actions and permission rules)
        from masterplan.models import ReportEvidence

        # The library lists, and refuses to delete, evidence that a report cites.
        register(
            ReportEvidence,
            evidence_field="evidence",
            label=_("Progress report"),
            owner_of="report",
            select_related=("report__programme", "report__agency"),
        )
