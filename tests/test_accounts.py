"""Log-in behind proxies, password reset by e-mail (throttled, no enumeration), password change, and the
coordinator's and administrator's password links."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse

from agencies.models import AuditEvent, Membership, Role
from agencies.services import (
    membership_grant,
    membership_revoke,
    password_reset_request,
    password_reset_send,
    reset_address_key,
)
from common.client_ip import client_address
from tests.conftest import PASSWORD, World, client_for, make_user
from tests.test_security import run_manage

PROXY = "10.0.0.1"
NEW_PASSWORD = "kopi-susu-martapura-2026"
LINK = re.compile(r"https?://[^/\s]+(/masuk/sandi-baru/[^/\s]+/[^/\s]+/)")


def log_in(client: Client, username: str, password: str = PASSWORD) -> int:
    return client.post(reverse("login"), {"username": username, "password": password}).status_code


def fail_five_times(client: Client, username: str) -> None:
    answers = [log_in(client, username, "salah") for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]  # the fifth failure pauses the pair


# --- The client address behind proxies ---------------------------------------------------------------------


def test_two_colleagues_behind_one_proxy_are_told_apart(world: World, settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    guesser = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    fail_five_times(guesser, "operator_a")
    assert log_in(guesser, "operator_a") == 429

    # The account's owner, behind the same proxy with the right password, still gets in.
    owner = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert log_in(owner, "operator_a") == 302

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    login = AuditEvent.objects.get(action="auth.login", actor=world.operator_a)
    assert login.ip_address == "203.0.113.9"  # the audit log sees the same address as the lockout


def test_a_client_cannot_escape_its_lockout_by_prepending_an_address(world: World, settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    fail_five_times(Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5"), "operator_a")

    # The proxy appends what it saw; whatever the client wrote before that is not believed.
    forged = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5")
    assert log_in(forged, "operator_a") == 429


def test_without_a_trusted_proxy_a_forged_header_changes_nothing(world: World, settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    fail_five_times(Client(REMOTE_ADDR="198.51.100.7"), "operator_a")

    forged = Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.77")
    assert log_in(forged, "operator_a") == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "203.0.113.5", "10.0.0.1"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.1, 203.0.113.5", "203.0.113.5"),
        (1, "not-an-address, 203.0.113.5", "203.0.113.5"),
        (1, "[2001:db8::7]:4711", "2001:db8::7"),
        (2, "203.0.113.5, 192.0.2.10", "203.0.113.5"),
        (2, "198.51.100.1, 203.0.113.5, 192.0.2.10", "203.0.113.5"),
        # Fewer entries than proxies: the request skipped one, so nothing in the header is vouched for.
        (2, "203.0.113.5", "10.0.0.1"),
        (1, "", "10.0.0.1"),
    ],
)
def test_the_client_address_is_the_nth_forwarded_entry_from_the_right(
    settings: Any, proxies: int, forwarded_for: str, expected: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_address(request) == expected


def test_a_negative_proxy_count_stops_start_up() -> None:
    result = run_manage("check", DJANGO_DEBUG="1", TRUSTED_PROXY_COUNT="-1")
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be 0 or more" in result.stderr


# --- Password reset by e-mail -------------------------------------------------------------------------------


def ask_for_reset(client: Client, email: str) -> Any:
    return client.post(reverse("password_reset"), {"email": email})


def test_a_known_and_an_unknown_address_get_the_same_answer(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        known = ask_for_reset(Client(), "OPERATOR_A@example.org")
        unknown = ask_for_reset(Client(), "nobody@example.org")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["operator_a@example.org"]
    assert "sandi" in message.subject.lower() and "operator_a" in message.body
    done = Client().get(reverse("password_reset_done")).content.decode()
    assert "Jika ada akun" in done
    requested = AuditEvent.objects.filter(action="auth.password_reset_requested").order_by("pk")
    assert [e.target_id for e in requested] == [str(world.operator_a.pk), ""]
    # The audit log keeps a digest of a typed address, never the address itself.
    assert "nobody@example.org" not in str(list(requested.values()))


def test_the_whole_reset_goes_from_the_mailed_link_to_a_log_in(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_reset(Client(), "operator_a@example.org")
    path = LINK.search(mail.outbox[0].body).group(1)

    browser = Client()
    landing = browser.get(path)
    assert landing.status_code == 302  # Django moves the token out of the address bar into the session
    form_page = browser.get(landing["Location"])
    assert form_page.status_code == 200 and "Sandi baru" in form_page.content.decode()
    done = browser.post(landing["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done.status_code == 302 and done["Location"] == reverse("login")
    assert "Sandi baru Anda sudah" in browser.get(done["Location"]).content.decode()
    assert log_in(Client(), "operator_a", PASSWORD) == 200
    assert log_in(Client(), "operator_a", NEW_PASSWORD) == 302
    assert AuditEvent.objects.filter(action="auth.password_reset_completed", actor=world.operator_a).count() == 1
    # The link is spent.
    spent = Client().get(path)
    assert spent.status_code == 200 and "tidak berlaku lagi" in spent.content.decode()


def test_a_weak_new_password_is_refused_next_to_the_field(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_reset(Client(), "operator_a@example.org")
    browser = Client()
    form_url = browser.get(LINK.search(mail.outbox[0].body).group(1))["Location"]

    response = browser.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})

    assert response.status_code == 200
    assert "terlalu umum" in response.content.decode()
    assert get_user_model().objects.get(pk=world.operator_a.pk).check_password(PASSWORD)


def test_a_bad_address_is_shown_next_to_the_field_and_kept(world: World) -> None:
    response = ask_for_reset(Client(), "bukan-alamat")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="bukan-alamat"' in content and "is-invalid" in content
    assert not AuditEvent.objects.filter(action__startswith="auth.password_reset").exists()


def test_requests_for_one_address_are_throttled_silently(
    world: World, settings: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 3
    with django_capture_on_commit_callbacks(execute=True):
        answers = [ask_for_reset(Client(REMOTE_ADDR=f"10.1.0.{n}"), "operator_a@example.org") for n in range(5)]

    assert {(a.status_code, a["Location"]) for a in answers} == {(302, reverse("password_reset_done"))}
    assert len(mail.outbox) == 3
    assert AuditEvent.objects.filter(action="auth.password_reset_throttled").count() == 2


def test_an_unknown_address_is_throttled_exactly_like_a_known_one(world: World, settings: Any) -> None:
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 2
    known = [password_reset_request(email="operator_a@example.org", ip=None) for _ in range(3)]
    unknown = [password_reset_request(email="nobody@example.org", ip=None) for _ in range(3)]
    assert known == unknown == [True, True, False]


def test_requests_from_one_address_are_throttled_whatever_they_ask_for(
    world: World, settings: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    settings.PASSWORD_RESET_LIMIT_PER_IP = 2
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_reset(Client(REMOTE_ADDR="10.2.0.1"), "nobody@example.org")
        ask_for_reset(Client(REMOTE_ADDR="10.2.0.1"), "someone@example.org")
        ask_for_reset(Client(REMOTE_ADDR="10.2.0.1"), "operator_a@example.org")
        ask_for_reset(Client(REMOTE_ADDR="10.2.0.2"), "operator_b@example.org")

    assert [m.to for m in mail.outbox] == [["operator_b@example.org"]]
    throttled = AuditEvent.objects.get(action="auth.password_reset_throttled")
    assert throttled.ip_address == "10.2.0.1"
    assert throttled.changes == {"address": reset_address_key("operator_a@example.org")}


def test_a_reset_lifts_the_lockout_of_that_computer_only(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    fail_five_times(Client(REMOTE_ADDR="10.3.0.1"), "operator_a")
    fail_five_times(Client(REMOTE_ADDR="10.3.0.66"), "operator_a")
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_reset(Client(REMOTE_ADDR="10.3.0.1"), "operator_a@example.org")
    browser = Client(REMOTE_ADDR="10.3.0.1")
    form_url = browser.get(LINK.search(mail.outbox[0].body).group(1))["Location"]
    browser.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert log_in(Client(REMOTE_ADDR="10.3.0.1"), "operator_a", NEW_PASSWORD) == 302
    assert log_in(Client(REMOTE_ADDR="10.3.0.66"), "operator_a", NEW_PASSWORD) == 429


def test_inactive_accounts_and_accounts_without_a_password_get_no_mail(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    get_user_model().objects.filter(pk=world.operator_a.pk).update(is_active=False)
    no_password = make_user("sso_only")
    no_password.set_unusable_password()
    no_password.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert password_reset_request(email="operator_a@example.org", ip=None)
        assert password_reset_request(email="sso_only@example.org", ip=None)
    assert mail.outbox == []


# --- Password change ----------------------------------------------------------------------------------------


def test_everyone_changes_their_own_password_and_other_sessions_end(world: World) -> None:
    here = Client()
    assert log_in(here, "operator_b") == 302
    elsewhere = Client()
    assert log_in(elsewhere, "operator_b") == 302

    wrong = here.post(
        reverse("password_change"),
        {"old_password": "salah", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200 and "Sandi lama Anda" in wrong.content.decode()

    done = here.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302 and done["Location"] == reverse("home")
    assert here.get(reverse("masterplan:overview")).status_code == 200  # this session goes on
    assert elsewhere.get(reverse("masterplan:overview")).status_code == 302  # the other one is logged out
    assert log_in(Client(), "operator_b", NEW_PASSWORD) == 302
    event = AuditEvent.objects.get(action="auth.password_changed")
    assert (event.actor, event.target_id, event.changes) == (world.operator_b, str(world.operator_b.pk), {})


def test_the_user_menu_offers_the_password_change(world: World) -> None:
    content = client_for(world.operator_a).get(reverse("masterplan:overview")).content.decode()
    assert reverse("password_change") in content
    assert reverse("agencies:people") not in content
    assert (
        reverse("agencies:people") in client_for(world.coordinator).get(reverse("masterplan:overview")).content.decode()
    )


def test_the_admin_password_form_leads_to_the_audited_one(world: World) -> None:
    root = make_user("root", is_superuser=True, is_staff=True)
    response = client_for(root).get("/admin/password_change/")
    assert response.status_code == 302 and response["Location"] == reverse("password_change")


# --- Links sent by a coordinator or an administrator ---------------------------------------------------------


def send_link(client: Client, user: AbstractBaseUser) -> Any:
    return client.post(reverse("agencies:send_password_reset", args=[user.pk]))


def test_a_coordinator_sends_a_link_to_someone_in_their_region(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    coordinator = client_for(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = send_link(coordinator, world.operator_a)

    assert response.status_code == 302 and response["Location"] == reverse("agencies:people")
    assert "operator_a@example.org" in coordinator.get(response["Location"]).content.decode()
    assert [m.to for m in mail.outbox] == [["operator_a@example.org"]]
    assert "coordinator" in mail.outbox[0].body and LINK.search(mail.outbox[0].body)
    event = AuditEvent.objects.get(action="auth.password_reset_sent")
    assert (event.actor, event.target_id, event.region) == (world.coordinator, str(world.operator_a.pk), world.region)


def test_another_regions_person_is_not_found_and_staff_may_not_send(world: World) -> None:
    assert send_link(client_for(world.outsider), world.operator_a).status_code == 404
    assert send_link(client_for(world.coordinator), world.outsider).status_code == 404
    assert send_link(client_for(world.operator_a), world.operator_b).status_code == 403
    assert send_link(client_for(world.assessor), world.operator_a).status_code == 403
    assert not AuditEvent.objects.filter(action="auth.password_reset_sent").exists()


def test_a_revoked_role_or_an_administrator_is_out_of_the_coordinators_reach(world: World) -> None:
    membership_revoke(by=None, membership=Membership.objects.get(user=world.operator_b))
    admin = make_user("admin_with_role", is_staff=True)
    membership_grant(by=None, user=admin, region=world.region, role=Role.OPERATOR, agency=world.agency_a)

    coordinator = client_for(world.coordinator)
    assert send_link(coordinator, world.operator_b).status_code == 404
    assert send_link(coordinator, admin).status_code == 404
    people = coordinator.get(reverse("agencies:people")).context["page"].object_list
    assert "operator_b" not in {p.username for p in people}


def test_someone_without_an_address_gets_a_clear_message(world: World) -> None:
    get_user_model().objects.filter(pk=world.operator_a.pk).update(email="")
    coordinator = client_for(world.coordinator)
    response = send_link(coordinator, world.operator_a)
    assert "tidak punya alamat e-mail" in coordinator.get(response["Location"]).content.decode()
    assert not AuditEvent.objects.filter(action="auth.password_reset_sent").exists()


def test_the_people_page_lists_the_region_only_in_few_queries(
    world: World, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    for n in range(30):
        user = make_user(f"staf{n:02d}")
        membership_grant(by=None, user=user, region=world.region, role=Role.OPERATOR, agency=world.agency_b)
    coordinator = client_for(world.coordinator)
    coordinator.get(reverse("agencies:people"))  # warm the session and content-type caches

    with django_assert_max_num_queries(9):
        response = coordinator.get(reverse("agencies:people"))

    names = {p.username for p in response.context["page"].object_list}
    assert {"operator_a", "operator_b", "coordinator", "assessor", "staf29"} <= names
    assert "outsider" not in names
    html = response.content.decode()
    assert "Operator SKPD · DINKES" in html


def test_a_service_refuses_a_deactivated_account(world: World) -> None:
    from django.core.exceptions import ValidationError

    get_user_model().objects.filter(pk=world.operator_a.pk).update(is_active=False)
    operator = get_user_model().objects.get(pk=world.operator_a.pk)
    with pytest.raises(ValidationError):
        password_reset_send(user=operator, by=world.coordinator)


def test_the_admin_sends_links_and_its_password_form_is_audited(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    root = make_user("root", is_superuser=True, is_staff=True)
    admin = client_for(root)
    changelist = reverse("admin:auth_user_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            changelist,
            {"action": "send_password_reset", "_selected_action": [world.operator_a.pk, world.outsider.pk]},
        )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["operator_a@example.org", "outsider@example.org"]
    assert AuditEvent.objects.filter(action="auth.password_reset_sent", actor=root).count() == 2

    password_url = reverse("admin:auth_user_password_change", args=[world.operator_b.pk])
    done = admin.post(password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    assert done.status_code == 302
    event = AuditEvent.objects.get(action="auth.password_changed")
    assert (event.actor, event.target_id) == (root, str(world.operator_b.pk))
    assert log_in(Client(), "operator_b", NEW_PASSWORD) == 302


def test_account_edits_in_the_admin_are_audited_without_the_password(world: World) -> None:
    root = make_user("root", is_superuser=True, is_staff=True)
    admin = client_for(root)
    change_url = reverse("admin:auth_user_change", args=[world.operator_a.pk])
    form = admin.get(change_url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(
        {
            "is_active": "",
            "groups": [],
            "user_permissions": [],
            "date_joined_0": "2026-01-05",
            "date_joined_1": "08:00:00",
            "last_login_0": "",
            "last_login_1": "",
        }
    )

    assert admin.post(change_url, data).status_code == 302

    event = AuditEvent.objects.get(action="admin.user.changed")
    assert event.actor == root and event.changes["is_active"] == [True, False]
    assert "password" not in event.changes
