"""The one state machine mechanism of every workflow (reports, answers): guarded transitions and versioned edits.

A step moves an object only from the states it allows, in one conditional UPDATE (… WHERE status IN (…)), so two
people acting at once produce one transition and a typed conflict for the other, on PostgreSQL and SQLite alike.
An edit carries the version the user started from; a save based on an older version is a conflict, not an
overwrite. The models have `status`, `version` and `updated_at` fields and a `get_status_display()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

M = TypeVar("M", bound=models.Model)


class StateConflict(ValidationError):
    """The object is not in a state the step starts from (someone else moved it first): nothing was changed.

    A ValidationError, so views and bulk actions show it as they show any refusal; `current` is the object now.
    """

    def __init__(self, message: str, *, current: models.Model) -> None:
        super().__init__(message)
        self.current = current


class VersionConflict(Exception, Generic[M]):
    """Someone saved the object after the user opened it; `current` is the object as it is now.

    Not a ValidationError: the edit pages catch it to show both versions side by side, not as a refusal.
    """

    def __init__(self, current: M) -> None:
        super().__init__(f"{type(current).__name__} {current.pk} changed after it was opened")
        self.current = current


def _refused(message: str, current: models.Model) -> StateConflict:
    # `message` is the caller's translated text with a %(status)s placeholder ("This report is already
    # %(status)s; nothing was changed."), so each workflow keeps its own words in the catalogue.
    status = current.get_status_display().lower()  # type: ignore[attr-defined]
    return StateConflict(message % {"status": status}, current=current)


def transition(
    queryset: models.QuerySet[M],
    *,
    pk: Any,
    from_states: Iterable[str],
    to: str,
    refused: str,
    audit: Callable[[M], object],
    **extra: Any,
) -> M:
    """Move object `pk` of `queryset` to `to` (writing `extra` with it) if it is in one of `from_states` now, and
    record the step through `audit`; return the object as it is after the step. StateConflict(`refused`) if not.

    `audit` is the service's call of the audit log, given the moved object: `common` is the ground floor and may
    not import the log (it lives in `agencies`), yet the event must commit with the move or not at all, so the
    step and its event run here in one atomic block (a savepoint inside the service's own transaction).
    """
    with transaction.atomic():
        moved = queryset.filter(pk=pk, status__in=list(from_states)).update(
            status=to, version=F("version") + 1, updated_at=timezone.now(), **extra
        )
        current = queryset.get(pk=pk)
        if not moved:
            raise _refused(refused, current)
        audit(current)
    return current


def versioned_update(
    queryset: models.QuerySet[M],
    *,
    pk: Any,
    expected_version: int,
    editable: Iterable[str],
    to: str,
    fields: Mapping[str, Any],
    refused: str,
) -> M:
    """Write `fields` on object `pk` (its status back to `to`) if it is still at `expected_version` and in an
    `editable` state; return the object as it is now.

    VersionConflict when someone saved it in between; StateConflict(`refused`) when it can no longer be changed.
    The service records the event itself: an edit's event also tells what else it changed (evidence, figures).
    """
    states = list(editable)
    saved = queryset.filter(pk=pk, version=expected_version, status__in=states).update(
        **fields, status=to, version=F("version") + 1, updated_at=timezone.now()
    )
    current = queryset.get(pk=pk)
    if not saved:
        if current.status not in states:  # type: ignore[attr-defined]
            raise _refused(refused, current)
        raise VersionConflict(current)
    return current
