"""Load bench: the main pages under gunicorn (2 workers, production settings) driven by locust, per data scale.

    .venv/bin/python bench/load.py --scale demo=smartcity_bench_demo --scale region=smartcity_bench_region \\
        --scale national=smartcity_bench_national                 # each scale in turn, then the comparison
    .venv/bin/python bench/load.py --compare                      # the comparison of the last saved runs only

For each scale it starts gunicorn on 127.0.0.1 against that database (DJANGO_DEBUG=0, a random SECRET_KEY,
ALLOWED_HOSTS=127.0.0.1, static files collected to a temporary STATIC_ROOT; plain HTTP on loopback, so the
HTTPS redirect and secure cookies are switched off), makes a database session for each persona (no login form,
so django-axes never counts a failure), checks every page answers 200, then runs locust headless for a bounded
time: each simulated user requests every page in turn, back to back. Pages and personas are found in the
database, in one region (`--region BPS`, default the first): DKISP's coordinator (dashboard, review queue,
evidence library, readiness of the open cycle, results of the last locked one), the operator of an SKPD with an
editable report and answer (report form, answer form, the SKPD's library), an assessor of the locked cycle
(the scoring sheet of one dimension), and /healthz.

Figures come from gunicorn's access log (`%(D)s`, the server's time per request in microseconds), so the
client's own overhead is left out; locust's client-side median is saved beside them. Each page's time is also
given as a ratio to /healthz in the same run, which cancels most of the noise of a shared machine. Results go
to `--out` (JSON per scale), so scales measured at different times can be compared.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from the project root

GOALS = {"median_ms": 50.0, "p99_ms": 200.0, "demo_to_region": 1.5, "region_to_national": 1.2}
ORDER = ["healthz", "dashboard", "review queue", "library (DKISP)", "library (SKPD)", "report form", "answer form",
         "readiness", "results", "assessor sheet"]  # fmt: skip


# --- Pages and personas (run in a child process, with Django set up on the scale's database) --------------


def find_pages(region_code: str | None) -> tuple[Any, list[tuple[str, str, Any]], dict[str, str]]:
    """The region, each page of the bench as (label, url, persona or None), and the personas' usernames."""
    from django.db.models import Count
    from django.urls import reverse

    from agencies.models import Membership, Region, Role
    from agencies.permissions import CHANGE, can
    from evaluations.models import Answer, EvaluationCycle
    from masterplan.models import Dimension, ProgressReport

    regions = Region.objects.order_by("pk")
    region = regions.get(bps_code=region_code) if region_code else regions.first()
    if region is None:
        raise SystemExit("The database has no region: load the demo or run bench/national.py first.")

    members = Membership.objects.filter(region=region, is_active=True, user__is_active=True).select_related(
        "user", "agency"
    )
    coordinators = sorted(members.filter(role=Role.COORDINATOR), key=lambda m: (m.agency.acronym != "DKISP", m.pk))
    coordinator = coordinators[0] if coordinators else None
    if coordinator is None:
        raise SystemExit(f"{region} has no coordinator.")
    # The operator: DKISP's first, else any SKPD's, with a report and an answer they may edit now.
    operators = sorted(members.filter(role=Role.OPERATOR), key=lambda m: (m.agency.acronym != "DKISP", m.pk))
    report = answer = operator = None
    for membership in operators:
        reports = ProgressReport.objects.filter(agency=membership.agency, status__in=ProgressReport.EDITABLE)
        answers = Answer.objects.filter(agency=membership.agency, status__in=Answer.EDITABLE)
        report = next((r for r in reports.order_by("-year", "-period")[:20] if can(membership.user, CHANGE, r)), None)
        answer = next((a for a in answers.order_by("-cycle__year")[:20] if can(membership.user, CHANGE, a)), None)
        if report and answer:
            operator = membership.user
            break
    if operator is None:
        raise SystemExit(f"No operator in {region} has both a report and an answer to edit.")
    cycles = EvaluationCycle.objects.filter(region=region).order_by("-year", "-opens_on", "-pk")
    open_cycle = cycles.filter(locked_at__isnull=True).first()
    locked = cycles.filter(locked_at__isnull=False).annotate(n=Count("scores")).filter(n__gt=0).first()
    if open_cycle is None or locked is None:
        raise SystemExit(f"{region} needs an open cycle and a locked, scored one.")
    assessor = locked.assessors.order_by("pk").first()
    if assessor is None:
        raise SystemExit(f"The {locked} cycle of {region} has no assessor.")
    dimension = Dimension.objects.annotate(n=Count("questions")).order_by("-n", "order").first()

    pages = [
        ("healthz", reverse("healthz"), None),
        ("dashboard", reverse("evaluations:dashboard"), coordinator.user),
        ("review queue", reverse("masterplan:review_queue"), coordinator.user),
        ("library (DKISP)", reverse("evidence:library"), coordinator.user),
        ("library (SKPD)", reverse("evidence:library"), operator),
        ("report form", reverse("masterplan:report_edit", args=[report.pk]), operator),
        ("answer form", reverse("evaluations:answer_edit", args=[answer.pk]), operator),
        ("readiness", reverse("evaluations:readiness", args=[open_cycle.pk]), coordinator.user),
        ("results", reverse("evaluations:results", args=[locked.pk]), coordinator.user),
        ("assessor sheet", reverse("evaluations:assessment_dimension", args=[locked.pk, dimension.code]), assessor),
    ]
    who = {
        "coordinator": coordinator.user.get_username(),
        "operator": operator.get_username(),
        "assessor": assessor.get_username(),
    }
    return region, pages, who


def prepare(region_code: str | None) -> list[dict[str, Any]]:
    """Every page of the bench in one region with its persona's session cookie, as JSON-ready dicts."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from smartcity.middleware import SESSION_REGION_KEY

    region, pages, who = find_pages(region_code)
    sessions: dict[int, str] = {}

    def cookie(user: Any) -> dict[str, str]:
        if user is None:
            return {}
        if user.pk not in sessions:
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session[SESSION_REGION_KEY] = region.pk  # people in several regions (assessors) work in this one
            session.create()
            sessions[user.pk] = session.session_key
        return {settings.SESSION_COOKIE_NAME: sessions[user.pk]}

    return [
        {"label": label, "url": url, "cookies": cookie(user), "region": str(region), "personas": who}
        for label, url, user in pages
    ]


def explain(region_code: str | None, top: int) -> None:
    """Each page once through Django's test client with its queries captured; the slowest `top` of each, with
    PostgreSQL's EXPLAIN (ANALYZE, BUFFERS)."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from smartcity.middleware import SESSION_REGION_KEY

    setup_test_environment()  # lets the client's "testserver" host in
    region, pages, _ = find_pages(region_code)
    for label, url, user in pages:
        client = Client()
        if user is not None:
            client.force_login(user)
            session = client.session
            session[SESSION_REGION_KEY] = region.pk
            session.save()
        client.get(url)  # warm: the first request compiles templates and fills caches
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        ms = (time.perf_counter() - started) * 1000
        total = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        # Ranked by PostgreSQL's own execution time (EXPLAIN ANALYZE, twice, the second counts): the wall time
        # of one query on a shared machine says more about the neighbours than about the plan.
        plans = []
        for query in captured.captured_queries:
            if not query["sql"].lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                for _ in range(2):
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
                    lines = [row[0] for row in cursor.fetchall()]
            executed = next(float(line.split()[2]) for line in lines if line.startswith("Execution Time"))
            plans.append((executed, query["sql"], lines))
        plans.sort(key=lambda plan: -plan[0])
        print(f"\n### {label} {url}: HTTP {response.status_code}, {ms:.0f} ms, ", end="")
        print(f"{len(captured.captured_queries)} queries, {total:.0f} ms in SQL (wall), ", end="")
        print(f"{sum(p[0] for p in plans):.1f} ms executing (EXPLAIN ANALYZE)")
        for executed, sql, lines in plans[:top]:
            print(f"\n{executed:.1f} ms: {sql[:3000]}")
            print("\n".join("    " + line for line in lines))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(database: str, secret: str, static_root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="smartcity.settings",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secret,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=env.get("MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "smartcity-bench-media")),
        # Plain HTTP on loopback: no redirect to HTTPS, cookies not marked Secure.
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        TASK_BACKEND=env.get("TASK_BACKEND", "immediate"),
    )
    env.pop("DATABASE_CONN_MAX_AGE", None)  # the settings' default (persistent connections), as in production
    return env


def collect_static(env: dict[str, str]) -> None:
    manifest = Path(env["STATIC_ROOT"]) / "staticfiles.json"
    if not manifest.exists():
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds:.0f} s")


def check_pages(base: str, pages: list[dict[str, Any]]) -> None:
    """Every page answers 200 to its persona before anything is timed (a redirect means a bad session)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    for page in pages:
        request = urllib.request.Request(base + page["url"])  # noqa: S310
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in page["cookies"].items()))
        try:
            with opener.open(request, timeout=60) as response:
                size = len(response.read())
                print(f"  {page['label']:<18} {page['url']:<40} 200, {size / 1024:,.0f} KB")
                page["kb"] = round(size / 1024, 1)
        except urllib.error.HTTPError as error:
            raise SystemExit(f"{page['label']} {page['url']} answered {error.code}: {error.read()[:300]!r}") from error


def run_scale(args: argparse.Namespace, name: str, database: str, static_root: Path) -> dict[str, Any]:
    secret = secrets.token_urlsafe(50)
    env = server_env(database, secret, static_root)
    collect_static(env)
    # The code may have gained migrations (indexes) since the data was made: the pages run against today's schema.
    started = time.monotonic()
    migrated = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    applied = [line.strip() for line in migrated.stdout.splitlines() if line.strip().startswith("Applying")]
    if applied:
        print(f"migrated {database} in {time.monotonic() - started:.0f} s: {', '.join(applied)}")
        # A migration that fills a column leaves dead rows and stale statistics; autovacuum may be off (it is on
        # the bench machine), so vacuum as a production server's autovacuum would have by then.
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "manage.py", "dbshell", "--", "-c", "VACUUM (ANALYZE)"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        print(f"vacuumed {database} in {time.monotonic() - started:.0f} s")
    work = Path(tempfile.mkdtemp(prefix=f"bench-load-{name}-"))
    prepared = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--prepare", *(["--region", args.region] if args.region else [])],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    pages = json.loads(prepared.stdout)
    print(f"\n== {name}: {database}, {pages[0]['region']}, personas {pages[0]['personas']}")
    port = free_port()
    access_log = work / "access.log"
    config = work / "gunicorn.conf.py"
    config.write_text("# the bench's settings are all on the command line\n")
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    server = subprocess.Popen(  # noqa: S603
        [
            gunicorn,
            "smartcity.wsgi",
            "-c",
            str(config),
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            "%(s)s %(D)s %(U)s %({cookie}i)s",
            "--log-level",
            "warning",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/healthz", 60)
        check_pages(base, pages)
        # Warm-up: every worker compiles templates and opens its connection before the timed run.
        for _ in range(2 * args.workers):
            check_pages_quiet(base, pages)
        access_log.write_text("")  # keep only the timed run's requests (gunicorn appends, O_APPEND)
        pages_file = work / "pages.json"
        pages_file.write_text(json.dumps(pages))
        locust_env = dict(os.environ, BENCH_PAGES=str(pages_file))
        started = time.monotonic()
        subprocess.run(  # noqa: S603
            [
                args.locust,
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(args.users),
                "-t",
                args.time,
                "--host",
                base,
                "--csv",
                str(work / "locust"),
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--stop-timeout",
                "10",
            ],
            env=locust_env,
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,  # its summary; the figures are read from its CSV and gunicorn's log
        )
        elapsed = time.monotonic() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the group of the gunicorn we started, nothing else
        server.wait(timeout=30)
    # The same URL may be two pages (the library as DKISP and as an SKPD): told apart by the session cookie.
    by_request = {(page["url"], "; ".join(f"{k}={v}" for k, v in page["cookies"].items())): page["label"]
                  for page in pages}  # fmt: skip
    times: dict[str, list[float]] = {page["label"]: [] for page in pages}
    errors: dict[str, int] = dict.fromkeys(times, 0)
    for line in access_log.read_text().splitlines():
        status, micros, path, *cookie = line.split(" ", 3)
        label = by_request.get((path, cookie[0] if cookie and cookie[0] != "-" else ""))
        if label is None:
            continue
        if status != "200":
            errors[label] += 1
        times[label].append(int(micros) / 1000)
    client = {}
    with (work / "locust_stats.csv").open() as stats:
        for row in csv.DictReader(stats):
            client[row["Name"]] = {
                "median_ms": float(row["Median Response Time"] or 0),
                "p99_ms": float(row["99%"] or 0),
            }
    result = {
        "scale": name,
        "database": database,
        "region": pages[0]["region"],
        "personas": pages[0]["personas"],
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "workers": args.workers,
        "users": args.users,
        "seconds": round(elapsed, 1),
        "load_average": os.getloadavg()[0],
        "pages": {
            page["label"]: {
                "url": page["url"],
                "kb": page.get("kb"),
                "requests": len(times[page["label"]]),
                "errors": errors[page["label"]],
                "median_ms": percentile(times[page["label"]], 50),
                "p99_ms": percentile(times[page["label"]], 99),
                "client_median_ms": client.get(page["label"], {}).get("median_ms"),
            }
            for page in pages
        },
    }
    shutil.rmtree(work, ignore_errors=True)
    return result


def check_pages_quiet(base: str, pages: list[dict[str, Any]]) -> None:
    for page in pages:
        request = urllib.request.Request(base + page["url"])  # noqa: S310
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in page["cookies"].items()))
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            response.read()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    if p == 50:
        return round(statistics.median(ordered), 1)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))  # nearest rank
    return round(ordered[index], 1)


# --- Reporting ------------------------------------------------------------------------------------------------


def print_scale(result: dict[str, Any]) -> None:
    pages = result["pages"]
    health = pages["healthz"]["median_ms"]
    r = result
    print(f"\n{r['scale']} ({r['database']}, {r['region']}), {r['date']}, {r['workers']} workers, ", end="")
    print(f"{r['users']} locust users, {r['seconds']:.0f} s, load average {r['load_average']:.1f}")
    print(f"{'page':<18} {'KB':>6} {'reqs':>6} {'err':>4} {'median ms':>10} {'p99 ms':>8} {'x healthz':>10} ", end="")
    print(f"{'client med':>10}")
    for label in ORDER:
        page = pages.get(label)
        if page is None:
            continue
        ratio = page["median_ms"] / health
        print(f"{label:<18} {page['kb'] or 0:>6.0f} {page['requests']:>6} {page['errors']:>4} ", end="")
        print(
            f"{page['median_ms']:>10.1f} {page['p99_ms']:>8.1f} {ratio:>10.1f} {page['client_median_ms'] or 0:>10.1f}"
        )


def print_comparison(results: dict[str, dict[str, Any]]) -> None:
    steps = [("demo", "region", GOALS["demo_to_region"]), ("region", "national", GOALS["region_to_national"])]
    steps = [step for step in steps if step[0] in results and step[1] in results]
    if not steps:
        return
    print("\nGrowth of each page's median server time (and of its ratio to /healthz, which cancels machine noise):")
    head = f"{'page':<18}" + "".join(f" {a + '→' + b:>16} {'goal':>5} {'x healthz':>9}" for a, b, _ in steps)
    print(head)
    for label in ORDER[1:]:
        line = f"{label:<18}"
        for a, b, goal in steps:
            pa, pb = results[a]["pages"].get(label), results[b]["pages"].get(label)
            if not pa or not pb:
                line += f" {'-':>16} {'':>5} {'':>9}"
                continue
            growth = pb["median_ms"] / pa["median_ms"]
            ha, hb = results[a]["pages"]["healthz"]["median_ms"], results[b]["pages"]["healthz"]["median_ms"]
            normal = (pb["median_ms"] / hb) / (pa["median_ms"] / ha)
            line += f" {growth:>15.2f}x {'ok' if growth <= goal else 'MISS':>5} {normal:>8.2f}x"
        print(line)
    if "region" in results:
        print(f"\nAt region scale (goal: median < {GOALS['median_ms']:.0f} ms and p99 < {GOALS['p99_ms']:.0f} ms):")
        for label in ORDER[1:]:
            page = results["region"]["pages"].get(label)
            if page:
                ok = page["median_ms"] < GOALS["median_ms"] and page["p99_ms"] < GOALS["p99_ms"]
                print(f"  {label:<18} median {page['median_ms']:>7.1f}  p99 {page['p99_ms']:>7.1f}  "
                      f"{'ok' if ok else 'MISS'}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", action="append", default=[], metavar="NAME=DATABASE",
                        help="a scale to measure: demo=, region= or national= a PostgreSQL database name")  # fmt: skip
    parser.add_argument("--region", help="BPS code of the region whose pages are measured (default: the first)")
    parser.add_argument("--users", type=int, default=2, help="concurrent locust users (default 2, one per worker)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--time", default="60s", help="locust run time per scale (default 60s)")
    parser.add_argument("--locust", default=shutil.which("locust") or str(ROOT / ".venv" / "bin" / "locust"))
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "smartcity-bench-load")
    parser.add_argument("--compare", action="store_true", help="only print the saved results and their comparison")
    parser.add_argument("--explain", metavar="DATABASE", help="EXPLAIN ANALYZE each page's slowest queries instead")
    parser.add_argument("--top", type=int, default=2, help="queries explained per page with --explain")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        print(json.dumps(prepare(args.region)))
        return
    if args.explain:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="smartcity.settings",
            DJANGO_DEBUG="1",
            DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.explain}",
        )
        explain(args.region, args.top)
        return
    args.out.mkdir(parents=True, exist_ok=True)
    static_root = Path(tempfile.gettempdir()) / "smartcity-bench-static"
    for spec in args.scale:
        name, _, database = spec.partition("=")
        if not database.startswith("smartcity_bench"):
            raise SystemExit(f"--scale {spec}: use a smartcity_bench* database, never a working one.")
        result = run_scale(args, name, database, static_root)
        (args.out / f"{name}.json").write_text(json.dumps(result, indent=1))
        print_scale(result)
    results = {p.stem: json.loads(p.read_text()) for p in sorted(args.out.glob("*.json"))}
    if args.compare:
        for result in results.values():
            print_scale(result)
    print_comparison(results)


if __name__ == "__main__":
    main()
