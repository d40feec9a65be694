# Two commands matter: `make run` (install, migrate, load the Banjar demo, serve) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?=

export DJANGO_SETTINGS_MODULE := smartcity.settings

.PHONY: run test install install-dev assets messages migrate demo serve lint format makemessages chromium clean

run: install assets messages
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo
	@DJANGO_DEBUG=1 $(BIN)/python manage.py demo_logins
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-dev assets messages chromium
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

# Stamp files make a second run instant; they are redone when a requirements file changes.
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

# Bootstrap and its icons come from the npm registry, pinned by package-lock.json; nothing vendored.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed

# .po files are committed; .mo files are built here.
messages: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

makemessages: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -l id -l en --ignore=.venv --ignore=node_modules --ignore=tests --no-obsolete

demo: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo

# Browser tests drive Debian's Chromium (never a downloaded browser build).
chromium:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Chromium at $(CHROMIUM): sudo apt-get install chromium" >&2; exit 1; fi; }

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache
