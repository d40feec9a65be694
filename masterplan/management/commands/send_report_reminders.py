"""`manage.py send_report_reminders`: the daily (cron) reminders to SKPDs late with their progress reports.

For the current masterplan of every active region, a lead SKPD still owing reports for a period is mailed 7, 3, 1
and 0 days before the period's due date and once after it has passed, one mail a day listing its periods. A day the
command did not run is caught up by the next run, which sends the latest step passed (only that one). An SKPD still
late REPORT_ESCALATION_DAYS after the overdue reminder is escalated once per period: to the coordinators' digest
and, when the region names one, to its escalation official. ReportReminder holds every step and escalation sent, so
a second run the same day mails nobody twice.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from common.commands import iso_date
from masterplan.services.chasing import report_reminders_send


class Command(BaseCommand):
    help = (
        "Mail SKPDs with progress reports still owed 7, 3, 1 and 0 days before the due date and once after it, "
        "catching up a missed day; escalate SKPDs still late. Run daily; a second run the same day sends nothing."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--today", type=iso_date, default=None, help="Act as if today were this date (YYYY-MM-DD), for testing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today: dt.date = options["today"] or timezone.localdate()
        run = report_reminders_send(today=today)
        if options["verbosity"] >= 2:
            for reminder in run.sent:
                self.stdout.write(f"  sent {reminder}")
            for reminder in run.skipped:
                self.stdout.write(f"  skipped {reminder}: the SKPD has no mail address")
            for escalation in run.escalations:
                self.stdout.write(f"  escalated {escalation}")
        summary = (
            f"Report reminders for {today:%Y-%m-%d}: {len(run.sent)} sent, {len(run.escalations)} escalated, "
            f"{run.digests} digest(s), {run.official_mails} mail(s) to officials"
        )
        if run.skipped:
            summary += f", {len(run.skipped)} skipped (no mail address)"
        self.stdout.write(self.style.SUCCESS(f"{summary}."))
