"""The audit log: every service records what it changed inside its own transaction."""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, NewType

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.timezone import is_aware, localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


class AuditAction(models.TextChoices):
    """The base of each app's enum of audit actions (`<app>/actions.py`): the value is the code stored in
    AuditEvent.action (unchanged since events were first recorded), the label what history pages show."""


# An admin save or delete: "admin.<model>.<verb>", one code per model the admin edits, made by `admin_action`.
AdminAction = NewType("AdminAction", str)
AdminVerb = Literal["added", "changed", "deleted"]
_ADMIN_LABELS = {
    "added": gettext_lazy("%(thing)s added in the admin"),
    "changed": gettext_lazy("%(thing)s changed in the admin"),
    "deleted": gettext_lazy("%(thing)s deleted in the admin"),
}


def admin_action(obj: models.Model, verb: AdminVerb) -> AdminAction:
    """The code of an admin save or delete of `obj`; `action_label` names it after the model."""
    return AdminAction(f"admin.{obj._meta.model_name}.{verb}")


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: AuditAction | AdminAction,
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


class AuditedRefusal(ValidationError):
    """A refusal the audit log must keep (e.g. approving one's own submission), though the write is undone."""

    def __init__(
        self, message: str, *, actor: Any, action: AuditAction, target: models.Model, region: Region | None
    ) -> None:
        super().__init__(message)
        self.audit = {"actor": actor, "action": action, "target": target, "region": region, "reason": message}


def audit_refusals(service: Callable[..., Any]) -> Callable[..., Any]:
    """Record an AuditedRefusal raised by `service` after its transaction has rolled back, then re-raise it.

    Put it outside `@transaction.atomic`: inside, the event would be rolled back with the refused write.
    """

    @functools.wraps(service)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return service(*args, **kwargs)
        except AuditedRefusal as refusal:
            with transaction.atomic():
                audit_record(**refusal.audit)
            raise

    return wrapper


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


# The actions of every app by their stored code; each app registers its enum (see masterplan/actions.py).
_actions: dict[str, AuditAction] = {}


def register_actions(actions: type[AuditAction]) -> None:
    _actions.update({action.value: action for action in actions})


def action_label(action: str) -> str:
    """The translated label of a stored action code: its enum member's, the admin's from the model it names, or
    the code itself for one that no code records any more."""
    if action in _actions:
        return str(_actions[action].label)
    prefix, _dot, rest = action.partition(".")
    model_name, _dot, verb = rest.partition(".")
    if prefix == "admin" and verb in _ADMIN_LABELS:
        return _ADMIN_LABELS[verb] % {"thing": capfirst(_verbose_name(model_name))}
    return action


def _verbose_name(model_name: str) -> str:
    for model in apps.get_models():
        if model._meta.model_name == model_name:
            return str(model._meta.verbose_name)
    return model_name  # the model has left the code: its name is all the event still knows


# --- Showing changes -------------------------------------------------------------------------------------
# Events store field names and raw values ("budget_plan": [null, "150000000.00"]); people read labels and
# values in their own language ("Rencana anggaran (Rp): – → 150.000.000"). Every history page and the
# activity feed render through `describe_changes`, so no page shows a raw key or code again.

# Labels of change keys that name no field of the target model (set by each app, as its actions are):
# "evidence" on a model without such a field, "realisation" in "realisation:<indicator>", "target" in
# "target_2024", or any key of an event whose target model no longer exists.
_change_labels: dict[str, Any] = {}
# Labels of coded values whose field declares no choices (a JSON list of funding codes, say).
_change_values: dict[str, dict[Any, Any]] = {}


def register_change_labels(labels: dict[str, Any]) -> None:
    _change_labels.update(labels)


def register_change_values(choices: dict[str, Iterable[tuple[Any, Any]]]) -> None:
    _change_values.update({key: dict(pairs) for key, pairs in choices.items()})


@dataclass(frozen=True)
class ChangeLine:
    """One changed field as people read it; `old` is None when the event recorded a value, not a change."""

    label: str
    new: str
    old: str | None = None

    @property
    def is_change(self) -> bool:
        return self.old is not None


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_NUMBER_FIELDS = (models.DecimalField, models.FloatField, models.IntegerField)


def describe_changes(event: AuditEvent) -> list[ChangeLine]:
    """The event's changes with field labels, choice labels and values in the active language."""
    if not isinstance(event.changes, dict):
        return []
    model = _target_model(event)
    lines = []
    for key, value in sorted(event.changes.items(), key=lambda item: _position(model, item[0])):
        field = _field(model, key)
        label = _label(model, key)
        if _is_pair(field, value):
            old, new = value
            lines.append(ChangeLine(label, _show(field, key, new), _show(field, key, old)))
        else:
            lines.append(ChangeLine(label, _show(field, key, value)))
    return lines


def _target_model(event: AuditEvent) -> type[models.Model] | None:
    # None when the content type was removed or its model left the code: the keys still get labels.
    if event.target_type_id is None:
        return None
    try:
        return ContentType.objects.get_for_id(event.target_type_id).model_class()
    except ContentType.DoesNotExist:
        return None


def _field(model: type[models.Model] | None, key: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None  # reverse relations are no field of the row


def _position(model: type[models.Model] | None, key: str) -> tuple[int, str]:
    # The form's order for the model's fields, then the rest by name: PostgreSQL's jsonb keeps no key order.
    field = _field(model, key)
    if model is not None and field is not None:
        return (model._meta.get_fields().index(field), "")
    return (10_000, key)


def _label(model: type[models.Model] | None, key: str) -> str:
    field = _field(model, key)
    # A verbose name Django made up from the field's name is English and untranslated: a registered label wins.
    if field is not None and (isinstance(field.verbose_name, Promise) or key not in _change_labels):
        return capfirst(str(field.verbose_name))
    if key in _change_labels:
        return capfirst(str(_change_labels[key]))
    prefix, colon, rest = key.partition(":")
    if colon:  # "realisation:Puskesmas terhubung"
        return f"{_label(model, prefix)}: {rest}"
    base, _underscore, suffix = key.rpartition("_")
    if base and suffix.isdigit():  # "target_2024"
        return f"{_label(model, base)} {suffix}"
    # A key nobody named: its words, translated when the catalogue happens to know them ("status").
    return capfirst(_(key.replace("_", " ")))


def _is_pair(field: models.Field[Any, Any] | None, value: Any) -> bool:
    if not (isinstance(value, list) and len(value) == 2):
        return False
    if field is not None and (field.many_to_many or isinstance(field, models.JSONField)):
        # Such a field's own value is a list of labels; its change is two lists (or two counts).
        return all(v is None or isinstance(v, list) or (isinstance(v, int) and not isinstance(v, bool)) for v in value)
    return True


def _is_year(key: str) -> bool:
    return key == "year" or key.endswith("_year")


def _show(field: models.Field[Any, Any] | None, key: str, value: Any) -> str:
    """One value in the active language: labels for codes, grouped numbers, written dates, Ya/Tidak."""
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, list):
        return ", ".join(_show(field, key, v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_show(None, str(k), v)}" for k, v in value.items())
    choices = dict(field.flatchoices) if field is not None and field.choices else _change_values.get(key)
    if choices is not None:
        return str(choices.get(value, value))
    text = str(value)
    if isinstance(field, models.DateTimeField) or (field is None and _ISO_DATETIME.fullmatch(text)):
        moment = _parsed(parse_datetime, text)
        if moment is not None:
            return date_format(localtime(moment) if is_aware(moment) else moment, "DATETIME_FORMAT")
    elif isinstance(field, models.DateField) or (field is None and _ISO_DATE.fullmatch(text)):
        day = _parsed(parse_date, text)
        if day is not None:
            return date_format(day, "DATE_FORMAT")
    numeric = isinstance(value, int | float | Decimal) or _NUMBER.fullmatch(text)
    if numeric and not _is_year(key) and (field is None or isinstance(field, _NUMBER_FIELDS)):
        return _number(Decimal(text))
    return text


def _parsed(parse: Callable[[str], Any], text: str) -> Any:
    try:
        return parse(text)
    except ValueError:  # shaped like a date but no date ("2025-02-30"): shown as it was recorded
        return None


def _number(value: Decimal) -> str:
    # Whole amounts (budgets, counts) without decimals, fractions with at least two: 150.000.000 and 83,50.
    if value == value.to_integral_value():
        places = 0
    else:
        exponent = value.normalize().as_tuple().exponent
        places = max(2, -exponent if isinstance(exponent, int) else 2)
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
