# The two commands of the README: `make demo` and `make test`.
SHELL := /bin/bash
UV := $(shell python3 -m uv --version >/dev/null 2>&1 && echo "python3 -m uv" || (command -v uv >/dev/null 2>&1 && uv --version >/dev/null 2>&1 && echo uv))
ifeq ($(UV),)
UV := python3 -m uv
UV_INSTALL := python3 -m pip install --quiet uv
endif
RUN := $(UV) run --frozen
# `make demo PORT=8021` serves on another port; the e-mailed links follow (unless SITE_URL is set).
PORT ?= 8000
DEMO_ENV = HANDLESPOR_ENV=dev SITE_URL=$(or $(SITE_URL),http://127.0.0.1:$(PORT))
TEST_ENV := HANDLESPOR_ENV=test

.PHONY: demo test sync lint format migrate messages vendor serve worker bench bench-quick compose-example

sync:
	$(UV_INSTALL)
	$(UV) sync --frozen

demo: sync
	$(DEMO_ENV) $(RUN) python manage.py migrate --noinput
	$(DEMO_ENV) $(RUN) python manage.py demo
	@# With IMAP_HOST set, the worker reads that mailbox every five minutes.
	if [ -n "$$IMAP_HOST" ]; then $(DEMO_ENV) $(RUN) python manage.py fetchmail --schedule 300; fi
	@# The hourly reminders: offered seats (and their deadlines) and date polls.
	$(DEMO_ENV) $(RUN) python manage.py reminders --schedule
	@# The task worker (engine runs, the inbox) and the outbox retrier beside the web server;
	@# all stop together.
	$(DEMO_ENV) $(RUN) python manage.py db_worker & worker=$$!; \
	$(DEMO_ENV) $(RUN) python manage.py sendmail --every 60 > /dev/null & mailer=$$!; \
	trap 'kill $$worker $$mailer 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(RUN) python manage.py runserver 127.0.0.1:$(PORT)

lint: sync
	$(RUN) ruff check .
	$(RUN) ruff format --check .

format: sync
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

# The whole suite, lint included. DATABASE_URL=postgres://… runs it on PostgreSQL.
test: lint
	$(TEST_ENV) $(RUN) python manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(RUN) pytest $(PYTEST_ARGS)

messages: sync
	$(DEMO_ENV) $(RUN) python manage.py makemessages -l en --no-obsolete --ignore=.venv
	$(DEMO_ENV) $(RUN) python manage.py compilemessages --ignore=.venv

# Fetch the pinned front-end files from npm and copy them into the repository.
vendor:
	npm install --no-save --no-audit --no-fund
	cp node_modules/htmx.org/dist/htmx.min.js handlespor/static/handlespor/vendor/htmx.min.js
	cp node_modules/axe-core/axe.min.js tests/browser/vendor/axe.min.js

worker: sync
	$(DEMO_ENV) $(RUN) python manage.py sendmail

# Benchmarks print figures; they are not tests. `bench` takes about five minutes, `bench-quick`
# (the engine on the small pools) under one.
bench-quick: sync
	$(UV) sync --frozen --group bench
	$(UV) run --frozen --group bench python -m bench.engine --quick

bench: sync
	$(UV) sync --frozen --group bench
	$(UV) run --frozen --group bench python -m bench.engine
	$(UV) run --frozen --group bench python -m bench.sortition
	$(UV) run --frozen --group bench python -m bench.intake
	$(UV) run --frozen --group bench python -m bench.travel
	$(UV) run --frozen --group bench python -m bench.lottery

compose-example: sync
	$(RUN) handlespor compose examples/applicants.xlsx --targets examples/targets.toml -o var/composition.xlsx
