from __future__ import annotations

from django.apps import AppConfig


class SmartcityConfig(AppConfig):
    name = "smartcity"
    verbose_name = "Smart City"

    def ready(self) -> None:
        from common import lookups  # noqa: F401  (registers the overflow-safe integer `__in`)
