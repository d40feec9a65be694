from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MasterplanConfig(AppConfig):
    name = "masterplan"
    verbose_name = _("Masterplan")

    def ready(self) -> None:
        from masterplan import rules  # noqa: F401  (registers permission rules)
