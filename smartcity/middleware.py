"""Tenancy resolved once per request (after pretix's control middleware)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from agencies.audit import client_ip
from agencies.models import Region
from agencies.permissions import memberships_of

SESSION_REGION_KEY = "smartcity_region_id"


def _client_address(request: HttpRequest) -> str | None:
    # Only REMOTE_ADDR: a forwarded-for header is client-controlled unless a trusted proxy rewrites it,
    # and the proxy setup (TRUSTED_PROXY_COUNT) is applied to login throttling by axes itself.
    return request.META.get("REMOTE_ADDR") or None


class TenancyMiddleware:
    """Attach `request.memberships` and `request.region` (the region the user works in now)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        memberships = memberships_of(request.user)
        request.memberships = memberships  # type: ignore[attr-defined]
        request.region = self._resolve_region(request, memberships)  # type: ignore[attr-defined]
        with client_ip(_client_address(request)):
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
