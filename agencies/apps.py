from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Regions and agencies")

    def ready(self) -> None:
        from agencies import actions, permissions, signals  # noqa: F401  (registers audit actions, rules, login audit)
