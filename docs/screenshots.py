"""Take the README's screenshots from a running demo, so they can be redone whenever the pages change.

    DJANGO_DEBUG=1 .venv/bin/python manage.py runserver 127.0.0.1:8000 &      # on the demo database
    DJANGO_DEBUG=1 .venv/bin/python docs/screenshots.py [http://127.0.0.1:8000]

It reads the demo's ids from the same database (DATABASE_URL) and drives Debian's Chromium through Playwright.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcity.settings")
django.setup()

from django.urls import reverse  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402

from agencies.models import Agency, Membership, Region, Role  # noqa: E402
from evaluations.models import EvaluationCycle, Meeting, Package  # noqa: E402
from evaluations.selectors.whatif import MAX_SCORE, best_gains, whatif_questions  # noqa: E402
from masterplan.models import Programme, ProgressReport  # noqa: E402

PASSWORD = "banjar2026"  # noqa: S105  (the demo password printed by `make run`)
OUT = ROOT / "docs" / "screenshots"


def log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state("networkidle")


def shoot(page: Page, base: str, path: str, name: str) -> None:
    page.goto(f"{base}{path}")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)
    print(f"{name}.png ← {path}")


def whatif_query(cycle: EvaluationCycle) -> str:
    """The what-if with the question whose next point counts most raised to 5, so the simulated column moves."""
    questions = whatif_questions(cycle)
    gains = best_gains(questions=questions, weights=cycle.weights, limit=1)
    if not gains:
        return ""
    return f"?q_{gains[0].question.pk}={int(MAX_SCORE)}"


def pdf_pages(pdf: Path, pages: dict[int, str]) -> None:
    """Pages of a package PDF as PNG (poppler's pdftoppm), to show what the assessors receive."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        print("pdftoppm is missing (apt-get install poppler-utils): no PDF pages")
        return
    for number, name in pages.items():
        command = [tool, "-png", "-r", "70", "-f", str(number), "-l", str(number), "-singlefile", str(pdf)]
        subprocess.run([*command, str(OUT / name)], check=True)  # noqa: S603
        print(f"{name}.png ← page {number} of {pdf.name}")


def main(base: str) -> None:
    banjar = Region.objects.get(bps_code="6303")
    cycle_2023 = EvaluationCycle.objects.get(region=banjar, year=2023, stage="Tahap I")
    cycle_2023_ii = EvaluationCycle.objects.get(region=banjar, year=2023, stage="Tahap II")
    cycle_2024 = EvaluationCycle.objects.get(region=banjar, year=2024)
    # A report its SKPD can still edit, and an operator of that SKPD, for the evidence picker.
    editable = Membership.objects.filter(
        role=Role.OPERATOR,
        region=banjar,
        agency__reports__status__in=ProgressReport.EDITABLE,
    ).select_related("user", "agency")
    editor = editable.order_by("agency__acronym").first()
    report = (
        ProgressReport.objects.filter(agency=editor.agency, status__in=ProgressReport.EDITABLE).order_by("pk").first()
        if editor
        else None
    )
    mpp = Programme.objects.filter(name__icontains="Barokah").order_by("pk").first()
    meeting = Meeting.objects.filter(status=Meeting.Status.HELD).order_by("-starts_at").first()
    dpmptsp = Agency.objects.get(region=banjar, acronym="DPMPTSP")
    whatif = reverse("evaluations:whatif", args=[cycle_2023.pk]) + whatif_query(cycle_2023)  # before Playwright's loop
    package = Package.objects.filter(cycle=cycle_2023, status=Package.Status.DONE).order_by("-pk").first()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 860}).new_page()
        log_in(page, base, "dkisp")
        shoot(page, base, reverse("evaluations:dashboard"), "dashboard")  # the top of a long page
        shoot(page, base, reverse("masterplan:overview"), "masterplan-overview")
        shoot(page, base, reverse("masterplan:programme", args=[mpp.pk]), "programme")
        shoot(page, base, reverse("masterplan:review_queue"), "review-queue")
        shoot(page, base, reverse("evaluations:readiness", args=[cycle_2024.pk]), "readiness")
        shoot(page, base, reverse("evaluations:lock", args=[cycle_2024.pk]), "lock")
        shoot(page, base, reverse("evaluations:extensions", args=[cycle_2024.pk]), "extensions")
        shoot(page, base, reverse("evaluations:results", args=[cycle_2023.pk]), "evaluation-results")
        shoot(page, base, reverse("evaluations:packages", args=[cycle_2023.pk]), "packages")
        shoot(page, base, whatif, "whatif")
        shoot(page, base, reverse("masterplan:chase") + "?late=1", "chase")
        shoot(page, base, reverse("masterplan:agency", args=[dpmptsp.pk]), "agency")  # contacts, reminders sent
        shoot(page, base, reverse("evaluations:followup_register"), "followup-register")
        if meeting is not None:
            shoot(page, base, meeting.get_absolute_url(), "meeting")
        if package is not None:
            shoot(page, base, package.get_absolute_url(), "package")
            pdf_pages(Path(package.pdf.path), {1: "package-pdf-cover", 3: "package-pdf-summary"})
        log_in(page, base, "op.dpmptsp")
        shoot(page, base, reverse("masterplan:my_reports"), "my-reports")
        if editor is not None and report is not None:
            log_in(page, base, editor.user.username)
            shoot(
                page, base, reverse("masterplan:report_edit", args=[report.pk]) + "#evidence-picker", "evidence-picker"
            )
        log_in(page, base, "op.dinkes")  # the SKPD whose window DKISP extended in the demo
        shoot(page, base, reverse("home"), "skpd-dashboard")  # an SKPD's home is its dashboard
        shoot(page, base, reverse("evaluations:my_questions"), "my-questionnaire")
        log_in(page, base, "asesor")
        shoot(page, base, reverse("evaluations:assessment", args=[cycle_2023_ii.pk]), "assessment-provisional")
        shoot(page, base, reverse("evaluations:assessment_list"), "assessor-queue")  # cycles in two regions
        log_in(page, base, "nasional")
        shoot(page, base, reverse("evaluations:national") + "?year=2023", "national")
        shoot(page, base, reverse("evaluations:national_region", args=[banjar.pk]) + "?year=2023", "national-region")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
