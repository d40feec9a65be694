"""The client's address: one answer for login throttling (django-axes) and the audit log.

A forwarded-for header is whatever the client wrote, except for the entries our own proxies appended. Each
trusted proxy appends the address it received the request from, and the last one is in REMOTE_ADDR itself,
so with `TRUSTED_PROXY_COUNT` = N the client is the N-th entry of X-Forwarded-For counted from the right;
anything further left may be forged. With 0 (no proxy) the headers are ignored entirely.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"


def client_address(request: HttpRequest) -> str | None:
    """The address the request came from, as far as the trusted proxies vouch for it."""
    proxies: int = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        # django-ipware parses the header (IPv6, ports, junk entries) and counts hops. Its proxy_count is the
        # number of proxy entries to the right of the client *inside* the header: the outermost N-1 of ours,
        # since the innermost one is REMOTE_ADDR. Non-strict: a longer chain only means the client prepended
        # entries of its own, which we skip; a strict match would fall back to the proxy's address and let
        # one person's failures lock out everyone behind it.
        address, _routable = get_client_ip(
            request,
            proxy_order="left-most",
            proxy_count=proxies - 1,
            request_header_order=[FORWARDED_FOR],
            strict=False,
        )
        if address:
            return address
    # No proxy, or a request that did not come through all of them (a health check from inside).
    return request.META.get("REMOTE_ADDR") or None
