"""`manage.py load_demo`: load (or bring up to date) the Kabupaten Banjar demo data."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from smartcity.demo import loader

# The order and wording of the summary; keys match what loader.load() counts.
SUMMARY = (
    ("regions", "region", "regions"),
    ("agencies", "agency", "agencies"),
    ("users", "user", "users"),
    ("memberships", "membership", "memberships"),
    ("masterplans", "masterplan", "masterplans"),
    ("programmes", "programme", "programmes"),
    ("indicators", "indicator", "indicators"),
    ("evidence", "evidence file", "evidence files"),
    ("reports", "progress report", "progress reports"),
    ("cycles", "evaluation cycle", "evaluation cycles"),
    ("questionnaires", "questionnaire", "questionnaires"),
    ("questions", "question", "questions"),
    ("answers", "answer", "answers"),
    ("scores", "score", "scores"),
    ("notes", "assessment note", "assessment notes"),
    ("meetings", "meeting", "meetings"),
    ("followup items", "follow-up item", "follow-up items"),
    ("packages", "evaluation package", "evaluation packages"),
)


def summarise(counts: dict[str, int]) -> str:
    """One line saying what the load created and how many existing objects it changed."""
    created = [f"{counts[key]} {one if counts[key] == 1 else many}" for key, one, many in SUMMARY if counts[key]]
    updated = counts.get("updated", 0)
    if not created and not updated:
        return "Banjar demo data is already up to date: nothing created or changed."
    parts = [f"created {', '.join(created)}"] if created else []
    if updated:
        parts.append(f"updated {updated} existing object{'' if updated == 1 else 's'}")
    return f"Banjar demo data loaded: {'; '.join(parts)}."


class Command(BaseCommand):
    help = "Load the Kabupaten Banjar demo (SKPDs, masterplan, programmes, demo logins). Safe to run again."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when DEBUG is off (the demo logins share a published password).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo creates a superuser whose password is printed by demo_logins: never by accident in production.
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to load demo logins with a known password while DEBUG is off. "
                "Set DJANGO_DEBUG=1 or pass --force."
            )
        counts = loader.load(stdout=self.stdout if options["verbosity"] >= 2 else None)
        self.stdout.write(self.style.SUCCESS(summarise(counts)))
