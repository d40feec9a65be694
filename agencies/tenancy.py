"""The region a request works in: where the session keeps it, and how a page about another of the user's regions
makes that region the current one (smartcity.middleware.TenancyMiddleware resolves it on every request)."""

from __future__ import annotations

from django.http import HttpRequest

from agencies.models import Region

SESSION_REGION_KEY = "smartcity_region_id"


def follow_region(request: HttpRequest, region: Region) -> None:
    """Make `region` the current one, for this page and the next, when the user works there.

    An assessor with cycles in two regions opens any of them from one queue: the header, the menu and the pages
    reached from there then speak of the region of the cycle in front of them, not of the one chosen before.
    A region the user has no membership in (a superuser's) leaves the choice alone.
    """
    current = getattr(request, "region", None)
    if current is not None and current.pk == region.pk:
        return
    if any(m.region_id == region.pk for m in getattr(request, "memberships", [])):
        request.session[SESSION_REGION_KEY] = region.pk
        request.region = region  # type: ignore[attr-defined]
