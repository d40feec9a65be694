"""Background entry points of the evaluation: package builds. A task takes ids, never objects."""

from __future__ import annotations

from django_tasks import task

from evaluations.services.packages import package_run


@task()
def build_package(*, package_id: int) -> bool:
    """Build one queued package (the evaluation bundle or the monev report); False when there was nothing to do."""
    return package_run(package_id=package_id) is not None
