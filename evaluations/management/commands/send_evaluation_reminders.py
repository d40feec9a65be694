"""`manage.py send_evaluation_reminders`: the daily (cron) deadline reminders to SKPDs with open evaluation answers.

In every cycle that is not locked, an SKPD whose assigned answers are still drafts or returned is mailed when its
earliest open deadline is 7, 3, 1 or 0 days away, and once after it has passed. ReminderLog holds each step sent,
so a second run the same day (or a later day that lands on a step already sent) mails nobody twice.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from common.commands import iso_date
from evaluations.services.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "Mail SKPDs with open evaluation answers 7, 3, 1 and 0 days before their internal deadline, and once "
        "after it has passed. Run daily; a second run the same day sends nothing."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--today", type=iso_date, default=None, help="Act as if today were this date (YYYY-MM-DD), for testing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today: dt.date = options["today"] or timezone.localdate()
        sent, skipped = reminders_send(today=today)
        if options["verbosity"] >= 2:
            for reminder in sent:
                self.stdout.write(f"  sent {reminder}")
            for reminder in skipped:
                self.stdout.write(f"  skipped {reminder}: the SKPD has no mail address")
        summary = f"Evaluation reminders for {today:%Y-%m-%d}: {len(sent)} sent"
        if skipped:
            summary += f", {len(skipped)} skipped (no mail address)"
        self.stdout.write(self.style.SUCCESS(f"{summary}."))
