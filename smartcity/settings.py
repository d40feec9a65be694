"""Settings for the Smart City evaluation tracker: one module, driven by environment variables.

Every variable is listed in README.md. Optional integrations switch on when their variables are present.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from common.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# pytest imports this module through pytest-django; tests get fast hashers and need no secret.
TESTING = "pytest" in sys.modules

DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdefghij"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG or TESTING else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "django_filters",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "smartcity",
    "agencies",
    "evidence",
    "masterplan",
    "evaluations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "smartcity.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "smartcity.middleware.TenancyMiddleware",
    "smartcity.middleware.RefuseNulMiddleware",
    "smartcity.middleware.NotNowMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "smartcity.middleware.ContentSecurityPolicyMiddleware",
    # Axes must come last: it turns a lockout raised by the auth backend into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "smartcity.urls"
WSGI_APPLICATION = "smartcity.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "smartcity.context_processors.navigation",
            ],
        },
    },
]

# --- Database: SQLite with zero setup, PostgreSQL in production through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if "postgis" in DATABASES["default"]["ENGINE"] or "postgresql" in DATABASES["default"]["ENGINE"]:
    # The quick start (SQLite) installs no PostgreSQL driver; without this, Django's error comes at the first query.
    if not (find_spec("psycopg2") or find_spec("psycopg")):
        raise ImproperlyConfigured(
            "DATABASE_URL names PostgreSQL, but its driver psycopg2 is not installed. Run `make run` or `make test` "
            "with this DATABASE_URL (they install requirements-postgres.txt), or "
            "`pip install -r requirements-postgres.txt`."
        )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout keep the dev server and a worker from tripping over each other's locks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file, not SQLite's shared in-memory database: that one locks whole tables and fails a second
    # connection at once ("database table is locked"), so the concurrency tests could not run on SQLite.
    # One file per process, so parallel test runs never share one.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"smartcity-test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication and login throttling.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Password reset links: valid for a day; at most this many requests an hour per e-mail address and per IP.
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60
PASSWORD_RESET_LIMIT_PER_ADDRESS = env_int("PASSWORD_RESET_LIMIT_PER_ADDRESS", 3)
PASSWORD_RESET_LIMIT_PER_IP = env_int("PASSWORD_RESET_LIMIT_PER_IP", 10)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
# Lock the (username, IP) pair only: colleagues behind one office NAT keep working while one of them
# is locked out, and guessing one account from many addresses is still slowed per address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Proxies in front of the app (each appends to X-Forwarded-For); 0 ignores forwarded headers entirely.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more, got {TRUSTED_PROXY_COUNT}.")
# One answer for "the client's address", shared with the audit log (django-ipware under it).
AXES_CLIENT_IP_CALLABLE = "common.client_ip.client_address"
AXES_VERBOSE = False

# --- Internationalisation: Indonesian first, English available.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
# Thousands separators stay off globally so years and codes never render as "2.025";
# amounts use |floatformat:"2g" or |intcomma, which follow the active locale.
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["smartcity.formats"]

# --- Static and media files. Bootstrap comes from npm (package-lock.json) into node_modules at setup.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
MEDIA_URL = "/media/"  # never served publicly: downloads go through permission-checked views
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Uploads. Every file streams to a temporary file through HashingUploadHandler, which hashes it on the way
# and skips (and names in request.upload_errors) a file over a limit; common.uploads.inspect_upload then
# decides from the bytes what the file is. Memory stays flat whatever the file size.
FILE_UPLOAD_HANDLERS = ["common.uploads.handler.HashingUploadHandler"]
# S3-compatible object storage (MinIO, AWS, a provincial data centre) for media when a bucket is named.
S3_BUCKET = env_str("S3_BUCKET")
if S3_BUCKET:
    STORAGES["default"] = {
        # django-storages' S3Storage, reading and uploading as streams (common/storage.py says why).
        "BACKEND": "common.storage.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("S3_PREFIX", "media"),
            # Private objects; the app streams them through permission-checked views.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)  # form fields, not files
# Read only by Django's MemoryFileUploadHandler, which the handler above replaces: kept so that dropping our
# handler still never holds a large file in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
MAX_UPLOAD_SIZE = env_int("MAX_UPLOAD_SIZE_MB", 25) * 1024 * 1024  # per file
MAX_UPLOAD_REQUEST_SIZE = env_int("MAX_UPLOAD_REQUEST_MB", 100) * 1024 * 1024  # all files of one request
# Limits on what a file claims to unpack to: an office file's parts together, an image's width x height.
MAX_UNZIPPED_SIZE = 200 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000

# --- Forms.
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Django's renderer, with inputs and selects written in Python (the same markup, a tenth of the time).
FORM_RENDERER = "common.form_renderer.FormRenderer"

# --- Import/export: the admins offer only the formula-safe formats (common.admin).
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES = True

# --- Background work (Django's Tasks API backport). "immediate" runs a task in the request that queued it
# (zero setup); "database" queues it for `manage.py db_worker` processes (production).
TASK_BACKEND = env_str("TASK_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }.get(TASK_BACKEND)
        or TASK_BACKEND
    }
}
if TESTING:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Packages (evaluations.packages): a PDF render is killed after this many seconds; a running build whose
# worker has not reported for PACKAGE_STALE_SECONDS is marked failed (its worker died), as is a build no worker
# has taken within PACKAGE_QUEUE_SECONDS.
PACKAGE_RENDER_TIMEOUT = env_int("PACKAGE_RENDER_TIMEOUT", 600)
# WeasyPrint lays out on one core: the package PDF is rendered in parts by this many renderer processes.
PACKAGE_PDF_WORKERS = env_int("PACKAGE_PDF_WORKERS", min(2, os.cpu_count() or 1))
# Where builds write until their files are complete (see evaluations.packages.scratch); empty: beside local media,
# or the system's temporary folder when media are in a bucket.
PACKAGE_SCRATCH_DIR = env_str("PACKAGE_SCRATCH_DIR")
PACKAGE_STALE_SECONDS = env_int("PACKAGE_STALE_SECONDS", 120)
PACKAGE_QUEUE_SECONDS = env_int("PACKAGE_QUEUE_SECONDS", 3600)

# Reports are due this many days after their period ends.
REPORT_GRACE_DAYS = env_int("REPORT_GRACE_DAYS", 10)
# Days an SKPD may stay late after its overdue reminder before it is escalated to DKISP and the region's official.
REPORT_ESCALATION_DAYS = env_int("REPORT_ESCALATION_DAYS", 7)

# --- Mail: console by default, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Smart City Banjar <smartcity@localhost>")

# --- Security. Production defaults are strict; each can be relaxed through the environment.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY") else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG and not TESTING)
# Load balancers and monitors probe gunicorn directly over plain HTTP; a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG or TESTING else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# Preloading binds the whole parent domain (e.g. every *.banjarkab.go.id host) to HTTPS for years: that is
# the region's IT decision, not this app's, so it is opt-in and its check warning is silenced.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG and not TESTING)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)  # one working day
X_FRAME_OPTIONS = "DENY"
# No inline script anywhere: every script is a static file from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every render step at INFO; its warnings (a refused URL, an unknown CSS property) stay.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
    },
}

# Name shown in the header and mails until a deployment serves several regions.
SITE_NAME = env_str("SITE_NAME", "Smart City Kabupaten Banjar")
# Where mails link to (no trailing slash).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
