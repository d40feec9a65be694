"""Who gets told, and how a mail is queued: rendered in Indonesian, sent after the write commits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation

from agencies.models import Agency, Membership, Region, Role
from agencies.tasks import deliver_mail

# True inside `mail_held()`: while made-up history is written (the demo loader), no one is told about it.
_mail_held: ContextVar[bool] = ContextVar("mail_held", default=False)


def coordinator_emails(region: Region) -> list[str]:
    return _emails(Q(region=region, role=Role.COORDINATOR))


def agency_emails(agency: Agency) -> list[str]:
    """The agency's operators and heads, plus its official address."""
    emails = _emails(Q(agency=agency, role__in=(Role.OPERATOR, Role.HEAD)))
    if agency.email and agency.email not in emails:
        emails.append(agency.email)
    return emails


def _emails(q: Q) -> list[str]:
    rows = (
        Membership.objects.filter(q, is_active=True, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
        .order_by("user__email")
    )
    return list(rows)


def render_mail(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """`mail/<template>.txt` rendered in Indonesian: its first line is the subject, the rest the body."""
    with translation.override("id"):
        text = render_to_string(
            f"mail/{template}.txt", {"site_url": settings.SITE_URL, "site_name": settings.SITE_NAME, **context}
        ).strip()
    subject, _, body = text.partition("\n")
    return subject.strip(), body.strip() + "\n"


@contextmanager
def mail_held() -> Iterator[None]:
    """Queue no notification inside the block (this thread only): the writes happen, the mails do not."""
    token = _mail_held.set(True)
    try:
        yield
    finally:
        _mail_held.reset(token)


def notify(*, template: str, recipients: list[str], context: dict[str, Any]) -> None:
    """Render `mail/<template>.txt` (first line: subject) in Indonesian and queue it once the write commits."""
    if not recipients or _mail_held.get():
        return
    subject, body = render_mail(template, context)
    payload = {"subject": subject, "body": body, "recipients": sorted(set(recipients))}
    transaction.on_commit(lambda: deliver_mail.enqueue(**payload))
