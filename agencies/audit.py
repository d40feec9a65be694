"""The audit log: every service records what it changed inside its own transaction."""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from agencies.models import AuditEvent, Region

# Set by the request middleware so services need not pass the client address around.
_client_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_client_ip", default=None)


@contextmanager
def client_ip(ip: str | None) -> Iterator[None]:
    token = _client_ip.set(ip)
    try:
        yield
    finally:
        _client_ip.reset(token)


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(str(_jsonable(v)) for v in value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "name") and hasattr(value, "url"):  # a FieldFile
        return value.name or ""
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The audit-friendly values of `fields` on `instance` (foreign keys by their label)."""
    return {name: _jsonable(getattr(instance, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value changed, as {field: [old, new]}."""
    return {key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)}


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target: models.Model | None = None,
    region: Region | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Record one event; call inside the service's transaction so the event and the write commit together."""
    user = actor if actor is not None and actor.is_authenticated else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=user.get_username() if user else "",
        region=region,
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:255] if target is not None else "",
        changes=changes or {},
        reason=reason,
        ip_address=_client_ip.get(),
    )


def events_for(target: models.Model) -> models.QuerySet[AuditEvent]:
    """The history of one object, newest first."""
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).order_by("-created_at", "-id")


def apply_changes(instance: models.Model, data: dict[str, Any]) -> dict[str, list[Any]]:
    """Set plain fields from `data` on `instance`; return what changed, ready for `audit_record`."""
    before = snapshot(instance, data.keys())
    for name, value in data.items():
        setattr(instance, name, value)
    return diff(before, snapshot(instance, data.keys()))


# Human labels for action codes; each app registers its own (see masterplan/rules.py).
_action_labels: dict[str, Any] = {}


def register_action_labels(labels: dict[str, Any]) -> None:
    _action_labels.update(labels)


def action_label(action: str) -> str:
    """The translated label of an action code, or the code itself for one nobody registered."""
    return str(_action_labels.get(action, action))
