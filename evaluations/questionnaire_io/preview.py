"""The checked rows of an upload, kept in the session between the preview and the coordinator's confirmation.

Nothing is saved until the coordinator confirms, so the rows wait in the session (JSON: the weight as text).
A preview belongs to one cycle: confirming on another cycle's page finds nothing pending.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.sessions.backends.base import SessionBase

from evaluations.questionnaire_io.columns import QuestionRow

SESSION_IMPORT = "questionnaire_import"


@dataclasses.dataclass(frozen=True)
class PendingImport:
    name: str  # the questionnaire version's name the coordinator typed
    rows: list[QuestionRow]


def rows_to_session(rows: Iterable[QuestionRow]) -> list[dict[str, Any]]:
    return [{**dataclasses.asdict(row), "weight": str(row.weight)} for row in rows]


def rows_from_session(data: Iterable[dict[str, Any]]) -> list[QuestionRow]:
    return [QuestionRow(**{**row, "weight": Decimal(row["weight"])}) for row in data]


def keep_preview(session: SessionBase, *, cycle_pk: int, name: str, rows: Iterable[QuestionRow]) -> None:
    session[SESSION_IMPORT] = {"cycle": cycle_pk, "name": name, "rows": rows_to_session(rows)}


def pending_preview(session: SessionBase, *, cycle_pk: int) -> PendingImport | None:
    """The rows waiting for confirmation on this cycle; None when there are none (or they cannot be read back)."""
    pending = session.get(SESSION_IMPORT)
    if not isinstance(pending, dict) or pending.get("cycle") != cycle_pk:
        return None
    try:
        rows = rows_from_session(pending["rows"])
    except (KeyError, TypeError, InvalidOperation):
        # Kept by an older release in another shape: the coordinator uploads again rather than meets an error.
        return None
    return PendingImport(name=pending.get("name", ""), rows=rows)


def forget_preview(session: SessionBase) -> None:
    session.pop(SESSION_IMPORT, None)
