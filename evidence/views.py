"""The evidence library (bukti dukung): upload, describe, find, see where used, download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from agencies.audit import events_for
from agencies.gates import requires
from agencies.models import AGENCY_ROLES, Agency
from agencies.permissions import CHANGE, CREATE, DELETE, VIEW, User, agencies_of, can, can_in_region, get_for_user
from common.forms import add_service_errors
from common.pagination import paginate
from evidence.downloads import evidence_file_response
from evidence.forms import EvidenceMetadataForm, EvidenceUploadForm
from evidence.models import Evidence
from evidence.selectors import evidence_library, evidence_uses, filter_library, with_use_counts
from evidence.services import already_stored, evidence_delete, evidence_update, evidence_upload

PAGE_SIZE = 25


def get_evidence_for_user(user: User, pk: int, action: str = VIEW) -> Evidence:
    return get_for_user(user, Evidence.objects.select_related("stored_file", "agency__region"), action, pk=pk)


def _own_agency(request: HttpRequest) -> Agency:
    """The agency whose library an SKPD member writes to (the first, for the rare person in two)."""
    agencies = agencies_of(request.user, AGENCY_ROLES, region=request.region) if request.region else []
    if not agencies:
        raise PermissionDenied
    return agencies[0]


@login_required
@requires(VIEW, on=Evidence)
def library(request: HttpRequest) -> HttpResponse:
    entries = evidence_library(user=request.user, region=request.region)
    q, kind, validity = (request.GET.get(k, "").strip() for k in ("q", "kind", "validity"))
    kind = kind if kind in Evidence.Kind.values else ""
    entries = filter_library(entries, q=q, kind=kind, validity=validity)
    page, query = paginate(request, entries, PAGE_SIZE)
    page.object_list = with_use_counts(page.object_list)  # counted for the page's rows only
    return render(
        request,
        "evidence/library.html",
        {
            "page": page,
            "query": query,
            "q": q,
            "kind": kind,
            "validity": validity,
            "kinds": Evidence.Kind.choices,
            "can_upload": can_in_region(request.user, CREATE, Evidence, request.region),
        },
    )


@login_required
@requires(CREATE, on=Evidence)
def upload(request: HttpRequest) -> HttpResponse:
    agency = _own_agency(request)
    form = EvidenceUploadForm(request.POST or None, request.FILES or None)
    for problem in getattr(request, "upload_errors", []):
        form.add_error(None if request.method != "POST" else "files", problem)
    if request.method == "POST" and form.is_valid():
        files = form.cleaned_data["files"]
        data = {k: v for k, v in form.cleaned_data.items() if k != "files"}
        if len(files) > 1:
            data["title"] = ""  # each of several files is named after itself
        added, refused = [], False
        for upload_file in files:
            try:
                result = evidence_upload(agency=agency, by=request.user, upload=upload_file, data=data)
            except ValidationError as error:
                refused = True
                form.add_error("files", error)
                continue
            if result.created:
                added.append(result.evidence)
            else:
                messages.info(request, already_stored(upload_file.name, result.evidence))
        if added:
            messages.success(request, _("%(n)s file(s) added to the library.") % {"n": len(added)})
        if not refused and not getattr(request, "upload_errors", []):
            return redirect("evidence:library")
    return render(request, "evidence/upload.html", {"form": form, "agency": agency})


@login_required
@requires(VIEW, fetch=get_evidence_for_user)
def detail(request: HttpRequest, evidence: Evidence) -> HttpResponse:
    return render(
        request,
        "evidence/detail.html",
        {
            "evidence": evidence,
            "uses": evidence_uses(user=request.user, evidence=evidence),
            "can_change": can(request.user, CHANGE, evidence),
            "history": events_for(evidence).select_related("actor")[:20],
        },
    )


@login_required
@requires(CHANGE, fetch=get_evidence_for_user)
def edit(request: HttpRequest, evidence: Evidence) -> HttpResponse:
    form = EvidenceMetadataForm(request.POST or None, instance=evidence)
    if request.method == "POST" and form.is_valid():
        try:
            # A fresh copy: the form has already set its values on `evidence`, and the service audits the difference.
            evidence_update(
                evidence=Evidence.objects.select_related("agency__region").get(pk=evidence.pk),
                by=request.user,
                data=form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The evidence was saved."))
            return redirect(evidence)
    return render(request, "evidence/edit.html", {"form": form, "evidence": evidence})


@login_required
@require_POST
@requires(DELETE, fetch=get_evidence_for_user)
def delete(request: HttpRequest, evidence: Evidence) -> HttpResponse:
    try:
        evidence_delete(evidence=evidence, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(evidence)
    messages.success(request, _("The evidence was deleted."))
    return redirect("evidence:library")


@login_required
@requires(VIEW, fetch=get_evidence_for_user)
def download(request: HttpRequest, evidence: Evidence) -> HttpResponseBase:
    return evidence_file_response(request, evidence)


@login_required
@xframe_options_sameorigin
@requires(VIEW, fetch=get_evidence_for_user)
def preview(request: HttpRequest, evidence: Evidence) -> HttpResponseBase:
    """PDFs and images shown inside our own pages; other types are only downloadable."""
    if not evidence.stored_file.previewable:
        raise Http404
    return evidence_file_response(request, evidence, inline=True)
