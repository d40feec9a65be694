"""Background entry points owned by the people layer: mail delivery."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def deliver_mail(*, subject: str, body: str, recipients: list[str]) -> int:
    """Send one plain-text mail; runs on a worker so a slow SMTP server never slows a page."""
    if not recipients:
        return 0
    sent = send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
    logger.info("mail %r sent to %d recipient(s)", subject, len(recipients))
    return sent
