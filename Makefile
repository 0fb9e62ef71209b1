# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format migrations-check messages clean audit

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py seed
	# Advisories from the recorded feed samples (dated; no network needed).
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py refresh_advisories --from-dir tests/data
	# Flights from the recorded volunteer sheets (dated; importing again changes nothing).
	for sheet in tests/data/flights/*.csv; do \
		DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py import_flights "$$sheet" || exit 1; \
	done
	# Created once; later runs print the same logins and keep staff signed in.
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py demo_staff --address http://$(HOST):$(PORT)
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Two pytest-xdist workers, given tests a few at a time in pytest-django's order
# (transactional tests after the others in each worker, as in one process: their
# flush removes rows the others need). tests/testenv.py gives each worker its own
# Redis database, tests/support/ports.py its own ports; a worker that runs browser
# tests starts one Chromium. `make test PYTEST_ARGS="-n0 tests/..."` runs in one
# process (pdb, -x).
test: install
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The compiled .mo files are committed, so a fresh machine needs no gettext.
# Locations name files only: line numbers would make every merge conflict here.
MSG_IGNORE := --ignore=.venv --ignore=staticfiles --ignore=test-output --ignore=bench
messages: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -l ru $(MSG_IGNORE) --add-location=file
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -d djangojs -l ru $(MSG_IGNORE) --ignore=static/vendor --add-location=file
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# --- security: known-vulnerable dependencies and risky code patterns.
# Every finding is fixed or explained in docs/security.md.
audit: install
	$(BIN)/pip-audit --strict --progress-spinner off -r requirements.txt -r requirements-dev.txt
	$(BIN)/bandit -q -r exitwatch routes advisories outbox

