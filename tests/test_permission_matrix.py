"""Every URL × persona × method has an expected status (after pretix's test_permissions.py).

A new URL without a row here fails `test_every_url_has_a_rule`, so nobody forgets to decide who may use it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import World, client_for

PERSONAS = ("anonymous", "operator_a", "operator_b", "coordinator", "assessor", "outsider")
LOGIN = 302  # anonymous visitors are sent to the log-in page


def _expect(default: int, **overrides: int) -> dict[str, int]:
    return {p: overrides.get(p, default) for p in PERSONAS}


# The object-level pattern for an object owned by agency A in region Banjar, read by everyone in the region:
# A's operator may read (200); B's operator and another region's coordinator must not even learn it exists (404).
OWN_READ = _expect(200, anonymous=LOGIN, operator_b=404, outsider=404)
# ...and only the coordinator may change it: visible-but-forbidden is 403.
OWN_CHANGE = _expect(403, anonymous=LOGIN, operator_b=404, outsider=404, coordinator=200)
REGION_READ = _expect(200, anonymous=LOGIN)
# Reports and evidence belong to agency A; assessors do not read SKPD working papers, so to them it is hidden.
SKPD_READ = _expect(200, anonymous=LOGIN, operator_b=404, assessor=404, outsider=404)
SKPD_WRITE = _expect(403, anonymous=LOGIN, operator_b=404, assessor=404, outsider=404, operator_a=200)
DKISP_DECIDE = _expect(403, anonymous=LOGIN, operator_b=404, assessor=404, outsider=404, coordinator=200)
REVIEWERS = _expect(403, anonymous=LOGIN, coordinator=200, outsider=200)
SKPD_STAFF = _expect(403, anonymous=LOGIN, operator_a=200, operator_b=200)
REGION_CHANGE = _expect(403, anonymous=LOGIN, coordinator=200, outsider=200)

Kwargs = Callable[[World], dict[str, Any]]
NONE: Kwargs = lambda w: {}  # noqa: E731
PROGRAMME_A: Kwargs = lambda w: {"pk": w.programme_a.pk}  # noqa: E731
INDICATOR_A: Kwargs = lambda w: {"pk": w.programme_a.indicators.get().pk}  # noqa: E731
REPORT_A: Kwargs = lambda w: {"pk": w.report_a.pk}  # noqa: E731
EVIDENCE_A: Kwargs = lambda w: {"pk": w.evidence_a.pk}  # noqa: E731


def _redirected(expect: dict[str, int], *personas: str) -> dict[str, int]:
    return {**expect, **dict.fromkeys(personas, 302)}


# url name -> (kwargs, {method: {persona: status}})
MATRIX: dict[str, tuple[Kwargs, dict[str, dict[str, int]]]] = {
    "home": (NONE, {"GET": _expect(302)}),
    "login": (NONE, {"GET": _expect(302, anonymous=200)}),
    "logout": (NONE, {"GET": _expect(405), "POST": _expect(302)}),
    "switch_region": (NONE, {"GET": _expect(405, anonymous=LOGIN), "POST": _expect(400, anonymous=LOGIN)}),
    "healthz": (NONE, {"GET": _expect(200), "POST": _expect(405)}),
    "favicon": (NONE, {"GET": _expect(301)}),
    "set_language": (NONE, {"POST": _expect(302)}),
    # Accounts: the reset pages are for everyone (an empty POST shows the form's errors; a made-up link is
    # the "no longer works" page); the coordinator's people page and links stop at the region's border.
    "password_reset": (NONE, {"GET": _expect(200), "POST": _expect(200)}),
    "password_reset_done": (NONE, {"GET": _expect(200)}),
    "password_reset_confirm": (lambda w: {"uidb64": "MQ", "token": "x-y"}, {"GET": _expect(200)}),
    "password_change": (NONE, {"GET": _expect(200, anonymous=LOGIN), "POST": _expect(200, anonymous=LOGIN)}),
    "agencies:people": (NONE, {"GET": REVIEWERS}),
    "agencies:send_password_reset": (
        lambda w: {"pk": w.operator_a.pk},
        {"GET": _expect(405, anonymous=LOGIN), "POST": _expect(403, anonymous=LOGIN, coordinator=302, outsider=404)},
    ),
    "masterplan:overview": (NONE, {"GET": REGION_READ}),
    "masterplan:masterplan_update": (NONE, {"GET": REGION_CHANGE, "POST": REGION_CHANGE}),
    # The world's masterplan has no document yet: members get a 404, not a server error.
    "masterplan:masterplan_document": (NONE, {"GET": _expect(404, anonymous=LOGIN)}),
    "masterplan:dimension": (lambda w: {"code": "governance"}, {"GET": REGION_READ}),
    "masterplan:programmes": (NONE, {"GET": REGION_READ}),
    "masterplan:programme_create": (NONE, {"GET": REGION_CHANGE, "POST": REGION_CHANGE}),
    "masterplan:programme": (PROGRAMME_A, {"GET": OWN_READ}),
    "masterplan:programme_update": (PROGRAMME_A, {"GET": OWN_CHANGE, "POST": OWN_CHANGE}),
    "masterplan:indicator_create": (PROGRAMME_A, {"GET": OWN_CHANGE, "POST": OWN_CHANGE}),
    "masterplan:indicator_update": (INDICATOR_A, {"GET": OWN_CHANGE, "POST": OWN_CHANGE}),
    "masterplan:indicator_delete": (
        INDICATOR_A,
        {"GET": _expect(405, anonymous=LOGIN), "POST": {**OWN_CHANGE, "coordinator": 302}},
    ),
    # An operator's agency index goes straight to their own agency page.
    "masterplan:agencies": (NONE, {"GET": _expect(200, anonymous=LOGIN, operator_a=302, operator_b=302)}),
    "masterplan:agency": (lambda w: {"pk": w.agency_a.pk}, {"GET": OWN_READ}),
    # An SKPD's dashboard: staff see their own (the index shows it), DKISP chooses any SKPD of its region; assessors
    # see no SKPD's work, another agency's staff and another region never learn agency A's exists.
    "evaluations:skpd_dashboard": (NONE, {"GET": _expect(200, anonymous=LOGIN, assessor=403)}),
    "evaluations:skpd_dashboard_agency": (
        lambda w: {"pk": w.agency_a.pk},
        {"GET": _expect(200, anonymous=LOGIN, operator_b=404, assessor=403, outsider=404)},
    ),
    # Progress reports (report A: agency A's draft). Coordinators are sent on to their review queue.
    "masterplan:my_reports": (
        NONE,
        {"GET": _expect(403, anonymous=LOGIN, operator_a=200, operator_b=200, coordinator=302, outsider=302)},
    ),
    "masterplan:report_start": (NONE, {"POST": _redirected(SKPD_STAFF, "operator_a", "operator_b")}),
    "masterplan:review_queue": (NONE, {"GET": REVIEWERS}),
    "masterplan:report_bulk_approve": (NONE, {"POST": _redirected(REVIEWERS, "coordinator", "outsider")}),
    # Chasing late SKPDs: DKISP only; with nothing chosen, the page says so and a POST goes back.
    "masterplan:chase": (NONE, {"GET": REVIEWERS, "POST": _redirected(REVIEWERS, "coordinator", "outsider")}),
    "masterplan:report": (REPORT_A, {"GET": SKPD_READ}),
    "masterplan:report_edit": (REPORT_A, {"GET": SKPD_WRITE, "POST": SKPD_WRITE}),
    "masterplan:report_submit": (
        REPORT_A,
        {"GET": _expect(405, anonymous=LOGIN), "POST": _redirected(SKPD_WRITE, "operator_a")},
    ),
    "masterplan:report_approve": (
        REPORT_A,
        {"GET": _expect(405, anonymous=LOGIN), "POST": _redirected(DKISP_DECIDE, "coordinator")},
    ),
    "masterplan:report_return": (REPORT_A, {"GET": DKISP_DECIDE, "POST": DKISP_DECIDE}),
    "masterplan:report_reopen": (REPORT_A, {"GET": DKISP_DECIDE, "POST": DKISP_DECIDE}),
    "masterplan:report_history": (REPORT_A, {"GET": SKPD_READ}),
    # The evidence library (evidence A: in agency A's library, used by report A).
    "evidence:library": (NONE, {"GET": _expect(200, anonymous=LOGIN, assessor=403)}),
    "evidence:upload": (NONE, {"GET": SKPD_STAFF, "POST": SKPD_STAFF}),
    "evidence:detail": (EVIDENCE_A, {"GET": SKPD_READ}),
    "evidence:edit": (EVIDENCE_A, {"GET": SKPD_WRITE, "POST": SKPD_WRITE}),
    "evidence:delete": (
        EVIDENCE_A,
        {"GET": _expect(405, anonymous=LOGIN), "POST": _redirected(SKPD_WRITE, "operator_a")},
    ),
    "evidence:download": (EVIDENCE_A, {"GET": SKPD_READ}),
    "evidence:preview": (EVIDENCE_A, {"GET": SKPD_READ}),
}


def _url_names(patterns: list[URLPattern | URLResolver], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.app_name == "admin":
                continue  # Django admin guards itself (staff only); tested in the admin tests
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            names |= _url_names(p.url_patterns, ns)
        elif p.name:
            names.add(f"{namespace}{p.name}")
    return names


def test_every_url_has_a_rule() -> None:
    assert _url_names(get_resolver().url_patterns) == set(MATRIX) | set(EVALUATION_MATRIX)


CASES = [
    (name, method, persona)
    for name, (_, methods) in MATRIX.items()
    for method, expected in methods.items()
    for persona in expected
]


# --- The evaluation (an open 2023 cycle; answer A is agency A's; evidence A is in agency A's library). ---
CYCLE: Kwargs = lambda w: {"pk": w.cycle.pk}  # noqa: E731
ANSWER_A: Kwargs = lambda w: {"pk": w.yes_no.pk}  # noqa: E731
COORD_ONLY = _expect(403, anonymous=LOGIN, coordinator=200, outsider=200)
# An open cycle is visible to the region's SKPD staff (they answer it) but hidden from assessors until locked.
CYCLE_CHANGE = _expect(403, anonymous=LOGIN, coordinator=200, assessor=404, outsider=404)
ANSWER_READ = _expect(200, anonymous=LOGIN, operator_b=404, assessor=404, outsider=404)
ANSWER_WRITE = _expect(403, anonymous=LOGIN, operator_a=200, operator_b=404, assessor=404, outsider=404)
ANSWER_REVIEW = _expect(403, anonymous=LOGIN, coordinator=200, operator_b=404, assessor=404, outsider=404)
ASSESS_OPEN = _expect(403, anonymous=LOGIN, assessor=404, outsider=404)
POST_ONLY = _expect(405, anonymous=LOGIN)
NATIONAL_ONLY = _expect(403, anonymous=LOGIN)


def _extension_a(ev: Any) -> Any:
    """Agency A's extension of the open cycle, granted by DKISP."""
    import datetime as dt

    from evaluations.services.windows import extension_grant

    return extension_grant(
        cycle=ev.cycle,
        agency=ev.world.agency_a,
        closes_on=dt.date(2023, 6, 14),
        reason="Data survei belum lengkap.",
        by=ev.world.coordinator,
    )


def _draft_package(ev: Any) -> dict[str, int]:
    """A finished draft package of the open cycle (its files are stand-ins: only who may fetch them matters)."""
    from django.core.files.base import ContentFile

    from evaluations.models import Package

    package = Package(region=ev.world.region, cycle=ev.cycle, year=2023, status=Package.Status.DONE, progress=100)
    package.save()
    for part in ("archive", "pdf", "workbook"):
        getattr(package, part).save(f"{part}.bin", ContentFile(b"stand-in"), save=False)
        setattr(package, f"{part}_size", 8)
    package.save()
    return {"pk": package.pk}


# A draft package: DKISP's only (assessors get final packages of locked cycles they assess; nobody else any).
PACKAGE_READ = _expect(404, anonymous=LOGIN, coordinator=200)


def _meeting_a(ev: Any) -> Any:
    """A planned meeting next week inviting agency A (its head required), not agency B."""
    import datetime as dt

    from django.utils import timezone

    from evaluations.services.meetings import meeting_create

    data = {
        "title": "Rapat persiapan",
        "starts_at": timezone.now() + dt.timedelta(days=7),
        "place": "Aula Barakat",
        "agenda": "Persiapan evaluasi",
    }
    return meeting_create(cycle=ev.cycle, by=ev.world.coordinator, data=data, invitations=[(ev.world.agency_a, True)])


MEETING: Kwargs = lambda ev: {"pk": _meeting_a(ev).pk}  # noqa: E731
INVITATION_A: Kwargs = lambda ev: {"pk": _meeting_a(ev).invitations.get().pk}  # noqa: E731
# A meeting: DKISP manages it; the invited SKPD (A) reads it; an uninvited SKPD, assessors and another region
# never learn it exists.
MEETING_READ = _expect(200, anonymous=LOGIN, operator_b=404, assessor=404, outsider=404)
MEETING_CHANGE = _expect(403, anonymous=LOGIN, coordinator=200, operator_b=404, assessor=404, outsider=404)
# The cycle's meetings page: the region's SKPD staff see the meetings they are invited to; assessors never.
MEETINGS_LIST = _expect(200, anonymous=LOGIN, assessor=404, outsider=404)
MEETING_PLAN = _expect(403, anonymous=LOGIN, coordinator=200, assessor=404, outsider=404)
# Answering: only the invited SKPD's staff; DKISP does not answer for an SKPD.
INVITATION_ANSWER = _expect(404, anonymous=LOGIN, operator_a=200, coordinator=403)


def _followup_a(ev: Any) -> Any:
    """A recommendation of the open cycle, assigned to agency A."""
    import datetime as dt

    from evaluations.services.followup import item_create

    return item_create(
        cycle=ev.cycle,
        by=ev.world.coordinator,
        source="recommendation",
        text="Tetapkan Perbup Masterplan.",
        tasks=[(ev.world.agency_a, dt.date(2023, 9, 30))],
    )


FOLLOWUP_A: Kwargs = lambda ev: {"pk": _followup_a(ev).pk}  # noqa: E731
FOLLOWUP_TASK_A: Kwargs = lambda ev: {"pk": _followup_a(ev).tasks.get().pk}  # noqa: E731


EVALUATION_MATRIX: dict[str, tuple[Kwargs, dict[str, dict[str, int]]]] = {
    "evaluations:cycles": (NONE, {"GET": _expect(200, anonymous=LOGIN, operator_a=302, operator_b=302, assessor=302)}),
    "evaluations:cycle_create": (NONE, {"GET": COORD_ONLY, "POST": COORD_ONLY}),
    "evaluations:questionnaire_template": (NONE, {"GET": COORD_ONLY}),
    "evaluations:cycle": (CYCLE, {"GET": _expect(302, anonymous=LOGIN, coordinator=200, assessor=404, outsider=404)}),
    "evaluations:cycle_update": (CYCLE, {"GET": CYCLE_CHANGE, "POST": CYCLE_CHANGE}),
    "evaluations:cycle_assessors": (CYCLE, {"GET": POST_ONLY, "POST": _redirected(CYCLE_CHANGE, "coordinator")}),
    "evaluations:questionnaire": (CYCLE, {"GET": CYCLE_CHANGE}),
    "evaluations:questionnaire_export": (CYCLE, {"GET": CYCLE_CHANGE}),
    "evaluations:questionnaire_import": (CYCLE, {"GET": CYCLE_CHANGE, "POST": CYCLE_CHANGE}),
    "evaluations:questionnaire_import_confirm": (
        CYCLE,
        {"GET": POST_ONLY, "POST": _redirected(CYCLE_CHANGE, "coordinator")},
    ),
    "evaluations:assignment": (CYCLE, {"GET": CYCLE_CHANGE, "POST": CYCLE_CHANGE}),
    "evaluations:answers_review": (CYCLE, {"GET": CYCLE_CHANGE}),
    "evaluations:answers_bulk_verify": (CYCLE, {"GET": POST_ONLY, "POST": _redirected(CYCLE_CHANGE, "coordinator")}),
    "evaluations:readiness": (CYCLE, {"GET": CYCLE_CHANGE}),
    # A confirmation page; the fixture's cycle is not ready, so a POST without a reason shows the form again.
    "evaluations:lock": (CYCLE, {"GET": CYCLE_CHANGE, "POST": CYCLE_CHANGE}),
    "evaluations:unlock": (CYCLE, {"GET": CYCLE_CHANGE, "POST": CYCLE_CHANGE}),
    "evaluations:results": (CYCLE, {"GET": CYCLE_CHANGE}),
    # The what-if simulation: the results page's gate; a GET form that never writes, so a POST is refused.
    "evaluations:whatif": (CYCLE, {"GET": CYCLE_CHANGE, "POST": POST_ONLY}),
    "evaluations:official_result": (CYCLE, {"GET": CYCLE_CHANGE, "POST": CYCLE_CHANGE}),
    "evaluations:carry_forward": (CYCLE, {"GET": CYCLE_CHANGE, "POST": CYCLE_CHANGE}),
    "evaluations:extensions": (CYCLE, {"GET": CYCLE_CHANGE, "POST": CYCLE_CHANGE}),
    "evaluations:extension_revoke": (
        lambda w: {"pk": w.cycle.pk, "extension_pk": _extension_a(w).pk},
        {"GET": POST_ONLY, "POST": _redirected(CYCLE_CHANGE, "coordinator")},
    ),
    "evaluations:packages": (CYCLE, {"GET": CYCLE_CHANGE, "POST": _redirected(CYCLE_CHANGE, "coordinator")}),
    "evaluations:package": (_draft_package, {"GET": PACKAGE_READ}),
    "evaluations:package_progress": (_draft_package, {"GET": PACKAGE_READ}),
    "evaluations:package_download": (
        lambda ev: {**_draft_package(ev), "part": "pdf"},
        {"GET": PACKAGE_READ},
    ),
    "evaluations:package_rebuild": (
        _draft_package,
        {"GET": POST_ONLY, "POST": _redirected(PACKAGE_READ, "coordinator")},
    ),
    "evaluations:monev": (NONE, {"GET": COORD_ONLY, "POST": COORD_ONLY}),
    # The coordinator's dashboard: another region's coordinator sees their own region's (tests/test_dashboard.py).
    "evaluations:dashboard": (NONE, {"GET": COORD_ONLY, "POST": _expect(405, anonymous=LOGIN)}),
    "evaluations:dashboard_export": (lambda ev: {"table": "laporan-skpd"}, {"GET": COORD_ONLY}),
    # Preparation meetings (an empty POST shows the form's errors; attendance before the day is refused on the page).
    "evaluations:meetings": (CYCLE, {"GET": MEETINGS_LIST}),
    "evaluations:meeting_create": (CYCLE, {"GET": MEETING_PLAN, "POST": MEETING_PLAN}),
    "evaluations:meeting": (MEETING, {"GET": MEETING_READ}),
    "evaluations:meeting_update": (MEETING, {"GET": MEETING_CHANGE, "POST": MEETING_CHANGE}),
    "evaluations:meeting_invitations_send": (
        MEETING,
        {"GET": POST_ONLY, "POST": _redirected(MEETING_CHANGE, "coordinator")},
    ),
    "evaluations:meeting_attendance": (MEETING, {"GET": POST_ONLY, "POST": MEETING_CHANGE}),
    "evaluations:meeting_minutes": (MEETING, {"GET": POST_ONLY, "POST": MEETING_CHANGE}),
    "evaluations:meeting_decision": (MEETING, {"GET": POST_ONLY, "POST": MEETING_CHANGE}),
    "evaluations:meeting_cancel": (MEETING, {"GET": MEETING_CHANGE, "POST": MEETING_CHANGE}),
    "evaluations:invitation_respond": (INVITATION_A, {"GET": INVITATION_ANSWER, "POST": INVITATION_ANSWER}),
    "evaluations:my_questions": (NONE, {"GET": SKPD_STAFF}),
    "evaluations:answer": (ANSWER_A, {"GET": ANSWER_READ}),
    "evaluations:answer_edit": (ANSWER_A, {"GET": ANSWER_WRITE, "POST": ANSWER_WRITE}),
    "evaluations:answer_submit": (ANSWER_A, {"GET": POST_ONLY, "POST": _redirected(ANSWER_WRITE, "operator_a")}),
    "evaluations:answer_verify": (ANSWER_A, {"GET": POST_ONLY, "POST": _redirected(ANSWER_REVIEW, "coordinator")}),
    "evaluations:answer_return": (ANSWER_A, {"GET": ANSWER_REVIEW, "POST": ANSWER_REVIEW}),
    "evaluations:assessment_list": (NONE, {"GET": _expect(403, anonymous=LOGIN, assessor=200)}),
    "evaluations:assessment": (CYCLE, {"GET": ASSESS_OPEN, "POST": ASSESS_OPEN}),
    "evaluations:assessment_dimension": (
        lambda w: {"pk": w.cycle.pk, "code": "governance"},
        {"GET": ASSESS_OPEN, "POST": ASSESS_OPEN},
    ),
    # Evidence is handed to assessors only from a locked cycle: before that, nobody gets it through here.
    "evaluations:assessment_evidence": (
        lambda w: {"pk": w.cycle.pk, "evidence_pk": w.world.evidence_a.pk},
        {"GET": _expect(404, anonymous=LOGIN)},
    ),
    # The recommendation register (item A: assigned to agency A). Everyone with a role reads the register (each sees
    # what the policy lets them: an SKPD its own items, assessors the region's once they assess a locked cycle, so
    # none of the open cycle's here); DKISP keeps it; only agency A's staff report on A's task.
    "evaluations:followup_register": (NONE, {"GET": _expect(200, anonymous=LOGIN)}),
    "evaluations:followup_item_create": (NONE, {"GET": COORD_ONLY, "POST": COORD_ONLY}),
    "evaluations:followup_item": (FOLLOWUP_A, {"GET": ANSWER_READ}),
    "evaluations:followup_item_edit": (FOLLOWUP_A, {"GET": ANSWER_REVIEW, "POST": ANSWER_REVIEW}),
    "evaluations:followup_item_assign": (FOLLOWUP_A, {"GET": ANSWER_REVIEW, "POST": ANSWER_REVIEW}),
    "evaluations:followup_item_drop": (FOLLOWUP_A, {"GET": ANSWER_REVIEW, "POST": ANSWER_REVIEW}),
    "evaluations:followup_item_reopen": (FOLLOWUP_A, {"GET": ANSWER_REVIEW, "POST": ANSWER_REVIEW}),
    # DKISP reads a task but does not report for the SKPD (403 on POST); an empty POST shows the form's errors.
    "evaluations:followup_task": (
        FOLLOWUP_TASK_A,
        {
            "GET": ANSWER_READ,
            "POST": _expect(403, anonymous=LOGIN, operator_a=200, operator_b=404, assessor=404, outsider=404),
        },
    ),
    "evaluations:followup_from_notes": (CYCLE, {"GET": POST_ONLY, "POST": _redirected(CYCLE_CHANGE, "coordinator")}),
    # The national view: programme staff only (the national persona below); no regional role reads every region.
    "evaluations:national": (NONE, {"GET": NATIONAL_ONLY, "POST": _expect(405, anonymous=LOGIN)}),
    "evaluations:national_region": (lambda ev: {"pk": ev.world.other_region.pk}, {"GET": NATIONAL_ONLY}),
    "evaluations:national_assessors": (CYCLE, {"GET": NATIONAL_ONLY, "POST": NATIONAL_ONLY}),
}
EVALUATION_CASES = [
    (name, method, persona)
    for name, (_, methods) in EVALUATION_MATRIX.items()
    for method, expected in methods.items()
    for persona in expected
]


@pytest.mark.parametrize(("name", "method", "persona"), EVALUATION_CASES)
def test_evaluation_permission_matrix(evaluation, name: str, method: str, persona: str) -> None:
    kwargs_for, methods = EVALUATION_MATRIX[name]
    world = evaluation.world
    user = None if persona == "anonymous" else getattr(world, persona)
    kwargs = kwargs_for(world) if kwargs_for is NONE else kwargs_for(evaluation)
    response = client_for(user).generic(method, reverse(name, kwargs=kwargs))
    assert response.status_code == methods[method][persona], (name, method, persona)


@pytest.mark.parametrize(("name", "method", "persona"), CASES)
def test_permission_matrix(world: World, name: str, method: str, persona: str) -> None:
    kwargs_for, methods = MATRIX[name]
    user = None if persona == "anonymous" else getattr(world, persona)
    client = client_for(user)
    url = reverse(name, kwargs=kwargs_for(world))
    response = client.generic(method, url)
    assert response.status_code == methods[method][persona], (name, method, persona)


# --- The national persona (programme staff with no role in any region), over every URL above. ---------------------
# Their own pages answer; the site's pages (log-in, accounts, health) answer as for anyone logged in; every regional
# page refuses them: a region's object is hidden (404, as from another region), a regional list or form is
# forbidden (403: no role where it lives), a wrong method is 405.
NATIONAL_PAGES = {
    ("evaluations:national", "GET"): 200,
    ("evaluations:national", "POST"): 405,
    ("evaluations:national_region", "GET"): 200,
    ("evaluations:national_assessors", "GET"): 200,
    ("evaluations:national_assessors", "POST"): 302,  # an empty choice is a choice: no assessor, then back
    # Pages of "the current region" find none for someone without a region.
    ("masterplan:overview", "GET"): 404,
    ("masterplan:dimension", "GET"): 404,
    ("masterplan:programmes", "GET"): 404,
    ("masterplan:agencies", "GET"): 404,
    # The coordinator's gate (no role in a region) answers before the account is looked up.
    ("agencies:send_password_reset", "POST"): 403,
}


def _national_expects(name: str, method: str, expected: dict[str, int]) -> int:
    if (name, method) in NATIONAL_PAGES:
        return NATIONAL_PAGES[(name, method)]
    if ":" not in name:
        return expected["coordinator"]  # the site's own pages, the same for everyone logged in
    if expected["outsider"] == 404:
        return 404
    return 405 if expected["coordinator"] == 405 else 403


NATIONAL_CASES = [
    (name, method, _national_expects(name, method, expected))
    for table in (MATRIX, EVALUATION_MATRIX)
    for name, (_, methods) in table.items()
    for method, expected in methods.items()
]


@pytest.mark.parametrize(("name", "method", "status"), NATIONAL_CASES)
def test_national_persona_matrix(evaluation, national, name: str, method: str, status: int) -> None:
    kwargs_for = MATRIX[name][0] if name in MATRIX else EVALUATION_MATRIX[name][0]
    kwargs = kwargs_for(evaluation.world) if kwargs_for is NONE or name in MATRIX else kwargs_for(evaluation)
    response = client_for(national).generic(method, reverse(name, kwargs=kwargs))
    assert response.status_code == status, (name, method)
