"""Asking for a package, running its build on a worker, noticing dead builds, and recording downloads.

The rules a build depends on are held by the database inside the transaction that writes: the cycle's row is
locked while a request looks for a build already under way, and a partial unique index allows one queued or
running build per cycle (per region, year and period for the monev report), so pressing twice, in two tabs or
by two coordinators at once, starts one build. A worker claims a build with a conditional UPDATE
(queued → running), so two workers never build the same package.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agencies.audit import audit_record
from agencies.models import Region
from evaluations.actions import EvaluationAction
from evaluations.models import EvaluationCycle
from evaluations.models.packages import Package
from evaluations.packages.scratch import discard_scratch
from evaluations.services.cycles import hold_cycle

logger = logging.getLogger(__name__)
Actor = AbstractBaseUser | None
Status = Package.Status


class BuildAbandoned(Exception):
    """The package row left the running state under the worker (it was marked stale): stop building."""


def _enqueue(package: Package) -> None:
    from evaluations.tasks import build_package  # the task module imports this one

    transaction.on_commit(lambda: build_package.enqueue(package_id=package.pk))


def _language() -> str:
    # The package is built in the language of the page the coordinator pressed the button on.
    return translation.get_language() or settings.LANGUAGE_CODE


def _start(
    *, by: Actor, same: dict[str, Any], fields: dict[str, Any], changes: dict[str, Any], queue: bool
) -> tuple[Package, bool]:
    """Inside the caller's transaction, holding the row that serialises requests: the build under way among
    `same`, or a new one (package, started). The partial unique index settles a race the row lock cannot see."""
    active = Package.objects.filter(**same, status__in=Package.ACTIVE).first()
    if active is not None:
        return active, False
    try:
        with transaction.atomic():
            package = Package.objects.create(
                **same,
                **fields,
                language=_language(),
                requested_by=by if by is not None and by.is_authenticated else None,
            )
    except IntegrityError:  # another request won the race between our look and our insert
        return Package.objects.get(**same, status__in=Package.ACTIVE), False
    audit_record(
        actor=by, action=EvaluationAction.PACKAGE_REQUESTED, target=package, region=package.region, changes=changes
    )
    if queue:
        _enqueue(package)
    return package, True


@transaction.atomic
def package_request(*, cycle: EvaluationCycle, by: Actor, queue: bool = True) -> tuple[Package, bool]:
    """Queue a build of `cycle`'s package, or return the build already under way; (package, started).

    `queue=False` leaves the new build for the caller to run with `package_run` (the demo loader builds its
    package in-process, whatever task backend is configured)."""
    cycle = hold_cycle(cycle)
    expire_stale(now=timezone.now(), cycle=cycle)
    return _start(
        by=by,
        same={"cycle": cycle},
        fields={
            "region": cycle.region,
            "kind": Package.Kind.SUBMISSION,
            "year": cycle.year,
            "is_final": cycle.is_locked,
        },
        changes={"is_final": cycle.is_locked, "language": _language()},
        queue=queue,
    )


@transaction.atomic
def monev_request(*, region: Region, year: int, period: int, by: Actor) -> tuple[Package, bool]:
    """Queue a build of the region's monev report for `year` up to `period` (0: the whole year)."""
    Region.objects.select_for_update().filter(pk=region.pk).first()
    expire_stale(now=timezone.now(), region=region)
    return _start(
        by=by,
        same={"region": region, "kind": Package.Kind.MONEV, "year": year, "period": period},
        fields={"is_final": True},
        changes={"year": year, "period": period},
        queue=True,
    )


def expire_stale(*, now: dt.datetime, cycle: EvaluationCycle | None = None, region: Region | None = None) -> int:
    """Mark failed the builds whose worker died (no heartbeat) or that no worker took; returns how many."""
    heartbeat_limit = now - dt.timedelta(seconds=settings.PACKAGE_STALE_SECONDS)
    queue_limit = now - dt.timedelta(seconds=settings.PACKAGE_QUEUE_SECONDS)
    stale = Package.objects.filter(
        Q(status=Status.RUNNING, heartbeat_at__lt=heartbeat_limit)
        | Q(status=Status.QUEUED, requested_at__lt=queue_limit)
    )
    if cycle is not None:
        stale = stale.filter(cycle=cycle)
    if region is not None:
        stale = stale.filter(region=region)
    expired = 0
    for package in stale.select_related("region"):
        why = (
            _("The worker building this package stopped answering; build it again.")
            if package.status == Status.RUNNING
            else _("No worker took this build; check that a task worker is running, then build it again.")
        )
        # Conditional: a worker that comes back to life between our read and this write keeps its build.
        if Package.objects.filter(pk=package.pk, status=package.status, heartbeat_at=package.heartbeat_at).update(
            status=Status.FAILED, error=why, finished_at=now
        ):
            expired += 1
            discard_scratch(package)
            audit_record(
                actor=None,
                action=EvaluationAction.PACKAGE_FAILED,
                target=package,
                region=package.region,
                reason=str(why),
            )
    return expired


def _beat(package_id: int) -> Any:
    def beat(step: str, progress: int) -> None:
        moved = Package.objects.filter(pk=package_id, status=Status.RUNNING).update(
            step=step, progress=progress, heartbeat_at=timezone.now()
        )
        if not moved:
            raise BuildAbandoned

    return beat


def package_run(*, package_id: int) -> Package | None:
    """The worker's side: claim the queued build, build it, record the outcome. Never raises for a build error."""
    now = timezone.now()
    claimed = Package.objects.filter(pk=package_id, status=Status.QUEUED).update(
        status=Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
        step=Package.Step.COLLECTING,
    )
    if not claimed:
        logger.info("package %s is no longer queued; nothing to build", package_id)
        return None
    # Imported here, on the worker: WeasyPrint and Pango take half a second to load, which no web process needs.
    from evaluations.packages.build import build

    package = Package.objects.select_related("region", "cycle__region", "requested_by").get(pk=package_id)
    try:
        fields = build(package, _beat(package_id))
    except BuildAbandoned:
        logger.warning("package %s was marked stale while building; its files are discarded", package_id)
        return None
    except Exception as error:
        logger.exception("package %s failed", package_id)
        message = _("The build failed: %(error)s") % {"error": str(error)[:500] or type(error).__name__}
        with transaction.atomic():
            Package.objects.filter(pk=package_id, status=Status.RUNNING).update(
                status=Status.FAILED, error=message, finished_at=timezone.now()
            )
            audit_record(
                actor=package.requested_by,
                action=EvaluationAction.PACKAGE_FAILED,
                target=package,
                region=package.region,
                reason=message,
            )
        return None
    with transaction.atomic():
        done = Package.objects.filter(pk=package_id, status=Status.RUNNING).update(
            status=Status.DONE, step=Package.Step.DONE, progress=100, finished_at=timezone.now(), error="", **fields
        )
        if done:
            audit_record(
                actor=package.requested_by,
                action=EvaluationAction.PACKAGE_BUILT,
                target=package,
                region=package.region,
                changes={
                    "archive_sha256": fields.get("archive_sha256", ""),
                    "pdf_sha256": fields["pdf_sha256"],
                    "workbook_sha256": fields["workbook_sha256"],
                    "is_final": fields["is_final"],
                },
            )
    return Package.objects.get(pk=package_id)


@transaction.atomic
def package_downloaded(*, package: Package, part: str, by: Actor, ranged: bool = False) -> None:
    """Record a download (a range request continuing one is not recorded again)."""
    if ranged:
        return
    audit_record(
        actor=by,
        action=EvaluationAction.PACKAGE_DOWNLOADED,
        target=package,
        region=package.region,
        changes={"part": part},
    )
