"""Accounts: password reset by e-mail, password change, and the coordinator's list of people in the region.

The password pages are Django's own views (tokens, session handling, validators); only the writes go through
our services, so each one is audited and the reset request is throttled.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agencies import services
from agencies.gates import requires
from agencies.permissions import CHANGE, get_for_user
from agencies.selectors import region_accounts, region_people
from common.client_ip import client_address
from common.ids import parse_id
from common.pagination import paginate
from common.views import act_and_redirect

PAGE_SIZE = 50


class ResetRequestForm(PasswordResetForm):
    """Django's form for the address; it sends nothing itself (the service does, throttled)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = gettext_lazy("E-mail address")
        self.fields["email"].help_text = gettext_lazy("The address your account is registered with.")


class PasswordResetRequestView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "registration/password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form: ResetRequestForm) -> HttpResponse:
        # The same page follows whether the address is known, unknown or throttled: nobody learns which.
        services.password_reset_request(email=form.cleaned_data["email"], ip=client_address(self.request))
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form: Any) -> HttpResponse:
        services.password_reset_complete(
            user=form.user, password=form.cleaned_data["new_password1"], ip=client_address(self.request)
        )
        # As Django's own view does: the token kept in the session is spent.
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, _("Your new password is set. Log in with it."))
        return HttpResponseRedirect(self.get_success_url())


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: Any) -> HttpResponse:
        services.password_change(user=form.user, password=form.cleaned_data["new_password1"])
        # Other sessions of this account end; this one stays logged in.
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("Your password was changed."))
        return HttpResponseRedirect(self.get_success_url())


@login_required
@requires(CHANGE, on=get_user_model())
def people(request: HttpRequest) -> HttpResponse:
    """Everyone with a role in the coordinator's region, with a button to mail them a password link."""
    region = request.region  # type: ignore[attr-defined]
    page, query = paginate(request, region_people(user=request.user, region=region), PAGE_SIZE)
    return render(request, "agencies/people.html", {"page": page, "query": query})


@login_required
@require_POST
@requires(CHANGE, on=get_user_model())
def send_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    region = request.region  # type: ignore[attr-defined]
    # Another region's person is 404, as any object the user may not see.
    account = get_for_user(request.user, region_accounts(region=region), CHANGE, pk=pk)
    page = request.POST.get("page", "")
    return act_and_redirect(
        request,
        lambda: services.password_reset_send(user=account, by=request.user, region=region),  # type: ignore[arg-type]
        success=_("A link to set a new password was sent to %(email)s.") % {"email": account.email},
        to=reverse("agencies:people") + (f"?page={parse_id(page)}" if parse_id(page) else ""),
    )
