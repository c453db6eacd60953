import os
import subprocess
import sys


def _settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import handlespor.settings as s; "
            "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.DATABASES['default']['ENGINE'], "
            "s.MAILERS['default']['BACKEND'].rsplit('.', 2)[-2])",
        ],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_settings_production_refuses_to_start_without_a_secret_key():
    result = _settings(HANDLESPOR_ENV="production")

    assert result.returncode == 1
    assert "SECRET_KEY must be set in production" in result.stderr


def test_settings_production_defaults_are_secure(tmp_path):
    result = _settings(
        HANDLESPOR_ENV="production", SECRET_KEY="x" * 50, HANDLESPOR_VAR_DIR=str(tmp_path)
    )

    assert result.stdout.split() == ["False", "True", "django.db.backends.sqlite3", "smtp"]


def test_settings_database_url_switches_to_postgresql(tmp_path):
    result = _settings(
        HANDLESPOR_ENV="dev",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/handlespor",
        HANDLESPOR_VAR_DIR=str(tmp_path),
    )

    assert result.stdout.split() == ["True", "False", "django.db.backends.postgresql", "filebased"]


def test_settings_unknown_environment_is_refused():
    result = _settings(HANDLESPOR_ENV="staging")

    assert "HANDLESPOR_ENV must be production, dev or test" in result.stderr


def test_settings_yes_no_values_are_read_in_danish_and_english(tmp_path):
    result = _settings(
        HANDLESPOR_ENV="dev",
        HANDLESPOR_VAR_DIR=str(tmp_path),
        DJANGO_DEBUG="nej",
        SESSION_COOKIE_SECURE="Yes",
    )

    assert result.stdout.split()[:2] == ["False", "True"]


def test_settings_unclear_yes_no_value_is_refused(tmp_path):
    result = _settings(HANDLESPOR_ENV="dev", HANDLESPOR_VAR_DIR=str(tmp_path), IMAP_SSL="maybe")

    assert result.returncode == 1
    assert "IMAP_SSL='maybe' is not a yes/no value" in result.stderr


def test_settings_number_that_is_not_one_is_refused(tmp_path):
    result = _settings(HANDLESPOR_ENV="dev", HANDLESPOR_VAR_DIR=str(tmp_path), IMAP_PORT="143a")

    assert result.returncode == 1
    assert "IMAP_PORT='143a' is not a whole number" in result.stderr


def test_settings_production_passes_the_deployment_check(tmp_path):
    unset = {"SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # the last: browser tests
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    env = {
        **clean,
        "HANDLESPOR_ENV": "production",
        "SECRET_KEY": "k3!" + "production-secret-of-sufficient-length-and-variety-" * 2,
        "ALLOWED_HOSTS": "handlespor.example.dk",
        "HANDLESPOR_VAR_DIR": str(tmp_path),
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_settings_plain_pytest_runs_the_test_profile():
    clean = {k: v for k, v in os.environ.items() if k not in {"HANDLESPOR_ENV", "SECRET_KEY"}}
    clean.pop("DJANGO_SETTINGS_MODULE", None)

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_locale.py"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


def test_settings_dev_logs_each_worker_line_once(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    env |= {
        "HANDLESPOR_ENV": "dev",
        "HANDLESPOR_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "handlespor.settings",
    }

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, logging; django.setup(); "
            "logging.getLogger('django.tasks').info('opgave kørt')",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    assert (result.stdout + result.stderr).count("opgave kørt") == 1
