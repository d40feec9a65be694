from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = _("Evidence library")

    def ready(self) -> None:
        from evidence import actions, rules  # noqa: F401  (registers audit actions, permission rules, change labels)
