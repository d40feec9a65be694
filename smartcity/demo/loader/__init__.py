"""Writes the Banjar demo (the data modules beside this package) through the services the app uses.

Going through the services, the demo cannot drift from real behaviour, and every step lands in the audit log
as in use. Each step writes only what is missing or different, so `load()` can run on every start.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from agencies.notifications import mail_held
from smartcity.demo.loader import plan
from smartcity.demo.loader.evaluations import load_evaluations
from smartcity.demo.loader.followup import load_followup
from smartcity.demo.loader.kediri import load_kediri
from smartcity.demo.loader.packages import load_package
from smartcity.demo.loader.progress import Progress, Writer
from smartcity.demo.loader.reports import load_reports


def load(stdout: Writer | None = None) -> dict[str, int]:
    """Create or update the Banjar demo; return how many objects of each kind were created (and `updated`)."""
    progress = Progress(stdout)
    # One transaction: a failure halfway leaves no half-loaded demo behind. The report and answer workflows
    # mail the coordinator and the SKPDs on every step; for made-up history that would be hundreds of mails
    # (printed by the console backend, or bounced by a real server), so none is queued.
    with mail_held(), transaction.atomic():
        region = plan.load_region(progress)
        agencies = plan.load_agencies(progress, region)
        plan.load_users(progress, region, agencies)
        masterplan = plan.load_masterplan(progress, region)
        plan.load_programmes(progress, masterplan, agencies)
        today = timezone.localdate()
        load_reports(masterplan=masterplan, agencies=agencies, today=today, created=progress.created)
        load_evaluations(region=region, agencies=agencies, created=progress.created)
        load_followup(region=region, agencies=agencies, today=today, created=progress.created)
        # A second, small region and the national programme's part: the national view has two regions to compare,
        # and the assessor a queue across both.
        load_kediri(progress)
    # After the commit: the build reads the demo's files from storage and renders in a child process.
    load_package(region=region, created=progress.created)
    return progress.counts


__all__ = ["load"]
