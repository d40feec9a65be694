"""Every streamed export at national size: rows/s and peak memory, against openpyxl write-only on the same values.

    createdb -h 127.0.0.1 -U postgres smartcity_exports_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/smartcity_exports_bench DJANGO_DEBUG=1 \\
        .venv/bin/python bench/exports.py                  # 150,000 indicator targets, 15,000 programmes
    DJANGO_DEBUG=1 .venv/bin/python bench/exports.py --targets 20000 --programmes 2000   # SQLite, a minute

The database named by DATABASE_URL is migrated and, when it holds no programmes, filled with bulk_create: 50
regions of 10 SKPDs each, one masterplan each, `--programmes` programmes (two supporting SKPDs each, one name in
a hundred a formula payload) and two indicators per programme with targets for five years until `--targets`
targets exist. Without DATABASE_URL a throwaway SQLite file is used.

Every measurement runs in a fresh child process (this script with --child), so its peak memory is its own: the
admin's exports (indicator targets, programmes, agencies; xlsx and ";" CSV) requested as the superuser through
Django's test Client and read to the end, the dashboard's largest table and the questionnaire as DKISP's
coordinator would. The raw baselines get the same rows as plain values (read before the clock starts) and
write them with openpyxl in write-only mode, or with the csv module, to a temporary file. Peak RSS is VmHWM
after the export minus VmRSS before it (VmHWM reset through /proc/self/clear_refs), as in bench/package.py.
Prints figures and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from the project root

RESULT = "BENCH "
REGIONS = 50
AGENCIES_PER_REGION = 10
YEARS = range(2021, 2026)
RATIO_GOAL = 0.8
MEMORY_GOAL = 100.0  # MB

# (label, admin model, format index in SpreadsheetAdminMixin.formats)
ADMIN_EXPORTS = [
    ("indicator targets xlsx", "masterplan_indicatortarget", "0"),
    ("indicator targets csv", "masterplan_indicatortarget", "2"),
    ("programmes xlsx", "masterplan_programme", "0"),
    ("programmes csv", "masterplan_programme", "2"),
    ("agencies xlsx", "agencies_agency", "0"),
]


def memory_mb(key: str) -> float:
    match = re.search(rf"^{key}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.MULTILINE)
    return int(match.group(1)) / 1024 if match else 0.0


def reset_peak() -> float:
    """Restart VmHWM from the current RSS; returns that RSS."""
    Path("/proc/self/clear_refs").write_text("5")
    return memory_mb("VmRSS")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcity.settings")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test Client's host is allowed, mail goes nowhere


# --- The data -------------------------------------------------------------------------------------------------


def generate(programmes: int, targets: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from agencies.models import Agency, Region
    from masterplan.models import Element, Indicator, IndicatorTarget, Masterplan, Programme

    if Programme.objects.exists():
        return
    started = time.perf_counter()
    elements = list(Element.objects.order_by("pk"))
    with transaction.atomic():
        regions = Region.objects.bulk_create(
            Region(name=f"Kabupaten Bench {i:03d}", province="Bench", bps_code=f"{9000 + i}") for i in range(REGIONS)
        )
        agencies = Agency.objects.bulk_create(
            Agency(region=region, name=f"Dinas {j:02d} {region.bps_code}", acronym=f"D{j:02d}")
            for region in regions
            for j in range(AGENCIES_PER_REGION)
        )
        by_region: dict[int, list[Agency]] = {}
        for agency in agencies:
            by_region.setdefault(agency.region_id, []).append(agency)
        masterplans = Masterplan.objects.bulk_create(
            Masterplan(region=region, title=f"Masterplan {region.name}", start_year=2021, end_year=2025)
            for region in regions
        )
        rows = []
        for n in range(programmes):
            masterplan = masterplans[n % REGIONS]
            staff = by_region[masterplan.region_id]
            name = '=HYPERLINK("http://x")' if n % 100 == 0 else f"Program inovasi nomor {n}, tahap {n % 7}"
            rows.append(
                Programme(
                    masterplan=masterplan,
                    element=elements[n % len(elements)],
                    code=f"P-{n:05d}",
                    name=name,
                    description=f"Uraian program {n}: layanan publik digital untuk warga, tahap {n % 5}.",
                    term=Programme.Term.SHORT,
                    lead_agency=staff[n % len(staff)],
                    start_year=2021,
                    end_year=2025,
                    funding_sources=["apbd", "dak"],
                    status=Programme.Status.RUNNING,
                )
            )
        made = Programme.objects.bulk_create(rows, batch_size=2000)
        through = Programme.supporting_agencies.through
        links = []
        for n, programme in enumerate(made):
            staff = by_region[masterplans[n % REGIONS].region_id]
            links += [
                through(programme_id=programme.pk, agency_id=staff[(n + 1) % len(staff)].pk),
                through(programme_id=programme.pk, agency_id=staff[(n + 2) % len(staff)].pk),
            ]
        through.objects.bulk_create(links, batch_size=5000)
        per_indicator = len(YEARS)
        indicators_needed = -(-targets // per_indicator)
        indicators = Indicator.objects.bulk_create(
            (
                Indicator(programme=made[i % len(made)], name=f"Indikator {i}", unit="%", order=i // len(made))
                for i in range(indicators_needed)
            ),
            batch_size=5000,
        )
        target_rows = (
            IndicatorTarget(indicator=indicator, year=year, value=Decimal(f"{i % 1000}.{year % 100}"))
            for i, indicator in enumerate(indicators)
            for year in YEARS
        )
        batch: list[IndicatorTarget] = []
        made_targets = 0
        for target in target_rows:
            if made_targets + len(batch) >= targets:
                break
            batch.append(target)
            if len(batch) == 5000:
                IndicatorTarget.objects.bulk_create(batch)
                made_targets += len(batch)
                batch = []
        IndicatorTarget.objects.bulk_create(batch)
        user_model = get_user_model()
        if not user_model.objects.filter(username="bench-root").exists():
            user_model.objects.create_superuser("bench-root", "root@example.org", "bench-password-1")
    print(f"generated  in {time.perf_counter() - started:.1f} s")


# --- Children ---------------------------------------------------------------------------------------------------


def _admin_client() -> Any:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-root"))
    return client


def _consume(response: Any) -> int:
    size = 0
    for chunk in response.streaming_content if response.streaming else [response.content]:
        size += len(chunk)
    response.close()
    return size


def _count(model_name: str) -> int:
    from django.apps import apps

    app, model = model_name.split("_", 1)
    return apps.get_model(app, model)._default_manager.count()


def child_admin(model_name: str, fmt: str) -> dict[str, Any]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = _admin_client()
    url = reverse(f"admin:{model_name}_export")
    rows = _count(model_name)
    client.get(reverse("admin:index"))  # warm up: session, user, admin site
    reset_queries()
    before = reset_peak()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"format": fmt, "resource": "0"})
        size = _consume(response)
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return {
        "rows": rows,
        "seconds": seconds,
        "rss": memory_mb("VmHWM") - before,
        "bytes": size,
        "queries": len(queries),
        "status": response.status_code,
    }


def _export_values(model_name: str, native: bool) -> tuple[list[str], list[list[Any]]]:
    """The rows the admin export writes, as plain values (the same resource, read before any clock starts)."""
    from django.contrib import admin
    from django.test import RequestFactory

    from common.admin.spreadsheet import export_rows

    model_admin = next(
        a for m, a in admin.site._registry.items() if m._meta.label_lower.replace(".", "_") == model_name
    )
    request = RequestFactory().get("/")
    from django.contrib.auth import get_user_model

    request.user = get_user_model().objects.get(username="bench-root")
    resource = model_admin.get_export_resource_classes(request)[0]()
    queryset = model_admin.get_export_queryset(request)
    return resource.get_export_headers(), list(export_rows(resource, queryset, force_native_type=native))


def child_raw_xlsx(model_name: str) -> dict[str, Any]:
    import openpyxl

    headers, rows = _export_values(model_name, native=True)
    before = reset_peak()
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("Data")
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
        workbook.save(out)
        size = out.tell()
    return {
        "rows": len(rows),
        "seconds": time.perf_counter() - started,
        "rss": memory_mb("VmHWM") - before,
        "bytes": size,
    }


def child_raw_csv(model_name: str) -> dict[str, Any]:
    headers, rows = _export_values(model_name, native=False)
    before = reset_peak()
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL)
        writer.writerow(headers)
        writer.writerows(rows)
        size = out.tell()
    return {
        "rows": len(rows),
        "seconds": time.perf_counter() - started,
        "rss": memory_mb("VmHWM") - before,
        "bytes": size,
    }


def run_child(args: list[str]) -> dict[str, Any]:
    completed = subprocess.run(  # noqa: S603 - this very script, with our own arguments
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=False, cwd=ROOT
    )
    for line in completed.stdout.splitlines():
        if line.startswith(RESULT):
            return json.loads(line[len(RESULT) :])
    raise RuntimeError(f"child {args} failed:\n{completed.stdout}\n{completed.stderr}")


# --- Main ---------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=150_000)
    parser.add_argument("--programmes", type=int, default=15_000)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        setup_django()
        kind, *rest = args.child
        result = {"admin": child_admin, "raw-xlsx": child_raw_xlsx, "raw-csv": child_raw_csv}[kind](*rest)
        print(RESULT + json.dumps(result))
        return

    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='exports-bench-')}/db.sqlite3"
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    generate(args.programmes, args.targets)
    print(f"database   {connection.vendor}; Python {sys.version.split()[0]}")
    print(f"{'export':<26}{'rows':>9}{'s':>8}{'rows/s':>10}{'RSS MB':>8}{'queries':>9}{'raw rows/s':>12}{'ratio':>7}")
    raws: dict[tuple[str, str], dict[str, Any]] = {}
    for label, model_name, fmt in ADMIN_EXPORTS:
        kind = "raw-xlsx" if fmt == "0" else "raw-csv"
        if (kind, model_name) not in raws:
            raws[(kind, model_name)] = run_child([kind, model_name])
        raw = raws[(kind, model_name)]
        ours = run_child(["admin", model_name, fmt])
        rate = ours["rows"] / ours["seconds"]
        raw_rate = raw["rows"] / raw["seconds"]
        ratio = rate / raw_rate
        flags = ""
        if fmt == "0" and ratio < RATIO_GOAL:
            flags += "  below the ratio goal"
        if ours["rss"] > MEMORY_GOAL:
            flags += "  over the memory goal"
        print(
            f"{label:<26}{ours['rows']:>9,}{ours['seconds']:>8.2f}{rate:>10,.0f}{ours['rss']:>8.1f}"
            f"{ours['queries']:>9}{raw_rate:>12,.0f}{ratio:>7.2f}{flags}"
        )
        print(f"{'  raw ' + kind:<26}{raw['rows']:>9,}{raw['seconds']:>8.2f}{raw_rate:>10,.0f}{raw['rss']:>8.1f}")


if __name__ == "__main__":
    main()
