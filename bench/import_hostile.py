"""Hostile spreadsheets against every import: each must be refused, or imported, in < 10 s and < 150 MB.

    .venv/bin/python bench/import_hostile.py [--only SUBSTRING] [--keep DIR] [--project DIR]

The script writes a corpus of hostile files (none over the 25 MB upload limit) into a temporary directory,
builds a throwaway SQLite database with the Banjar demo (migrate + load_demo, about a minute), then sends each
file, in a fresh subprocess, through Django's real request path: a multipart body on disk, parsed by
HashingUploadHandler, then the questionnaire import view (as the DKISP coordinator) or the admin's import page
(agencies or programmes, as the superuser). A file the admin previews without errors is then confirmed, and
that request (the import itself) is measured too.

Per request it prints the outcome, the server time (wall clock and CPU) and the growth of peak RSS: VmHWM from
/proc/self/status after the request, minus VmRSS before it, with the high-water mark reset through
/proc/self/clear_refs first; a warm-up request of a small valid file has already loaded every module and
template. `--project DIR` runs the requests against another checkout (e.g. `git archive HEAD | tar -x -C DIR`
for the figures before a change); there each request is stopped after 120 s or 3 GB. Asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import html
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from hostile_corpus import TARGETS, corpus, header_and, valid_rows
from hostile_xlsx import MB, sheet_writer, write_xlsx

ROOT = Path(__file__).resolve().parent.parent
BOUNDARY = "----smartcity-bench-import-5d1e"
TIME_GOAL = 10.0
MEMORY_GOAL = 150.0
RUN_TIMEOUT = 120
RUN_ADDRESS_SPACE = 3 * 1024 * MB  # only for --project: a runaway request fails instead of starving the machine


# --- One request, measured in a fresh process.


def memory_mb(key: str) -> float:
    status = Path("/proc/self/status").read_text()
    match = re.search(rf"^{key}:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else 0.0


def reset_peak() -> None:
    # Linux 4.0+: writing 5 resets VmHWM to the current RSS.
    Path("/proc/self/clear_refs").write_text("5")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def multipart(out: IO[bytes], fields: dict[str, str], file_field: str, path: Path) -> None:
    for key, value in fields.items():
        out.write(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    out.write(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{path.name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
    )
    with path.open("rb") as source:
        shutil.copyfileobj(source, out, MB)
    out.write(f"\r\n--{BOUNDARY}--\r\n".encode())


def run_one(target: str, path: Path, warm_up: Path) -> None:
    """Send `path` to its import (after a warm-up with `warm_up`); print one JSON line per measured request."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AbstractBaseUser
    from django.test import Client
    from django.test.client import ClientHandler
    from django.test.signals import template_rendered
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()  # rendered templates report their context (as for the test client)
    contexts: list[Any] = []
    template_rendered.connect(lambda sender, template, context, **kwargs: contexts.append(context), weak=False)
    handler = ClientHandler(enforce_csrf_checks=False)

    def log_in(username: str) -> str:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        return "; ".join(f"{key}={morsel.value}" for key, morsel in client.cookies.items())

    if target == "questionnaire":
        from evaluations.models import EvaluationCycle

        cookie = log_in("dkisp")
        cycle = EvaluationCycle.objects.order_by("-year").first()
        assert cycle is not None
        url = reverse("evaluations:questionnaire_import", args=[cycle.pk])
        fields, file_field = {"name": ""}, "file"
    else:
        from django.contrib import admin

        user: AbstractBaseUser = get_user_model().objects.filter(is_superuser=True).first()  # type: ignore[assignment]
        cookie = log_in(user.get_username())
        model = {"agencies": "agencies_agency", "programmes": "masterplan_programme"}[target]
        url = reverse(f"admin:{model}_import")
        model_admin = next(
            a for m, a in admin.site._registry.items() if f"{m._meta.app_label}_{m._meta.model_name}" == model
        )
        titles = [fmt().get_title() for fmt in model_admin.get_import_formats()]
        fields, file_field = {"resource": "0", "format": str(titles.index(path.suffix[1:]))}, "import_file"

    def post(url: str, body_fields: dict[str, str], upload: Path | None) -> Any:
        with tempfile.TemporaryFile() as body:
            if upload is None:
                body.write("&".join(f"{k}={v}" for k, v in body_fields.items()).encode())
                content_type = "application/x-www-form-urlencoded"
            else:
                multipart(body, body_fields, file_field, upload)
                content_type = f"multipart/form-data; boundary={BOUNDARY}"
            length = body.tell()
            body.seek(0)
            environ = {
                "REQUEST_METHOD": "POST",
                "PATH_INFO": url,
                "QUERY_STRING": "",
                "SERVER_NAME": "testserver",
                "SERVER_PORT": "443",
                "wsgi.url_scheme": "https",
                "wsgi.input": body,
                "CONTENT_TYPE": content_type,
                "CONTENT_LENGTH": str(length),
                "HTTP_COOKIE": cookie,
                "REMOTE_ADDR": "127.0.0.1",
            }
            contexts.clear()
            response = handler(environ)
            response.content  # noqa: B018 - rendered inside the measurement
            return response

    post(url, fields, warm_up)

    def measured(label: str, action: Callable[[], Any], outcome_after: Callable[[Any], str] | None = None) -> Any:
        gc.collect()
        reset_peak()
        rss_before = memory_mb("VmRSS")
        cpu_before = cpu_seconds()
        started = time.perf_counter()
        response = action()
        wall = time.perf_counter() - started
        cpu = cpu_seconds() - cpu_before
        growth = memory_mb("VmHWM") - rss_before
        outcome = outcome_after(response) if outcome_after else describe(target, response, contexts)
        print(json.dumps({"step": label, "outcome": outcome, "wall": wall, "cpu": cpu, "rss": growth}), flush=True)
        return response

    measured("upload", lambda: post(url, fields, path))
    if target == "questionnaire":
        preview = next((c["result"] for c in contexts if c.get("result") is not None), None)
        if preview is not None and preview.ok and preview.rows:
            confirm_url = reverse("evaluations:questionnaire_import_confirm", args=[cycle.pk])

            def imported(response: Any) -> str:
                # The page the coordinator is sent to next says what happened ("53 questions imported as ...").
                page = Client()
                page.cookies.load(cookie)
                page.cookies.update(response.cookies)  # the message travels in a cookie
                body = page.get(reverse("evaluations:questionnaire", args=[cycle.pk]), secure=True).content.decode()
                alerts = re.findall(r'class="alert[^"]*"[^>]*>(.*?)</div>', body, re.DOTALL)
                return "; ".join(re.sub(r"<[^>]+>|\s+", " ", alert).strip() for alert in alerts) or "no message"

            measured("confirm", lambda: post(confirm_url, {}, None), imported)
        return
    confirm = next((c.get("confirm_form") for c in contexts if c.get("confirm_form") is not None), None)
    if confirm is not None:
        process_url = url.replace("/import/", "/process_import/")
        measured("confirm", lambda: post(process_url, {k: str(v) for k, v in confirm.initial.items()}, None))


def describe(target: str, response: Any, contexts: list[Any]) -> str:
    """What the person who uploaded the file would see, in a few words."""
    body = response.content.decode(errors="replace")
    note = " [TRACEBACK SHOWN]" if "Traceback" in body else ""
    if response.status_code >= 500:
        return f"server error {response.status_code}{note}"
    if response.status_code in (301, 302):
        return f"imported (redirect){note}"
    # The first template rendered is the page itself (the test signal fires before a template renders).
    context = next((c for c in contexts if c.get("form") is not None or c.get("result") is not None), None)
    if context is None:
        return f"status {response.status_code}{note}"
    if target == "questionnaire":
        result = context.get("result")
        form = context.get("form")
        if result is None:
            return "refused: " + "; ".join(str(e) for errors in form.errors.values() for e in errors) + note
        file_errors = [e.message for e in result.errors if e.line is None]
        if file_errors:
            return f"refused: {file_errors[0]}{note}"
        return f"preview: {len(result.rows)} rows, {len(result.errors)} row errors{note}"
    form = context.get("form")
    if form is not None and form.errors:
        return "refused: " + "; ".join(str(e) for errors in form.errors.values() for e in errors) + note
    result = context.get("result")
    if result is None:
        return f"status {response.status_code}{note}"
    totals = result.totals
    invalid = len(result.invalid_rows) + len(result.row_errors())
    return (
        f"preview: {totals['new']} new, {totals['update']} updated, {totals['skip']} unchanged, {invalid} rows with "
        f"errors{note}"
    )


# --- The driver.


def setup_database(directory: Path, env: dict[str, str]) -> None:
    manage = [sys.executable, str(ROOT / "manage.py")]
    print(f"Building the demo database in {directory} (migrate + load_demo) ...", flush=True)
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)  # noqa: S603
    # --force: the demo logins are fine in a throwaway database that nothing serves.
    subprocess.run([*manage, "load_demo", "--force"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)  # noqa: S603
    # With debug off (as in production) pages need the collected, hashed static files.
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)  # noqa: S603


def limit_child() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (RUN_ADDRESS_SPACE, RUN_ADDRESS_SPACE))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run only the files whose name contains this")
    parser.add_argument("--keep", type=Path, help="write corpus and database here and keep them")
    parser.add_argument("--project", type=Path, help="send the files to this checkout instead (figures before)")
    parser.add_argument("--run", nargs=3, metavar=("TARGET", "FILE", "WARM_UP"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        os.chdir(os.environ.get("BENCH_PROJECT", str(ROOT)))
        sys.path.insert(0, str(Path.cwd()))
        run_one(args.run[0], Path(args.run[1]), Path(args.run[2]))
        return

    work = args.keep or Path(tempfile.mkdtemp(prefix="import-hostile-"))
    (work / "corpus").mkdir(parents=True, exist_ok=True)
    project = (args.project or ROOT).resolve()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "smartcity.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "MEDIA_ROOT": str(work / "media"),
        "STATIC_ROOT": str(work / "static"),
        "BENCH_PROJECT": str(project),
    }
    if not (work / "db.sqlite3").exists():
        setup_database(work, env)
    # The caps the corpus is built around, read from this checkout.
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from common.spreadsheets import ADMIN_IMPORT_LIMITS
    from evaluations.questionnaire_io import MAX_ROWS

    cases = [case for case in corpus(MAX_ROWS, ADMIN_IMPORT_LIMITS.max_rows) if args.only in case.name]
    warm_ups = {}
    for target in TARGETS:
        for fmt in ("xlsx", "csv"):
            warm_up = work / "corpus" / f"warm-up-{target}.{fmt}"
            columns, make = TARGETS[target]
            if fmt == "xlsx":
                write_xlsx(warm_up, sheet_writer(header_and(target, valid_rows(target, 3))))
            else:
                lines = [",".join(columns), *(",".join(str(v) for v in make(n)) for n in range(1, 4))]
                warm_up.write_text("\r\n".join(lines) + "\r\n")
            warm_ups[target, fmt] = warm_up

    print(f"Requests go to {project}")
    print(f"{'file':<34} {'size':>8}  {'step':<8} {'wall s':>7} {'CPU s':>6} {'RSS +MB':>8}  outcome")
    worst_time = worst_memory = 0.0
    for case in cases:
        path = work / "corpus" / case.name
        if not path.exists():
            case.build(path)
        size = f"{path.stat().st_size / MB:.1f} MB"
        # Every file meets the demo as loaded: a confirmed import must not change what the next file finds.
        shutil.copyfile(work / "db.sqlite3", work / "run.sqlite3")
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--run",
            case.target,
            str(path),
            str(warm_ups[case.target, case.fmt]),
        ]
        run_env = {**env, "DATABASE_URL": f"sqlite:///{work / 'run.sqlite3'}"}
        try:
            done = subprocess.run(  # noqa: S603
                command,
                env=run_env,
                capture_output=True,
                text=True,
                timeout=RUN_TIMEOUT,
                preexec_fn=limit_child if args.project else None,
            )
            lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
            if not lines:
                error = (done.stderr.strip().splitlines() or ["no output"])[-1]
                lines = [{"step": "upload", "outcome": f"crashed: {error}", "wall": 0.0, "cpu": 0.0, "rss": 0.0}]
        except subprocess.TimeoutExpired:
            stopped = f"stopped after {RUN_TIMEOUT} s"
            lines = [{"step": "upload", "outcome": stopped, "wall": RUN_TIMEOUT, "cpu": 0.0, "rss": 0.0}]
        for line in lines:
            worst_time = max(worst_time, line["cpu"])
            worst_memory = max(worst_memory, line["rss"])
            outcome = html.unescape(line["outcome"])
            outcome = outcome if len(outcome) <= 110 else outcome[:107] + "..."
            print(
                f"{case.name:<34} {size:>8}  {line['step']:<8} {line['wall']:7.2f} {line['cpu']:6.2f} "
                f"{line['rss']:8.1f}  {outcome}",
                flush=True,
            )
            size = ""
    print(
        f"\nworst CPU time {worst_time:.2f} s (goal < {TIME_GOAL:.0f} s), worst RSS growth {worst_memory:.1f} MB "
        f"(goal < {MEMORY_GOAL:.0f} MB)"
    )
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
