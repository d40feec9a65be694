"""The demo's built package: the final evaluation package of the locked, fully assessed 2023 Tahap I cycle, so the
assessor has something to download at once and the coordinator sees what a package looks like. Built once;
a later run leaves it alone while it is current, and builds it again when the demo's data changed."""

from __future__ import annotations

from collections.abc import Callable

from agencies.models import Membership, Region, Role
from evaluations.models import EvaluationCycle, Package
from evaluations.selectors.package import data_stamp
from evaluations.services.packages import package_request, package_run

DEMO_PACKAGE_CYCLE = (2023, "Tahap I")


def load_package(*, region: Region, created: Callable[[str, object], None]) -> None:
    year, stage = DEMO_PACKAGE_CYCLE
    cycle = EvaluationCycle.objects.filter(region=region, year=year, stage=stage, locked_at__isnull=False).first()
    if cycle is None:
        return
    done = Package.objects.filter(cycle=cycle, status=Package.Status.DONE, is_final=True).first()
    if done is not None and done.data_stamp == data_stamp(cycle):
        return
    coordinator = (
        Membership.objects.filter(region=region, role=Role.COORDINATOR, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    package, _started = package_request(cycle=cycle, by=coordinator.user if coordinator else None, queue=False)
    package_run(package_id=package.pk)  # here and now, whichever task backend is configured
    package.refresh_from_db()
    if package.is_done:
        created("packages", package)
