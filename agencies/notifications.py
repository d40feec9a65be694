"""How a mail is queued: to whom the policy names, rendered in Indonesian, sent after the write commits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import translation

from agencies.models import Agency
from agencies.tasks import deliver_mail

# True inside `mail_held()`: while made-up history is written (the demo loader), no one is told about it.
_mail_held: ContextVar[bool] = ContextVar("mail_held", default=False)


def addresses(users: models.QuerySet[Any], *, agency: Agency | None = None) -> list[str]:
    """The mail addresses of `users` (whom the policy names: `permissions.who_may`), sorted, and the official
    address of `agency` after them when the mail is about that SKPD's work."""
    emails = list(users.exclude(email="").values_list("email", flat=True).distinct().order_by("email"))
    if agency is not None and agency.email and agency.email not in emails:
        emails.append(agency.email)
    return emails


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
