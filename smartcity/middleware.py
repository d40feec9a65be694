"""Tenancy resolved once per request (after pretix's control middleware)."""

from __future__ import annotations

from collections.abc import Callable

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext

from agencies.audit import client_ip
from agencies.models import Region
from agencies.permissions import NotNow, memberships_of
from agencies.tenancy import SESSION_REGION_KEY
from common.client_ip import client_address

ADMIN_PREFIX = "/admin/"


class TenancyMiddleware:
    """Attach `request.memberships` and `request.region` (the region the user works in now)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        memberships = memberships_of(request.user)
        request.memberships = memberships  # type: ignore[attr-defined]
        request.region = self._resolve_region(request, memberships)  # type: ignore[attr-defined]
        # The same address login throttling sees (axes is configured with this function too).
        with client_ip(client_address(request)):
            return self.get_response(request)

    @staticmethod
    def _resolve_region(request: HttpRequest, memberships: list) -> Region | None:
        wanted = request.session.get(SESSION_REGION_KEY) if hasattr(request, "session") else None
        regions = {m.region_id: m.region for m in memberships}
        if wanted in regions:
            return regions[wanted]
        if regions:
            return next(iter(regions.values()))
        if request.user.is_authenticated and request.user.is_superuser:
            return Region.objects.filter(is_active=True).order_by("name").first()
        return None


class LanguageMiddleware:
    """Indonesian unless the person chose otherwise with the language switch (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and most office PCs here run
    English-language browsers: the product's language is Indonesian, so only an explicit choice changes it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The site-wide CSP, with one exception: inline styles inside the Django admin.

    django-import-export's admin templates carry `style=""` attributes. Inline *styles* cannot run code, and
    only staff reach the admin, so relaxing style-src there is safe; scripts stay same-origin everywhere.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith(ADMIN_PREFIX):
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}
        return parts


class RefuseNulMiddleware:
    """Answer 400 with a message when the query string carries a NUL character.

    PostgreSQL refuses NUL in text ("A string literal cannot contain NUL"), so a search or filter value holding
    one reached the database as a 500. No link of ours ever sends it; form fields already refuse it themselves
    (Django's CharField has ProhibitNullCharactersValidator), so only the query string needs this guard.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if any("\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values):
            reason = gettext("The address contains a character that is not allowed (NUL). Remove it and try again.")
            return render(request, "400.html", {"reason": reason}, status=400)
        return self.get_response(request)


class NotNowMiddleware:
    """Turn the policy's NotNow (allowed by role, not by the object's state) into a message on the object's page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponseBase | None:
        if not isinstance(exception, NotNow):
            return None
        obj = exception.obj
        explain = getattr(obj, "why_not_editable", None)
        messages.warning(request, explain() if callable(explain) else gettext("This can no longer be changed."))
        return redirect(obj.get_absolute_url())
