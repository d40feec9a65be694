from __future__ import annotations

from django.apps import AppConfig


class SmartcityConfig(AppConfig):
    name = "smartcity"
    verbose_name = "Smart City"
