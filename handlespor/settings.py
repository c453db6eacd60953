"""Settings for handlespor, all taken from the environment.

HANDLESPOR_ENV selects the profile: "production" (the default: DEBUG off, a secret key is
required, secure cookies), "dev" (the demo: DEBUG on, e-mails written to files) or "test".
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HANDLESPOR_VAR_DIR", BASE_DIR / "var"))


TRUE_WORDS = {"1", "true", "yes", "on", "ja"}
FALSE_WORDS = {"0", "false", "no", "off", "nej"}


def _env_bool(name: str, default: bool) -> bool:
    """A yes/no setting: only clear words are accepted; anything else is an error, so a typo
    never silently turns a security setting off."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a yes/no value; use one of "
        f"{', '.join(sorted(TRUE_WORDS))} or {', '.join(sorted(FALSE_WORDS))}"
    )


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number") from None


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


ENVIRONMENT = os.environ.get("HANDLESPOR_ENV", "production")
if ENVIRONMENT not in {"production", "dev", "test"}:
    raise ImproperlyConfigured("HANDLESPOR_ENV must be production, dev or test")
IS_PRODUCTION = ENVIRONMENT == "production"

DEBUG = _env_bool("DJANGO_DEBUG", ENVIRONMENT == "dev")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if IS_PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production")
    SECRET_KEY = "insecure-key-for-demo-and-tests-only"  # noqa: S105

ALLOWED_HOSTS = _env_list(
    "ALLOWED_HOSTS", [] if IS_PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", [])
# The public address, used in links sent by e-mail.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "handlespor.accounts.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "handlespor.accounts.apps.TasksConfig",
    "handlespor.accounts.apps.AxesConfig",
    "django_ratelimit",
    "django_otp",
    "handlespor.accounts.apps.TotpConfig",
    "handlespor.accounts",
    "handlespor.partners",
    "handlespor.calls",
    "handlespor.inbox",
    "handlespor.mail",
    "handlespor.selection",
    "handlespor.trackyear",
    "handlespor.reporting",
    "handlespor.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "handlespor.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "handlespor.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "handlespor.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "handlespor.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

# Background work (engine runs) goes through Django's tasks framework: a database-backed queue
# with `manage.py db_worker` as the worker; tests run tasks at once.
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend"
        if ENVIRONMENT == "test"
        else "django_tasks_db.DatabaseBackend"
    }
}

FORM_RENDERER = "handlespor.forms.FormRenderer"
ROOT_URLCONF = "handlespor.urls"
WSGI_APPLICATION = "handlespor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "handlespor" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite in WAL mode by default; DATABASE_URL (postgres://…) switches to PostgreSQL.
_default_sqlite = VAR_DIR / "handlespor.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{_default_sqlite}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests run on a file too, so that parallel requests meet SQLite's real locking (WAL and
    # the busy timeout), not the shared-cache table locks of an in-memory database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "accounts:landing"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Dansk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "handlespor" / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
FORMAT_MODULE_PATH = ["handlespor.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "handlespor" / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
if not IS_PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# E-mail: SMTP from the environment (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS); the demo writes each message to a file in var/mail.
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Musiklivets Partnerskab <sekretariat@musiklivetspartnerskab.dk>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
MAIL_FILE_DIR = VAR_DIR / "mail"
_SMTP = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_BACKEND_NAME = os.environ.get(
    "EMAIL_BACKEND",
    _SMTP if IS_PRODUCTION or os.environ.get("EMAIL_HOST") else "filebased",
)
if EMAIL_BACKEND_NAME == "filebased":
    MAILERS = {
        "default": {
            "BACKEND": "handlespor.mail.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(MAIL_FILE_DIR)},
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": EMAIL_BACKEND_NAME,
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": _env_int("EMAIL_PORT", 25),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": _env_bool("EMAIL_USE_TLS", False),
                "timeout": 20,
            },
        }
    }

# Applications by e-mail: the secretariat's mailbox over IMAP, read by `manage.py fetchmail`.
IMAP = {
    "host": os.environ.get("IMAP_HOST", ""),
    "port": _env_int("IMAP_PORT", 0) or None,
    "user": os.environ.get("IMAP_USER", ""),
    "password": os.environ.get("IMAP_PASSWORD", ""),
    "folder": os.environ.get("IMAP_FOLDER", "INBOX"),
    "ssl": _env_bool("IMAP_SSL", True),
}
INBOUND_MAX_ATTACHMENT_BYTES = int(
    float(os.environ.get("INBOUND_MAX_ATTACHMENT_MB", "15")) * 1_000_000
)
# Mail from these domains is the secretariat's own: a forwarded application counts as the
# forwarded sender's, and nothing is replied to them.
INBOUND_OWN_DOMAINS = [
    d.strip().lower()
    for d in os.environ.get(
        "INBOUND_OWN_DOMAINS", DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >")
    ).split(",")
    if d.strip()
]

SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", IS_PRODUCTION)
CSRF_COOKIE_SECURE = _env_bool("CSRF_COOKIE_SECURE", IS_PRODUCTION)
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if IS_PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = _env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", True)

# Django's own Content-Security-Policy: only this site's own files, no inline script or style
# anywhere (the admin included), no frames, no plug-ins.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords from one address for
# one user name, that pair is locked out until the cool-off passes or the secretariat deletes the
# attempts in the admin ("Access attempts").
AXES_FAILURE_LIMIT = _env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=_env_int("LOGIN_LOCKOUT_MINUTES", 60))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "handlespor.middleware.client_ip"
# Behind N proxies (the TLS proxy: 1 in production) the client's address is the N-th from the
# right in X-Forwarded-For; with 0 it is the connection's own address.
TRUSTED_PROXY_COUNT = _env_int("TRUSTED_PROXY_COUNT", 1 if IS_PRODUCTION else 0)

# Per-address limits on the public form and the private-link pages (django-ratelimit), counted
# in a database cache that every web worker shares. Its increment is not atomic, so a burst may
# pass a few more requests than the limit: these limits stop abuse, not one request more.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "handlespor_ratelimit",
    },
}
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_IP_META_KEY = "handlespor.middleware.client_ip"
RATELIMIT_VIEW = "handlespor.calls.views.rate_limited"
# Off in the test profile, where the tests of the limits turn them on.
RATELIMIT_ENABLE = _env_bool("RATELIMIT_ENABLE", ENVIRONMENT != "test")
# Submits of the application form, and opened private-link pages, per address.
RATELIMIT_SUBMIT = os.environ.get("RATELIMIT_SUBMIT", "30/10m")
RATELIMIT_PRIVATE_LINK = os.environ.get("RATELIMIT_PRIVATE_LINK", "300/10m")
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Retention (handlespor retention, on the worker daily): applications are anonymised this many
# months after their call's decisions were sent (a call may set its own), raw e-mails and sent
# e-mails deleted this many months after they came or went.
RETENTION_MONTHS = _env_int("RETENTION_MONTHS", 24)
MAIL_RETENTION_MONTHS = _env_int("MAIL_RETENTION_MONTHS", 12)

# Two-factor authentication (TOTP, django-otp): every staff user may set it up; with
# STAFF_REQUIRE_2FA (on in production) the secretariat must.
STAFF_REQUIRE_2FA = _env_bool("STAFF_REQUIRE_2FA", IS_PRODUCTION)
OTP_TOTP_ISSUER = "handlespor"

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
INBOUND_MAX_UPLOAD_BYTES = 100 * 1024 * 1024  # an .mbox of a whole season

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler for "django" (on with DEBUG) beside the root's printed
        # every line of the worker and the server twice: the root's handler alone prints.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "INFO"},
    },
}
