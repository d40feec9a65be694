"""The one permission policy: who may see and do what, for every model of every app.

Apps register a `Rule` per model (where the object's region and owning agencies are, and which roles may
do which action). Views never filter by agency themselves: they ask `visible()` for querysets and
`get_for_user()` for single objects, which answers 404 for what the user may not see and 403 for an
action the user may not take on something they can see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from agencies.audit import AuditAction, AuditedRefusal, register_change_labels
from agencies.models import AGENCY_ROLES, REGION_ROLES, Agency, Membership, NationalStaff, Region, Role

M = TypeVar("M", bound=models.Model)
User = AbstractBaseUser | AnonymousUser

VIEW = "view"
CHANGE = "change"
CREATE = "create"
DELETE = "delete"


@dataclass(frozen=True)
class Rule:
    """How one model is scoped.

    region: lookup from the model to its Region's id ("masterplan__region").
    agencies: lookups from the model to the agencies that own it ("lead_agency", "supporting_agencies");
        an agency role sees the object when its agency is any of them. Empty: region-wide objects that no
        agency role sees unless `agency_roles_see_all` says so.
    actions: action -> the roles allowed it (within scope).
    """

    region: str
    agencies: tuple[str, ...] = ()
    actions: Mapping[str, frozenset[str]] = field(default_factory=dict)
    agency_roles_see_all: bool = False
    # Further conditions for one role, e.g. assessors see only locked cycles they are assigned to.
    role_filters: Mapping[str, Callable[[Any], Q]] = field(default_factory=dict)
    # What the object's state must be *now* for an action, whoever asks (superusers too): only a draft report
    # can change, an answer only while its cycle is unlocked and its window open. Built at call time, since
    # "now" moves. So `can(user, CHANGE, obj)` answers "may this user change this now?" in one place.
    states: Mapping[str, Callable[[], Q]] = field(default_factory=dict)


_rules: dict[type[models.Model], Rule] = {}


def register(model: type[models.Model], rule: Rule) -> None:
    _rules[model] = rule


def rule_for(model: type[models.Model]) -> Rule:
    try:
        return _rules[model]
    except KeyError:
        raise LookupError(f"No permission rule is registered for {model.__name__}") from None


def memberships_of(user: User) -> list[Membership]:
    """The user's active memberships, loaded once per request and cached on the user object."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_smartcity_memberships", None)
    if cached is None:
        # Whether the user is also national staff comes with the same rows, so the navigation's question costs
        # no page a query of its own (only a user without any membership is asked separately, in is_national).
        national = NationalStaff.objects.filter(user=OuterRef("user"), is_active=True)
        cached = list(
            Membership.objects.filter(user=user, is_active=True, region__is_active=True)
            .annotate(user_is_national=Exists(national))
            .select_related("region", "agency")
            .order_by("region__name", "role", "agency__name")
        )
        user._smartcity_memberships = cached  # type: ignore[union-attr]
        if cached:
            user._smartcity_national = cached[0].user_is_national  # type: ignore[union-attr]
    return cached


def is_national(user: User) -> bool:
    """Whether `user` is active national programme staff (agencies.models.NationalStaff), cached on the user."""
    if not user.is_authenticated:
        return False
    memberships_of(user)
    known = getattr(user, "_smartcity_national", None)
    if known is None:
        known = NationalStaff.objects.filter(user=user, is_active=True).exists()
        user._smartcity_national = known  # type: ignore[union-attr]
    return known


def sees_national(user: User) -> bool:
    """Whether the national pages (every region's aggregates) are open to `user`: national staff and superusers."""
    return user.is_authenticated and (user.is_superuser or is_national(user))


def roles_of(user: User, region: Region | None = None) -> set[str]:
    return {m.role for m in memberships_of(user) if region is None or m.region_id == region.pk}


def agencies_of(user: User, roles: Iterable[str] = AGENCY_ROLES, region: Region | None = None) -> list[Agency]:
    """The agencies the user works for in these roles (in `region` only, when given)."""
    wanted = set(roles)
    return [
        m.agency
        for m in memberships_of(user)
        if m.role in wanted and m.agency is not None and (region is None or m.region_id == region.pk)
    ]


def _is_many(model: type[models.Model], path: str) -> bool:
    """Whether following `path` from `model` can yield several rows (so a plain join would duplicate)."""
    current = model
    for part in path.split(LOOKUP_SEP):
        try:
            f = current._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if f.many_to_many or f.one_to_many:
            return True
        if not f.is_relation:
            return False
        current = f.related_model  # type: ignore[assignment]
    return False


def _agency_q(model: type[models.Model], rule: Rule, agency_ids: list[int]) -> Q:
    q = Q(pk__in=[])
    for path in rule.agencies:
        lookup = f"{path}__in" if path != "pk" else "pk__in"
        if _is_many(model, path):
            # A subquery keeps each object once, whatever number of owning agencies match.
            q |= Q(pk__in=model._base_manager.filter(**{lookup: agency_ids}).values("pk"))
        else:
            q |= Q(**{lookup: agency_ids})
    return q


def _scope_q(user: User, action: str, model: type[models.Model]) -> Q | None:
    """The filter selecting what `user` may `action` in `model` now; None means everything."""
    rule = rule_for(model)
    state = rule.states[action]() if action in rule.states else None
    if user.is_authenticated and user.is_superuser:
        return state
    who = _who_q(user, action, model, rule)
    return who if state is None else who & state


def _who_q(user: User, action: str, model: type[models.Model], rule: Rule) -> Q:
    """The objects the user's roles reach for `action`, whatever their state."""
    allowed = rule.actions.get(action, frozenset())
    q = Q(pk__in=[])
    for role in sorted(allowed & REGION_ROLES):
        region_ids = sorted({m.region_id for m in memberships_of(user) if m.role == role})
        if region_ids:
            role_q = Q(**{f"{rule.region}__in": region_ids})
            if role in rule.role_filters:
                role_q &= rule.role_filters[role](user)
            if _is_many(model, rule.region):
                # One subquery keeps each object once, and the role's filter applies to the same related row.
                role_q = Q(pk__in=model._base_manager.filter(role_q).values("pk"))
            q |= role_q
    agency_members = [m for m in memberships_of(user) if m.role in allowed and m.role in AGENCY_ROLES]
    if agency_members:
        if rule.agency_roles_see_all:
            agency_q = Q(**{f"{rule.region}__in": sorted({m.region_id for m in agency_members})})
        elif rule.agencies:
            agency_q = _agency_q(model, rule, sorted({m.agency_id for m in agency_members if m.agency_id}))
        else:
            agency_q = Q(pk__in=[])
        for role in {m.role for m in agency_members} & set(rule.role_filters):
            agency_q &= rule.role_filters[role](user)
        q |= agency_q
    return q


def scoped(user: User, action: str, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """`queryset` narrowed to the objects `user` may `action`."""
    q = _scope_q(user, action, queryset.model)
    return queryset if q is None else queryset.filter(q)


def visible(user: User, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    return scoped(user, VIEW, queryset)


def can(user: User, action: str, obj: models.Model) -> bool:
    """Whether `user` may `action` the object `obj` (one query, none for superusers)."""
    if not user.is_authenticated:
        return False
    q = _scope_q(user, action, type(obj))
    if q is None:
        return True
    return type(obj)._base_manager.filter(q, pk=obj.pk).exists()


def can_in_region(user: User, action: str, model: type[models.Model], region: Region | None) -> bool:
    """Whether `user` may `action` objects of `model` in `region` at all (e.g. create one)."""
    if not user.is_authenticated or region is None:
        return False
    if user.is_superuser:
        return True
    allowed = rule_for(model).actions.get(action, frozenset())
    return bool(roles_of(user, region) & set(allowed))


def can_anywhere(user: User, action: str, model: type[models.Model]) -> bool:
    """Whether `user` may `action` objects of `model` in any of their regions (a queue across regions)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    allowed = rule_for(model).actions.get(action, frozenset())
    return bool(roles_of(user) & set(allowed))


class NotNow(PermissionDenied):
    """The user's role allows the action, but the object's state does not, now (an approved report, an answer
    in a locked cycle). The middleware sends the user back to the object with the object's own explanation."""

    def __init__(self, obj: models.Model) -> None:
        super().__init__(str(obj))
        self.obj = obj


def roles_allow(user: User, action: str, obj: models.Model) -> bool:
    """Whether the user's roles reach `obj` for `action`, whatever its state (e.g. to explain why not now)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    model = type(obj)
    return model._base_manager.filter(_who_q(user, action, model, rule_for(model)), pk=obj.pk).exists()


def get_for_user(user: User, queryset: models.QuerySet[M], action: str = VIEW, **lookup: Any) -> M:
    """Fetch one object: 404 when the user may not see it, 403 when they may see it but not `action` it,
    NotNow when their role may but the object's state forbids it now."""
    if action != VIEW:
        # The usual case, allowed, in one query; only a refusal asks again to tell 404, 403 and NotNow apart.
        allowed = scoped(user, action, visible(user, queryset)).filter(**lookup).first()
        if allowed is not None:
            return allowed
    obj = get_object_or_404(visible(user, queryset), **lookup)
    if action != VIEW:
        raise NotNow(obj) if roles_allow(user, action, obj) else PermissionDenied
    return obj


def get_many_for_user(user: User, queryset: models.QuerySet[M], pks: Iterable[int], action: str = VIEW) -> list[M]:
    """Fetch ticked objects: 404 if any is hidden from the user, 403 if the user may not `action` one of them."""
    wanted = set(pks)
    objects = list(visible(user, queryset.filter(pk__in=wanted)))
    if len(objects) != len(wanted):
        raise Http404
    if action != VIEW and scoped(user, action, queryset.model.objects.filter(pk__in=wanted)).count() != len(wanted):
        raise PermissionDenied
    return objects


# --- Who may: the same rules read the other way round, for whom to tell. ---------------------------------------


def who_may(action: str, obj: models.Model) -> models.QuerySet[Any]:
    """The active users whose roles let them `action` the object `obj`, whatever its state now: whom a mail about
    it goes to (the SKPD hears that its report was approved, though no one may change it any more).

    Roles count as in `can`: region roles in the object's region, agency roles in the agencies that own it (or
    anywhere in the region when the rule lets agency roles see all), active memberships of active regions.
    Superusers are left out: they may do anything, but no role makes them answer for it.
    """
    model = type(obj)
    rule = rule_for(model)
    row = model._base_manager.filter(pk=obj.pk)
    members = _members_reaching(
        rule, action, region_ids=row.values(rule.region), agency_ids=[row.values(path) for path in rule.agencies]
    )
    return _users(rule, action, members, objects=row)


def who_may_for_agency(action: str, model: type[models.Model], agency: Agency) -> models.QuerySet[Any]:
    """The active users whose roles let them `action` the objects of `model` that `agency` owns, as `who_may`
    counts them: whom the SKPD's mails about its part of a cycle go to (its answers), before or without one."""
    rule = rule_for(model)
    members = _members_reaching(
        rule, action, region_ids=[agency.region_id], agency_ids=[[agency.pk]] if rule.agencies else []
    )
    return _users(rule, action, members, objects=model._base_manager.filter(_agency_q(model, rule, [agency.pk])))


def _members_reaching(
    rule: Rule, action: str, *, region_ids: Iterable[Any], agency_ids: Iterable[Iterable[Any]]
) -> models.QuerySet[Membership]:
    """The active memberships whose role the rule allows `action` within these regions and owning agencies."""
    allowed = rule.actions.get(action, frozenset())
    region_roles, agency_roles = sorted(allowed & REGION_ROLES), sorted(allowed & AGENCY_ROLES)
    reach = Q(role__in=region_roles, region_id__in=region_ids)
    if rule.agency_roles_see_all:
        reach |= Q(role__in=agency_roles, region_id__in=region_ids)
    else:
        for ids in agency_ids:
            reach |= Q(role__in=agency_roles, agency_id__in=ids)
    return Membership.objects.filter(reach, is_active=True, region__is_active=True)


def _users(
    rule: Rule, action: str, members: models.QuerySet[Membership], *, objects: models.QuerySet[Any]
) -> models.QuerySet[Any]:
    narrowed = sorted(set(rule.role_filters) & rule.actions.get(action, frozenset()))
    users = Q(pk__in=members.exclude(role__in=narrowed).values("user_id"))
    if narrowed:
        # A role filter narrows a role by the user (an assessor reaches only the cycles assigned to them), so each
        # such member is asked on the objects themselves.
        users |= Q(
            pk__in=[
                m.user_id
                for m in members.filter(role__in=narrowed).select_related("user")
                if objects.filter(rule.role_filters[m.role](m.user)).exists()
            ]
        )
    return get_user_model()._default_manager.filter(users, is_active=True)


# --- Rules for this app's own models. -----------------------------------------------------------------
EVERYONE = frozenset(Role)
COORDINATORS = frozenset({Role.COORDINATOR})

register(
    Agency,
    Rule(
        region="region",
        agencies=("pk",),
        actions={VIEW: EVERYONE, CHANGE: COORDINATORS, CREATE: COORDINATORS},
    ),
)
register(Region, Rule(region="pk", actions={VIEW: EVERYONE}, agency_roles_see_all=True))
# People's accounts: a coordinator may send a password link to anyone with an active role in their region.
register(
    get_user_model(),
    Rule(
        region="memberships__region",
        actions={VIEW: COORDINATORS, CHANGE: COORDINATORS},
        role_filters={Role.COORDINATOR: lambda user: Q(memberships__is_active=True)},
    ),
)


def ensure_not_own_submission(obj: models.Model, by: Any, *, action: AuditAction, region: Region | None) -> None:
    """Separation of duties: whoever submitted a piece of work may not approve or verify it, even as coordinator.

    Reads the submitter under a row lock inside the caller's transaction, so the decision holds for the write
    that follows; the refusal is audited by `audit_refusals` on the service.
    """
    if by is None or not by.is_authenticated:
        return
    submitter = type(obj).objects.select_for_update().filter(pk=obj.pk).values_list("submitted_by_id", flat=True)
    if submitter.first() == by.pk:
        raise AuditedRefusal(
            str(_("You submitted this yourself; another coordinator must approve or verify it.")),
            actor=by,
            action=action,
            target=obj,
            region=region,
        )


# Keys of the password reset events (no field of the user model).
register_change_labels({"address": _("e-mail address (digest)"), "accounts": _("accounts")})
