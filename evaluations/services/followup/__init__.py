"""The recommendation register: items (an assessors' weakness or recommendation, a meeting's decision), assigned to
SKPDs as tasks that come back with a report and evidence.

An item's status follows its tasks (any task reported → in progress, every task done → done) unless DKISP drops it
with a reason; dropping and reopening are guarded steps of `common.workflow`. Every write re-reads the item under a
row lock, so an SKPD's report and DKISP's drop of the same item cannot both win.

By capability: `items` (enter, change, drop, reopen, link to a later cycle), `tasks` (assign, report, the item's
status following its tasks), `base` (what both share). Import the services from here; patch private helpers on
the submodule that defines them (e.g. `followup.tasks._link_task_evidence`), since that is where they are looked up.
"""

from __future__ import annotations

from evaluations.services.followup.base import EDITABLE, MAX_TEXT, Actor, Source, Status, TaskStatus, normalise
from evaluations.services.followup.items import (
    ITEM_FIELDS,
    find_recurrence,
    item_create,
    item_drop,
    item_reopen,
    item_update,
    items_from_notes,
    link_items_to_cycle,
)
from evaluations.services.followup.tasks import task_report, tasks_assign

__all__ = [
    "EDITABLE",
    "ITEM_FIELDS",
    "MAX_TEXT",
    "Actor",
    "Source",
    "Status",
    "TaskStatus",
    "find_recurrence",
    "item_create",
    "item_drop",
    "item_reopen",
    "item_update",
    "items_from_notes",
    "link_items_to_cycle",
    "normalise",
    "task_report",
    "tasks_assign",
]
