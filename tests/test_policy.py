"""The one permission policy, below the views: what each role sees and may do."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from agencies.models import Agency, Role
from agencies.notifications import addresses
from agencies.permissions import (
    CHANGE,
    CREATE,
    VIEW,
    can,
    can_in_region,
    get_for_user,
    rule_for,
    visible,
    who_may,
    who_may_for_agency,
)
from agencies.services import membership_grant, membership_revoke
from evaluations.models import Answer
from masterplan.models import Indicator, Masterplan, Programme
from masterplan.rules import REVIEW
from masterplan.services.reports import report_approve, report_submit
from tests.conftest import World, make_user


def codes(user, world: World) -> set[str]:
    return set(visible(user, Programme.objects.all()).values_list("code", flat=True))


def test_operators_see_programmes_they_lead_or_support(world: World) -> None:
    assert codes(world.operator_a, world) == {"LIV-01"}
    assert codes(world.operator_b, world) == {"SOC-01"}


def test_supporting_agency_sees_the_programme_once(world: World) -> None:
    dkisp_operator = make_user("op_dkisp")
    membership_grant(by=None, user=dkisp_operator, region=world.region, role=Role.OPERATOR, agency=world.dkisp)
    world.programme_b.supporting_agencies.add(world.agency_a)
    qs = visible(dkisp_operator, Programme.objects.all())
    assert list(qs.values_list("code", flat=True)) == ["SOC-01"]


def test_region_roles_see_their_whole_region_only(world: World) -> None:
    assert codes(world.coordinator, world) == {"LIV-01", "SOC-01"}
    assert codes(world.assessor, world) == {"LIV-01", "SOC-01"}
    assert codes(world.outsider, world) == {"GOV-01"}


def test_anonymous_sees_nothing_and_can_nothing(world: World) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert codes(AnonymousUser(), world) == set()
    assert not can(AnonymousUser(), VIEW, world.programme_a)


def test_superuser_sees_everything(world: World) -> None:
    admin = make_user("root", is_superuser=True, is_staff=True)
    assert codes(admin, world) == {"LIV-01", "SOC-01", "GOV-01"}
    assert can(admin, CHANGE, world.other_programme)


@pytest.mark.parametrize(
    ("persona", "action", "allowed"),
    [
        ("operator_a", VIEW, True),
        ("operator_a", CHANGE, False),
        ("operator_b", VIEW, False),
        ("coordinator", CHANGE, True),
        ("assessor", VIEW, True),
        ("assessor", CHANGE, False),
        ("outsider", VIEW, False),
    ],
)
def test_can_on_a_programme(world: World, persona: str, action: str, allowed: bool) -> None:
    assert can(getattr(world, persona), action, world.programme_a) is allowed


def test_indicators_follow_their_programme(world: World) -> None:
    assert visible(world.operator_a, Indicator.objects.all()).count() == 1
    assert visible(world.operator_b, Indicator.objects.all()).count() == 0


def test_everyone_in_the_region_reads_the_masterplan_but_only_the_coordinator_changes_it(world: World) -> None:
    for persona in ("operator_a", "operator_b", "coordinator", "assessor"):
        assert list(visible(getattr(world, persona), Masterplan.objects.all())) == [world.masterplan]
    assert can(world.coordinator, CHANGE, world.masterplan)
    assert not can(world.operator_a, CHANGE, world.masterplan)


def test_agencies_visible_to_operators_are_their_own(world: World) -> None:
    assert list(visible(world.operator_a, Agency.objects.all())) == [world.agency_a]
    assert visible(world.coordinator, Agency.objects.all()).count() == 3


def test_create_is_decided_per_region(world: World) -> None:
    assert can_in_region(world.coordinator, CREATE, Programme, world.region)
    assert not can_in_region(world.coordinator, CREATE, Programme, world.other_region)
    assert not can_in_region(world.operator_a, CREATE, Programme, world.region)


def test_get_for_user_answers_404_for_hidden_and_403_for_forbidden(world: World) -> None:
    with pytest.raises(Http404):
        get_for_user(world.operator_b, Programme.objects.all(), pk=world.programme_a.pk)
    with pytest.raises(PermissionDenied):
        get_for_user(world.operator_a, Programme.objects.all(), CHANGE, pk=world.programme_a.pk)
    assert get_for_user(world.coordinator, Programme.objects.all(), CHANGE, pk=world.programme_a.pk)


def test_revoked_membership_loses_access(world: World) -> None:
    membership = world.operator_a.memberships.get()
    membership_revoke(by=world.coordinator, membership=membership)
    fresh = type(world.operator_a).objects.get(pk=world.operator_a.pk)
    assert codes(fresh, world) == set()


def test_a_model_without_a_rule_is_refused_loudly() -> None:
    from agencies.models import AuditEvent

    with pytest.raises(LookupError):
        rule_for(AuditEvent)


# --- Who may: whom the mails go to -------------------------------------------------------------------------


def names(users: Iterable[AbstractBaseUser]) -> set[str]:
    return {user.get_username() for user in users}


def test_who_may_names_those_whose_roles_reach_the_object_whatever_its_state(world: World) -> None:
    head = make_user("head_a")
    membership_grant(by=None, user=head, region=world.region, role=Role.HEAD, agency=world.agency_a)
    gone = make_user("gone_a", is_active=False)
    membership_grant(by=None, user=gone, region=world.region, role=Role.OPERATOR, agency=world.agency_a)
    left = make_user("left_a")
    membership_revoke(
        by=None,
        membership=membership_grant(by=None, user=left, region=world.region, role=Role.OPERATOR, agency=world.agency_a),
    )
    make_user("admin", is_superuser=True, is_staff=True)
    report = world.report_a
    # DKISP of the report's region reviews it (not Banjarbaru's coordinator, not the assessor, not a superuser).
    assert names(who_may(REVIEW, report)) == {"coordinator"}
    assert names(who_may(CHANGE, report)) == {"operator_a", "head_a"}
    # An approved report changes no more, yet its SKPD is still whom the decision concerns.
    report = report_approve(report=report_submit(report=report, by=world.operator_a), by=world.coordinator)
    assert names(who_may(CHANGE, report)) == {"operator_a", "head_a"}
    Agency.objects.filter(pk=world.agency_a.pk).update(email="dinkes@banjarkab.go.id")
    world.agency_a.refresh_from_db()
    type(head).objects.filter(pk=head.pk).update(email="")
    assert addresses(who_may(CHANGE, report), agency=world.agency_a) == [
        "operator_a@example.org",
        "dinkes@banjarkab.go.id",
    ]


def test_who_may_asks_a_role_filter_on_the_object_itself(world: World) -> None:
    # A coordinator manages the accounts with an active role in their region: not one whose role was revoked.
    assert names(who_may(CHANGE, world.operator_a)) == {"coordinator"}
    membership_revoke(by=None, membership=world.operator_a.memberships.get())
    assert names(who_may(CHANGE, world.operator_a)) == set()


def test_who_may_for_an_agency_names_its_people_before_any_object_exists(world: World) -> None:
    assert names(who_may_for_agency(CHANGE, Answer, world.agency_a)) == {"operator_a"}
    assert names(who_may_for_agency(CHANGE, Answer, world.dkisp)) == set()
