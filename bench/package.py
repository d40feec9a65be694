"""The evaluation package of a large cycle: each step's time, its throughput against the raw library, its memory.

    .venv/bin/python bench/package.py                  # 150 questions, 30 SKPDs, 2,000 files (~2 GB), 300 programmes
    .venv/bin/python bench/package.py --scale 0.05     # 100 files, 15 programmes: a couple of minutes
    .venv/bin/python bench/package.py --data DIR       # keep the data in DIR; a later run with DIR reuses it
    .venv/bin/python bench/package.py --repeat 3       # each step and raw baseline three times, best of three

The generator (bench/package_data.py) writes the cycle through the app's services into a throwaway SQLite
database and MEDIA_ROOT in a temporary folder (DATABASE_URL, if set, is used instead: it must name an empty
database); `--scale` multiplies the evidence files and the programmes. The package is then built as a worker
builds it (package_request + package_run, immediate task backend) and each step is timed from Package.timings.

Every measurement runs in a fresh child process (this script with --step), so each peak RSS is that of a
worker that did just that: the whole build; each step, run through the real `build()` and stopped when the
next step begins; and the raw baselines on the same input: WeasyPrint alone on the same HTML with our
fetcher, openpyxl write-only on the workbook's rows as plain values, and `zipfile` storing the same files with
shutil.copyfileobj. A worker's peak is its VmHWM (see "Measuring" below for why not ru_maxrss), and VmHWM
reset at a step's start gives the step's own peak; each PDF renderer (a child of the fork server) reports its own
peak (ru_maxrss) with the parts it rendered, and the largest is shown. Prints figures and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from contextlib import nullcontext
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from the project root
sys.path.insert(0, str(Path(__file__).resolve().parent))

MIB = 1024 * 1024
RATIO_GOALS = {"pdf": 0.9, "excel": 0.9, "zip": 0.8}
MEMORY_GOAL = 150.0  # MB, the worker building the 2 GB package
STEPS = ["collecting", "pdf", "excel", "zip"]  # Package.Step values, in build order
RESULT = "BENCH "  # a child's one line of results starts with this


# --- Measuring inside a child process.
# A process's peak RSS is read from /proc/self/status (VmHWM), not getrusage(RUSAGE_SELF).ru_maxrss: Linux
# carries ru_maxrss across exec, so every child started from this driver reported the driver's own peak. A PDF
# renderer is forked (not exec'd) from the fork server, so its own ru_maxrss is right for it.

_earlier_peak = [0.0]


def memory_mb(key: str) -> float:
    match = re.search(rf"^{key}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.MULTILINE)
    return int(match.group(1)) / 1024 if match else 0.0


def reset_peak() -> None:
    """Restart VmHWM from the current RSS (Linux 4.0+), so a step's own peak can be read at its end."""
    _earlier_peak[0] = max(_earlier_peak[0], memory_mb("VmHWM"))
    Path("/proc/self/clear_refs").write_text("5")


def process_peak() -> float:
    return max(_earlier_peak[0], memory_mb("VmHWM"))


class _StepDone(Exception):
    """Raised from the build's progress callback when the step after the measured one begins."""


def _package(pk: int) -> Any:
    from evaluations.models import Package

    return Package.objects.select_related("region", "cycle__region", "requested_by").get(pk=pk)


def child_setup(_pk: int) -> dict[str, Any]:
    """A worker that has loaded Django and the package code (run_child imports it), and done nothing yet."""
    return {}


def child_build(cycle_pk: int) -> dict[str, Any]:
    """The whole build, as a worker runs it: request, then run (the immediate backend has built it by then)."""
    from agencies.models import Membership, Role
    from evaluations.models import EvaluationCycle, Package
    from evaluations.services.packages import package_request, package_run

    cycle = EvaluationCycle.objects.select_related("region").get(pk=cycle_pk)
    membership = Membership.objects.filter(region=cycle.region, role=Role.COORDINATOR).order_by("pk").first()
    coordinator = membership.user if membership else None
    started = time.perf_counter()
    package, _started = package_request(cycle=cycle, by=coordinator)
    package_run(package_id=package.pk)
    seconds = time.perf_counter() - started
    package = Package.objects.get(pk=package.pk)
    return {
        "seconds": seconds,
        "package": package.pk,
        "status": package.status,
        "error": package.error,
        "timings": package.timings,
        "pdf_pages": package.pdf_pages,
        "pdf_size": package.pdf_size,
        "workbook_size": package.workbook_size,
        "archive_size": package.archive_size,
    }


def child_step(pk: int, step: str) -> dict[str, Any]:
    """Run the real build of package `pk` up to the end of `step`; time it and read its own peak (VmHWM)."""
    from django.core.files.storage import default_storage

    from evaluations.packages.build import build

    marks: dict[str, float] = {}

    def beat(current: str, _progress: int) -> None:
        if current == step and "start" not in marks:
            reset_peak()
            marks["start"] = time.perf_counter()
        elif "start" in marks and current != step:
            marks["end"] = time.perf_counter()
            marks["hwm"] = memory_mb("VmHWM")
            raise _StepDone

    fields: dict[str, Any] = {}
    try:
        fields = build(_package(pk), beat)
    except _StepDone:
        pass
    else:  # the last step: the build ran to its end and stored its files (under new names); they go again
        marks["end"] = time.perf_counter()
        marks["hwm"] = memory_mb("VmHWM")
        for part in ("pdf", "workbook", "archive"):
            default_storage.delete(fields[part])
    seconds = fields["timings"]["zip"] if fields else marks["end"] - marks["start"]
    return {"seconds": seconds, "step_hwm": marks["hwm"]}


def child_raw_pdf(pk: int) -> dict[str, Any]:
    """WeasyPrint alone, in this process, on the whole document's HTML, with our fetcher."""
    from django.utils import timezone, translation
    from weasyprint import HTML

    from evaluations.packages.build import submission_html
    from evaluations.packages.pdf import BASE_URL, PackageFetcher, read_logo
    from evaluations.selectors.package import collect
    from evaluations.services import windows

    package = _package(pk)
    with translation.override(package.language):
        data = collect(package.cycle, today=windows.today(), now=timezone.now())
        logo = read_logo(package.region)
        html = submission_html(package, data, logo=logo)
    target = Path(tempfile.gettempdir()) / f"raw-{os.getpid()}.pdf"
    reset_peak()
    started = time.perf_counter()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=PackageFetcher(logo)).render()
    document.write_pdf(target)
    seconds = time.perf_counter() - started
    target.unlink()
    return {"seconds": seconds, "pages": len(document.pages)}


def child_raw_excel(pk: int) -> dict[str, Any]:
    """openpyxl write-only, the package workbook's sheets and rows as plain values: no styles, no cell objects."""
    from openpyxl import Workbook, load_workbook

    package = _package(pk)
    with package.workbook.open("rb") as handle:
        source = load_workbook(handle, read_only=True, data_only=True)
        sheets = [(sheet.title, list(sheet.iter_rows(values_only=True))) for sheet in source.worksheets]
        source.close()
    target = Path(tempfile.gettempdir()) / f"raw-{os.getpid()}.xlsx"
    reset_peak()
    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(target)
    seconds = time.perf_counter() - started
    target.unlink()
    return {"seconds": seconds, "rows": sum(len(rows) - 1 for _title, rows in sheets)}


def child_raw_zip(pk: int) -> dict[str, Any]:
    """`zipfile` storing the package's PDF, workbook and evidence files, each copied with shutil.copyfileobj."""
    from django.utils import timezone

    from evaluations.selectors.package import collect
    from evaluations.services import windows

    package = _package(pk)
    data = collect(package.cycle, today=windows.today(), now=timezone.now())
    members = [
        (Path(package.pdf.name).name, package.pdf.path),
        (Path(package.workbook.name).name, package.workbook.path),
    ]
    members += [(packed.zip_path, packed.stored_file.file.path) for packed in data.files]
    target = Path(tempfile.gettempdir()) / f"raw-{os.getpid()}.zip"
    reset_peak()
    started = time.perf_counter()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name, path in members:
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            large = Path(path).stat().st_size >= zipfile.ZIP64_LIMIT
            with Path(path).open("rb") as source, archive.open(info, "w", force_zip64=large) as member:
                shutil.copyfileobj(source, member, MIB)
    seconds = time.perf_counter() - started
    size = target.stat().st_size
    target.unlink()
    return {"seconds": seconds, "size": size, "members": len(members)}


def run_child(name: str, pk: int, workers: int | None) -> None:
    import django

    django.setup()
    from django.test import override_settings

    import evaluations.packages.build

    os.sync()  # a previous child's written gigabytes are not this one's to flush
    # Each renderer reports its own peak with the parts it rendered (they are children of the fork server, not of
    # this process, so RUSAGE_CHILDREN never sees them).
    renderer_peaks: list[float] = []
    render_parts = evaluations.packages.build.render_parts

    def recording(*args: Any, **kwargs: Any) -> Any:
        parts = render_parts(*args, **kwargs)
        renderer_peaks.extend(part.renderer_mb for part in parts)
        return parts

    evaluations.packages.build.render_parts = recording  # type: ignore[assignment]
    actions = {
        "setup": child_setup,
        "build": child_build,
        "raw-pdf": child_raw_pdf,
        "raw-excel": child_raw_excel,
        "raw-zip": child_raw_zip,
        **{step: lambda pk, step=step: child_step(pk, step) for step in STEPS},
    }
    with override_settings(PACKAGE_PDF_WORKERS=workers) if workers else nullcontext():
        result = actions[name](pk)
    result["rss_self"] = process_peak()
    result["renderer"] = max(renderer_peaks) if renderer_peaks else None
    result["renderer_bound"] = 0.0
    print(RESULT + json.dumps(result, default=str), flush=True)


# --- The driver.


def child(name: str, pk: int, workers: int | None = None) -> dict[str, Any]:
    """Run one measurement in a fresh process; its results, or stop the bench with its error output."""
    command = [sys.executable, str(Path(__file__).resolve()), "--step", name, "--pk", str(pk)]
    if workers:
        command += ["--workers", str(workers)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT)]
    if done.returncode or not lines:
        sys.exit(f"the {name} child failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(lines[-1].removeprefix(RESULT))


def configure(work: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "smartcity.settings",
            # Debug off, as on a worker (debug also keeps every query in memory).
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
            "MEDIA_ROOT": str(work / "media"),
            "TASK_BACKEND": "immediate",
        }
    )
    os.environ.pop("S3_BUCKET", None)  # media on the local disk, in the data folder
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work / 'db.sqlite3'}")
    os.environ.setdefault("LOG_LEVEL", "WARNING")


def prepare(work: Path, scale: float) -> dict[str, Any]:
    """Migrate, then generate the cycle (or reuse the one a previous run left in `work` at the same scale)."""
    from django.core.management import call_command
    from package_data import generate

    call_command("migrate", verbosity=0)
    marker = work / "generated.json"
    if marker.exists():
        generated = json.loads(marker.read_text())
        if generated["scale"] == scale:
            print(f"Reusing the cycle generated in {work} ({generated['files']:,} files).")
            _drop_old_archives()
            return generated
        sys.exit(f"{work} holds a cycle generated at scale {generated['scale']}; use another folder.")
    print(f"Generating the cycle at scale {scale:g} in {work} ...", flush=True)
    started = time.perf_counter()
    made = asdict(generate(scale, lambda line: print(line, flush=True)))
    made.update(scale=scale, generation_seconds=time.perf_counter() - started)
    marker.write_text(json.dumps(made))
    print(
        f"Generated {made['files']:,} files ({made['bytes'] / 1024**3:.2f} GiB), {made['programmes']} programmes and "
        f"{made['reports']:,} reports in {made['generation_seconds']:.0f} s"
    )
    return made


def _drop_old_archives() -> None:
    """Earlier runs' package ZIPs (as large as the evidence) go; their PDFs and workbooks stay."""
    from evaluations.models import Package

    for package in Package.objects.exclude(archive=""):
        package.archive.delete()


def fmt_rate(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    return f"{value:,.1f} {unit}" if value < 100 else f"{value:,.0f} {unit}"


def renderer_mb(measured: dict[str, Any], rendered: bool) -> tuple[str, float]:
    """The renderer's peak as printed, and the figure the memory goal is judged on (its bound when unknown)."""
    if not rendered:
        return "–", 0.0
    if measured["renderer"]:
        return f"{measured['renderer']:.1f}", measured["renderer"]
    return f"≤ {measured['renderer_bound']:.0f}", measured["renderer_bound"]


def worst(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One child's figures over its repeats: the highest peaks (a repeat that rendered nothing new says None)."""
    merged = dict(runs[0])
    merged["rss_self"] = max(r["rss_self"] for r in runs)
    merged["step_hwm"] = max((r.get("step_hwm") or 0.0) for r in runs) or None
    merged["renderer_bound"] = max(r["renderer_bound"] for r in runs)
    known = [r["renderer"] for r in runs if r["renderer"]]
    merged["renderer"] = max(known) if known else None
    return merged


def report(build: dict[str, Any], runs: dict[str, list[dict[str, Any]]], workers_setting: int | None) -> None:
    timings = build["timings"]
    archive_mb = build["archive_size"] / MIB
    repeats = len(runs["pdf"])
    units = {"pdf": "pages/s", "excel": "rows/s", "zip": "MB/s"}
    raw = {part: runs[f"raw-{part}"] for part in units}
    # The package's pages, rows and MB, and the raw runs' own (the same, or the note below says otherwise).
    work = {"pdf": build["pdf_pages"], "excel": timings["rows"], "zip": archive_mb}
    raw_work = {"pdf": raw["pdf"][0]["pages"], "excel": raw["excel"][0]["rows"], "zip": raw["zip"][0]["size"] / MIB}
    best = {name: min(r["seconds"] for r in runs[name]) for name in STEPS}
    rates = {part: work[part] / best[part] for part in units}
    raw_rates = {part: raw_work[part] / min(r["seconds"] for r in raw[part]) for part in units}
    steps = {name: worst(runs[name]) for name in STEPS}
    print(
        f"\nPackage {build['package']}: {build['pdf_pages']} PDF pages ({build['pdf_size'] / MIB:.1f} MB), "
        f"{timings['rows']:,} workbook rows ({build['workbook_size'] / MIB:.1f} MB), ZIP of {timings['members']:,} "
        f"members ({archive_mb:,.0f} MB); PACKAGE_PDF_WORKERS="
        f"{workers_setting if workers_setting is not None else 'absent'}"
    )
    if (raw_work["pdf"], raw_work["excel"]) != (work["pdf"], work["excel"]):
        print(f"NOTE: the raw runs made {raw_work['pdf']} pages and {raw_work['excel']:,} rows")
    print(f"A worker after Django setup and imports: {runs['setup'][0]['rss_self']:.1f} MB\n")
    header = (
        f"{'step':<8} {'build s':>8} {'best s':>7}  {'throughput':<14} {'raw':<14} {'ratio':>5}  {'goal':<6} "
        f"{'met':<4} {'peak RSS MB':>11} {'renderer':>9} {'in step':>8}  {'< 150 MB':<8}"
    )
    print(header)
    print("-" * len(header))
    files = timings["members"] - 2
    rows: list[tuple[str, float, float | None, str, str | None, dict[str, Any]]] = [
        (
            "collect",
            timings["collect"],
            best["collecting"],
            fmt_rate(files / best["collecting"], "files/s"),
            None,
            steps["collecting"],
        ),
        *((part, timings[part], best[part], fmt_rate(rates[part], units[part]), part, steps[part]) for part in units),
        ("build", build["seconds"], None, fmt_rate(archive_mb / build["seconds"], "MB/s"), None, build),
    ]
    for name, seconds, fastest, throughput, part, measured in rows:
        ratio = rates[part] / raw_rates[part] if part else None
        goal = RATIO_GOALS[part] if part else None
        # The excel and zip processes rendered the PDF too, but that was before their step.
        renderer, renderer_peak = renderer_mb(measured, rendered=name in ("pdf", "build"))
        peak = max(measured["rss_self"], renderer_peak)
        in_step = measured.get("step_hwm")
        print(
            f"{name:<8} {seconds:8.2f} {f'{fastest:.2f}' if fastest else '–':>7}  {throughput:<14} "
            f"{fmt_rate(raw_rates[part], units[part]) if part else '–':<14} "
            f"{f'{ratio:.2f}' if ratio is not None else '–':>5}  {f'≥ {goal}' if goal else '–':<6} "
            f"{('yes' if ratio >= goal else 'no') if ratio is not None and goal else '–':<4} "
            f"{measured['rss_self']:11.1f} {renderer:>9} {f'{in_step:.1f}' if in_step else '–':>8}  "
            f"{'yes' if peak < MEMORY_GOAL else 'no':<8}"
        )
    runs_text = "the one run" if repeats == 1 else f"the best of {repeats} runs"
    print(
        f"\nbuild s: Package.timings of the build (build: request to done). best s: {runs_text} of the step in a "
        f"process of its own, each next to its raw baseline; throughput and ratio come from it.\nraw: the same work "
        f"by the bare library, {runs_text}. peak RSS: the worker process that ran up to the end of the step (VmHWM); "
        "renderer: the largest PDF renderer's own peak (ru_maxrss); in step: the worker's peak from the step's "
        "start; < 150 MB: the worker and its renderer each."
    )
    print(
        "The build's own step times give the ratios "
        + ", ".join(f"{part} {work[part] / timings[part] / raw_rates[part]:.2f}" for part in units)
        + " (they vary with the machine's load)."
    )
    raw_peaks = {part: worst(raw[part])["rss_self"] for part in units}
    print("Raw baselines' peak RSS: " + ", ".join(f"{part} {raw_peaks[part]:.1f} MB" for part in units))
    if "pdf-1" in runs:
        one, two = worst(runs["pdf-1"]), worst(runs["pdf-2"])
        one_s, two_s = (min(r["seconds"] for r in runs[name]) for name in ("pdf-1", "pdf-2"))
        print(
            f"\nParallel rendering: PACKAGE_PDF_WORKERS=1 {one_s:.2f} s (ratio vs raw "
            f"{work['pdf'] / one_s / raw_rates['pdf']:.2f}, worker {one['rss_self']:.1f} MB, renderer "
            f"{renderer_mb(one, rendered=True)[0]} MB), =2 {two_s:.2f} s (ratio vs raw "
            f"{work['pdf'] / two_s / raw_rates['pdf']:.2f}, worker {two['rss_self']:.1f} MB, renderer "
            f"{renderer_mb(two, rendered=True)[0]} MB): speedup {one_s / two_s:.2f} ×"
        )
    else:
        print("\nparallel rendering: not available")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the evidence files and programmes")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder (its path is printed)")
    parser.add_argument("--data", type=Path, help="use and keep this data folder; reuses a cycle generated there")
    parser.add_argument("--repeat", type=int, default=1, help="run each step and raw baseline this many times")
    parser.add_argument(
        "--excel-repeat",
        type=int,
        default=0,
        help="run the Excel step and its raw baseline this many more times (a 0.3 s step: single runs vary by 20 %%)",
    )
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--pk", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        run_child(args.step, args.pk, args.workers)
        return

    work = args.data or Path(tempfile.mkdtemp(prefix="package-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    configure(work)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    print(f"Machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    print(f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}; media in {settings.MEDIA_ROOT}")
    generated = prepare(work, args.scale)
    workers_setting = getattr(settings, "PACKAGE_PDF_WORKERS", None)
    connections.close_all()

    print("\nMeasuring (each in a fresh process) ...", flush=True)
    runs: dict[str, list[dict[str, Any]]] = {"setup": [child("setup", 0)]}
    build = child("build", generated["cycle_pk"])
    if build["status"] != "done":
        sys.exit(f"the build failed: {build['error']}")
    pk = build["package"]
    # Each step next to its raw baseline, repeated in turn, so that load from other work falls on both alike.
    for _ in range(args.repeat):
        for step, part in zip(STEPS, [None, "pdf", "excel", "zip"], strict=True):
            runs.setdefault(step, []).append(child(step, pk))
            if part:
                runs.setdefault(f"raw-{part}", []).append(child(f"raw-{part}", pk))
        if workers_setting is not None:
            for workers in (1, 2):
                runs.setdefault(f"pdf-{workers}", []).append(child("pdf", pk, workers=workers))
    for _ in range(args.excel_repeat):
        runs["excel"].append(child("excel", pk))
        runs["raw-excel"].append(child("raw-excel", pk))
    report(build, runs, workers_setting)
    if args.excel_repeat:
        print(f"Excel: the best of {len(runs['excel'])} runs of the step and of its baseline.")
    print(f"\nLoad average {os.getloadavg()[0]:.1f} at the end (other work shares this machine).")
    if args.keep or args.data:
        print(f"Data kept in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
