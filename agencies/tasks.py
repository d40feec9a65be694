"""Background entry points owned by the people layer: mail delivery, password reset links."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
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


@task()
def deliver_password_reset(*, user_ids: list[int], sent_by: str = "") -> int:
    """Mail each account a one-time link to set a new password.

    The link is made here, on the worker, so the request that asked does the same work whether or not the
    address belonged to anyone (an empty list is queued too). `sent_by` names the coordinator who sent it.
    """
    from agencies.notifications import render_mail  # notifications queues this module's tasks

    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True).exclude(email="").order_by("pk")
    sent = 0
    for user in users:
        path = reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        hours = settings.PASSWORD_RESET_TIMEOUT // 3600
        context = {"user": user, "link": settings.SITE_URL + path, "sent_by": sent_by, "hours": hours}
        subject, body = render_mail("password_reset", context)
        sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False)
    logger.info("password reset link sent to %d account(s)", sent)
    return sent
