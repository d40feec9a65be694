"""common.links: what reverse() and static() give, for the views lists link per row and the navigation links on every
page, under any script prefix."""

from __future__ import annotations

import pytest
from django.templatetags.static import static
from django.test import override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix

from common.links import reverse_fixed, reverse_pk, static_url

VIEWS = ["masterplan:report", "evidence:detail", "evaluations:answer", "evaluations:cycle"]


@pytest.mark.parametrize("viewname", VIEWS)
def test_gives_what_reverse_gives(viewname: str) -> None:
    for pk in (1, 7, 10, 918, 123456789, 2**63 - 1, 0):
        assert reverse_pk(viewname, pk) == reverse(viewname, args=[pk])


def test_follows_the_script_prefix() -> None:
    before = reverse_pk("masterplan:report", 5)
    set_script_prefix("/smartcity/")
    try:
        assert reverse_pk("masterplan:report", 5) == reverse("masterplan:report", args=[5]) == "/smartcity" + before
    finally:
        set_script_prefix("/")
    assert reverse_pk("masterplan:report", 5) == before


def test_anything_but_an_id_goes_to_reverse() -> None:
    with pytest.raises(NoReverseMatch):
        reverse_pk("masterplan:report", None)  # type: ignore[arg-type]
    with pytest.raises(NoReverseMatch):
        reverse_pk("masterplan:report", -1)
    assert reverse_pk("masterplan:report", "12") == reverse("masterplan:report", args=["12"])  # type: ignore[arg-type]


def test_fixed_paths_and_static_urls_follow_the_prefix_and_settings() -> None:
    for name in ("home", "evidence:library", "masterplan:review_queue", "logout"):
        assert reverse_fixed(name) == reverse(name)
    set_script_prefix("/smartcity/")
    try:
        assert reverse_fixed("evidence:library") == reverse("evidence:library") == "/smartcity/bukti/"
    finally:
        set_script_prefix("/")
    assert static_url("css/app.css") == static("css/app.css")
    with override_settings(STATIC_URL="/assets/"):
        assert static_url("css/app.css") == static("css/app.css") == "/assets/css/app.css"
    assert static_url("css/app.css") == static("css/app.css")
