# Two commands matter: `make run` (install, migrate, load the Banjar demo, serve) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?=

export DJANGO_SETTINGS_MODULE := smartcity.settings

.PHONY: run test install install-dev check-wheels assets messages migrate demo serve lint format makemessages \
	chromium pdf-renderer pdf-tools clean

# The Python packages to install: the quick start's (SQLite, wheels only, no compiler) or, when DATABASE_URL
# names PostgreSQL, production's, which adds psycopg2 built from source (requirements-postgres.txt says why).
DB_SET := $(if $(filter postgres:% postgresql:% pgsql:% postgis:%,$(DATABASE_URL)),postgres,sqlite)

# The web server and one task worker together (packages build on the worker): Ctrl-C stops both. A shell
# without job control runs `&` commands immune to Ctrl-C, so the trap stops the worker when the server ends.
run: install assets messages pdf-renderer
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo
	@DJANGO_DEBUG=1 $(BIN)/python manage.py demo_logins
	@echo "Starting the web server on http://$(HOST):$(PORT)/ and one task worker; Ctrl-C stops both."
	@export DJANGO_DEBUG=1 TASK_BACKEND=database; \
	$(BIN)/python manage.py db_worker --interval 0.5 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-dev assets messages chromium pdf-renderer pdf-tools
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files make a second run instant; they are redone when a requirements file changes. One stamp per set,
# so a PostgreSQL run after a SQLite one installs the driver, and a SQLite run after it needs nothing more.
$(VENV)/.runtime-sqlite: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.runtime-postgres: requirements.txt requirements-postgres.txt | $(BIN)/python
	$(call system_packages,To build the PostgreSQL driver psycopg2,libpq-dev gcc python3-dev)
	$(BIN)/pip install --quiet -r requirements-postgres.txt
	touch $@

$(VENV)/.dev-%: $(VENV)/.runtime-% requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime-$(DB_SET)
install-dev: $(VENV)/.dev-$(DB_SET)

# The quick start and the test tools install from wheels only, so a new machine needs no compiler, headers or
# libpq for them. CI runs this: a pinned package (or one they pull in) that publishes no wheel fails here rather
# than on the next person's machine. pip resolves as it would install (--dry-run reads the registry's metadata,
# downloading little) for each Python that Debian 12/13 and Ubuntu 24.04+ ship, on glibc 2.28 or newer.
WHEEL_PYTHONS ?= 3.11 3.12 3.13 3.14
WHEEL_ARCHS ?= x86_64 aarch64
check-wheels: | $(BIN)/python
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	for arch in $(WHEEL_ARCHS); do for version in $(WHEEL_PYTHONS); do \
	  $(BIN)/pip install --quiet --dry-run --ignore-installed --only-binary :all: --target "$$tmp/$$version-$$arch" \
	    --python-version $$version --platform manylinux_2_28_$$arch --platform manylinux_2_17_$$arch \
	    --platform manylinux2014_$$arch --platform manylinux1_$$arch -r requirements-dev.txt \
	  || { echo "check-wheels: Python $$version on $$arch would build a package from source (above)" >&2; exit 1; }; \
	done; done && \
	echo "check-wheels: requirements.txt and requirements-dev.txt install from wheels alone (Python $(WHEEL_PYTHONS); $(WHEEL_ARCHS))"

# Bootstrap and its icons come from the npm registry, pinned by package-lock.json; nothing vendored.
node_modules/.installed: package.json package-lock.json
	$(call system_packages,To install the front-end assets,npm)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed

# .po files are committed; .mo files are built here.
messages: install
	$(call system_packages,To build the translations,gettext)
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

makemessages: install
	$(call system_packages,To build the translations,gettext)
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -l id -l en --ignore=.venv --ignore=node_modules --ignore=tests --no-obsolete

demo: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo

# Browser tests drive Debian's Chromium (never a downloaded browser build).
chromium:
	$(call system_packages,For the browser tests,chromium)

# WeasyPrint draws text with the system's Pango; the packages' PDFs are set in DejaVu Sans.
pdf-renderer:
	$(call system_packages,To render the packages' PDFs,libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)

# The tests read the packages' PDFs from outside, as an assessor's tools would: pdftotext and qpdf --check.
pdf-tools:
	$(call system_packages,For the package tests,poppler-utils qpdf)

# System packages, each with the shell test that finds it. A target names the packages it needs through
# system_packages: as root with apt-get, make installs the missing ones; otherwise it stops with one message
# naming the exact apt-get line.
have_chromium = test -x $(CHROMIUM)
have_libpango-1.0-0 = ldconfig -p | grep -q 'libpango-1.0.so.0 '
have_libpangoft2-1.0-0 = ldconfig -p | grep -q 'libpangoft2-1.0.so.0 '
have_fonts-dejavu-core = test -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
have_poppler-utils = command -v pdftotext
have_qpdf = command -v qpdf
have_npm = command -v npm
have_gettext = command -v msgfmt
have_libpq-dev = command -v pg_config
have_gcc = command -v cc
have_python3-dev = $(BIN)/python -c 'import os, sys, sysconfig; \
	sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'

# $(call system_packages,WHAT NEEDS THEM,DEBIAN PACKAGES)
system_packages = @missing=""; \
	$(foreach p,$(2),$(have_$(p)) >/dev/null 2>&1 || missing="$$missing $(p)";) \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "$(1): installing$$missing with apt-get"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "$(1), this machine needs:$$missing. Install, then run make again:" >&2; \
	    echo "    sudo apt-get install$$missing" >&2; exit 1; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache
