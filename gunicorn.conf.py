"""Gunicorn's settings for production: `gunicorn -c gunicorn.conf.py smartcity.wsgi` (README, deploy/).

Read from the environment so one file serves every machine; Django's own settings stay in smartcity/settings.py.
"""

from __future__ import annotations

import os

# Sync workers, one request at a time each: pages are short and database-bound. Two per core is the start point
# (the load bench measures 2 workers on 2 cores); a reverse proxy in front must buffer requests and responses
# (nginx does by default) so a slow client never holds a worker.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Loopback by default: the TLS-terminating proxy on the same machine is the only client. Comma-separated for
# several addresses; port 0 lets the system pick (the tests read it from the log).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# A worker silent this long is killed and replaced. Above the slowest page (a streamed export); package PDFs are
# built by `manage.py db_worker`, never in a web request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# SIGTERM (systemctl stop, a deploy) lets requests in flight finish for this long.
graceful_timeout = 30

# Access log to stdout, errors to stderr: systemd's journal (or the container runtime) keeps both.
accesslog = "-"
errorlog = "-"
# The usual combined format plus the time the request took, in milliseconds.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'

# Gunicorn marks a request https when X-Forwarded-Proto comes from these addresses. Trust them only behind the
# TLS proxy, as Django does (BEHIND_TLS_PROXY in settings.py): otherwise a local client could claim https.
# FORWARDED_ALLOW_IPS names a proxy on another machine.
_behind_proxy = os.environ.get("BEHIND_TLS_PROXY", "").strip().lower() in {"1", "true", "yes", "on"}
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1") if _behind_proxy else ""

# No runtime control socket (gunicornc): systemd sends the signals (HUP reloads, TERM stops), and two instances
# on one machine (or parallel test runs) would otherwise share one socket path under $HOME.
control_socket_disable = True
