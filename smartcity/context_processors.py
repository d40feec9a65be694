"""Template context every page needs: who the user is here, and what the navigation may offer."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from agencies.models import Role
from agencies.permissions import sees_national


def navigation(request: HttpRequest) -> dict[str, Any]:
    memberships = getattr(request, "memberships", [])
    region = getattr(request, "region", None)
    here = [m for m in memberships if region is not None and m.region_id == region.pk]
    roles = {m.role for m in here}
    user = getattr(request, "user", None)
    return {
        # Not "site_name": Django's auth views put the request's host under that name, and a view's context
        # overrides a context processor's, so the log-in page would show "127.0.0.1:8000" as the brand.
        "SITE_NAME": settings.SITE_NAME,
        "current_region": region,
        "user_regions": list({m.region_id: m.region for m in memberships}.values()),
        "nav_roles": sorted({m.get_role_display() for m in here}),
        "nav_agencies": [m.agency for m in here if m.agency is not None and m.role in (Role.OPERATOR, Role.HEAD)],
        "is_coordinator": Role.COORDINATOR in roles or bool(user and user.is_superuser),
        "is_assessor": Role.ASSESSOR in roles,
        # National programme staff (and administrators) reach the national view; asked without a query of its own.
        "is_national": bool(user and sees_national(user)),
    }
