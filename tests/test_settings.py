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
