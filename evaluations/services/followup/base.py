"""What the register's items and tasks share: status names, the limits on text, and how an item is read and locked."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from evaluations.models import FollowUpItem, FollowUpTask

Actor = AbstractBaseUser | None
Status = FollowUpItem.Status
TaskStatus = FollowUpTask.Status
Source = FollowUpItem.Source
EDITABLE = (Status.OPEN, Status.IN_PROGRESS)
MAX_TEXT = 4000


def normalise(text: str) -> str:
    """The text as recurrence compares it: whitespace collapsed, case folded."""
    return " ".join((text or "").split()).casefold()


def _items() -> QuerySet[FollowUpItem]:
    return FollowUpItem.objects.select_related("region", "cycle", "dimension")


def _locked_item(item: FollowUpItem) -> FollowUpItem:
    """The item as committed now, its row locked until the caller's transaction ends."""
    return FollowUpItem.objects.select_for_update(of=("self",)).select_related("region", "cycle").get(pk=item.pk)
