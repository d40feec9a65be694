"""Answers: an SKPD drafts and submits with evidence; DKISP verifies or returns with a reason."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.audit import audit_record, audit_refusals, diff, snapshot
from agencies.notifications import addresses, notify
from agencies.permissions import CHANGE, ensure_not_own_submission, who_may
from common.bulk import apply_each
from common.forms import clean_reason
from common.workflow import transition, versioned_update
from evaluations.actions import EvaluationAction
from evaluations.models import Answer, AnswerEvidence
from evaluations.services import windows
from evaluations.services.cycles import ensure_open
from evidence.models import Evidence

Actor = AbstractBaseUser | None
Status = Answer.Status
ANSWER_FIELDS = ("value_bool", "value_choice", "value_level", "value_number", "value_text", "narrative")


def _answers() -> QuerySet[Answer]:
    return Answer.objects.select_related("cycle__region", "question", "agency")


def _fresh(answer: Answer) -> Answer:
    return _answers().get(pk=answer.pk)


def _check_value(answer: Answer, fields: Mapping[str, Any]) -> None:
    question = answer.question
    if question.kind == question.Kind.CHOICE and fields.get("value_choice") not in ("", None, *question.choices):
        raise ValidationError({"value_choice": _("Choose one of the listed answers.")})
    if (
        question.kind == question.Kind.PERCENTAGE
        and fields.get("value_number") is not None
        and not (0 <= fields["value_number"] <= 100)
    ):
        raise ValidationError({"value_number": _("A percentage is between 0 and 100.")})


@transaction.atomic
def answer_update(
    *,
    answer: Answer,
    by: Actor,
    expected_version: int,
    data: Mapping[str, Any],
    evidence: Iterable[Evidence] | None = None,
) -> Answer:
    """Save a draft (and its evidence); refuses a locked cycle, a closed window, a submitted or verified answer,
    and a stale version (VersionConflict)."""
    ensure_open(answer.cycle)
    before = _fresh(answer)
    windows.ensure_window_open(cycle=before.cycle, agency=before.agency, today=windows.today())
    fields = {k: v for k, v in data.items() if k in ANSWER_FIELDS}
    _check_value(answer, fields)
    answer = versioned_update(
        _answers(),
        pk=answer.pk,
        expected_version=expected_version,
        editable=Answer.EDITABLE,
        to=Status.DRAFT,
        fields=fields,
        refused=_("This answer is %(status)s and can no longer be changed."),
    )
    changes = diff(snapshot(before, fields), snapshot(answer, fields))
    if evidence is not None:
        chosen = list(evidence)
        if any(e.agency_id != answer.agency_id for e in chosen):
            raise ValidationError(_("Only evidence from your own agency's library can be attached."))
        current = set(answer.evidence_links.values_list("evidence_id", flat=True))
        wanted = {e.pk for e in chosen}
        if current != wanted:
            answer.evidence_links.filter(evidence_id__in=current - wanted).delete()
            AnswerEvidence.objects.bulk_create(
                [AnswerEvidence(answer=answer, evidence_id=pk) for pk in wanted - current]
            )
            changes["evidence"] = [len(current), len(wanted)]
    audit_record(
        actor=by, action=EvaluationAction.ANSWER_UPDATED, target=answer, region=answer.cycle.region, changes=changes
    )
    return answer


def answer_problems(answer: Answer) -> list[str]:
    problems = []
    if not answer.has_value:
        problems.append(_("Give an answer."))
    if answer.question.evidence_required and not answer.evidence_links.exists():
        problems.append(_("This question requires evidence (bukti dukung): attach at least one file."))
    return problems


def _move(
    answer: Answer,
    *,
    from_states: Iterable[str],
    to: str,
    by: Actor,
    action: EvaluationAction,
    reason: str = "",
    **extra: Any,
) -> Answer:
    """One guarded step of the answer and its audit event, together."""
    return transition(
        _answers(),
        pk=answer.pk,
        from_states=from_states,
        to=to,
        refused=_("This answer is already %(status)s; nothing was changed."),
        audit=lambda moved: audit_record(
            actor=by, action=action, target=moved, region=moved.cycle.region, reason=reason
        ),
        **extra,
    )


@transaction.atomic
def answer_submit(*, answer: Answer, by: Actor) -> Answer:
    answer = _fresh(answer)
    ensure_open(answer.cycle)
    windows.ensure_window_open(cycle=answer.cycle, agency=answer.agency, today=windows.today())
    problems = answer_problems(answer)
    if problems:
        raise ValidationError(problems)
    return _move(
        answer,
        from_states=Answer.EDITABLE,
        to=Status.SUBMITTED,
        by=by,
        action=EvaluationAction.ANSWER_SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=by if by is not None and by.is_authenticated else None,
    )


@audit_refusals
@transaction.atomic
def answer_verify(*, answer: Answer, by: Actor) -> Answer:
    ensure_open(answer.cycle)
    ensure_not_own_submission(answer, by, action=EvaluationAction.ANSWER_VERIFY_REFUSED, region=answer.cycle.region)
    return _move(
        answer,
        from_states=[Status.SUBMITTED],
        to=Status.VERIFIED,
        by=by,
        action=EvaluationAction.ANSWER_VERIFIED,
        verified_at=timezone.now(),
        verified_by=by,
        return_reason="",
    )


@transaction.atomic
def answer_return(*, answer: Answer, by: Actor, reason: str) -> Answer:
    ensure_open(answer.cycle)
    reason = clean_reason(reason)
    answer = _move(
        answer,
        from_states=[Status.SUBMITTED, Status.VERIFIED],
        to=Status.RETURNED,
        by=by,
        action=EvaluationAction.ANSWER_RETURNED,
        reason=reason,
        return_reason=reason,
        verified_at=None,
        verified_by=None,
    )
    # Told: the answering SKPD's people who may change the answer, and the SKPD's own address.
    context = {"answer": answer, "reason": reason}
    recipients = addresses(who_may(CHANGE, answer), agency=answer.agency)
    notify(template="answer_returned", recipients=recipients, context=context)
    return answer


def answer_bulk_verify(*, answers: Iterable[Answer], by: Actor) -> tuple[list[Answer], list[tuple[Answer, str]]]:
    """Verify each submitted answer in its own transaction; return (verified, [(skipped, why)])."""
    return apply_each(answers, lambda answer: answer_verify(answer=answer, by=by))
