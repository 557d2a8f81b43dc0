"""Leerscan settings: one module, driven by environment variables.

Every setting that differs between a laptop and production is read from the environment through
the small helpers below. They raise ImproperlyConfigured on a value they cannot parse, so a typo
in a deployment fails at start-up instead of silently falling back to a default.
Development defaults are safe: SQLite in the project folder, DEBUG on, localhost only.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.contrib.messages import constants as message_constants
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: str) -> bool:
    """Read a yes/no variable; anything but a clear yes or no is a configuration error."""
    raw = os.environ.get(name, default).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def envint(name: str, default: str) -> int:
    """Read a whole-number variable."""
    raw = os.environ.get(name, default).strip()
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def envlist(name: str, default: str) -> list[str]:
    """Read a comma-separated list, ignoring blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envrate(name: str, default: str) -> tuple[int, int]:
    """Read a rate limit as COUNT/SECONDS ("20/60": twenty a minute); "off" turns it off."""
    raw = os.environ.get(name, default).strip().lower()
    if raw == "off":
        return (0, 1)
    count, _, seconds = raw.partition("/")
    if count.isdigit() and seconds.isdigit() and int(count) > 0 and int(seconds) > 0:
        return (int(count), int(seconds))
    raise ImproperlyConfigured(
        f"{name} must be a number per number of seconds such as 20/60, or off; not {raw!r}."
    )


DEBUG = envbool("DJANGO_DEBUG", "True")

# A fixed key is only acceptable on a developer's machine; production must bring its own, in
# DJANGO_SECRET_KEY or in a file that DJANGO_SECRET_KEY_FILE names (`make run-prod` generates
# var/secret_key, readable by its owner only). Every app server of one site needs the same key:
# it signs sessions and CSRF tokens and keys the rate limits' counters.
_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
_SECRET_KEY_FILE = os.environ.get("DJANGO_SECRET_KEY_FILE", "")
if not SECRET_KEY and _SECRET_KEY_FILE:
    try:
        SECRET_KEY = Path(_SECRET_KEY_FILE).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY_FILE cannot be read ({exc.strerror}): {_SECRET_KEY_FILE}"
        ) from None
    if not SECRET_KEY:
        raise ImproperlyConfigured(f"DJANGO_SECRET_KEY_FILE is empty: {_SECRET_KEY_FILE}")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG=False a secret key is required, in "
            "DJANGO_SECRET_KEY or in a file named by DJANGO_SECRET_KEY_FILE; generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    # Counts failed logins and locks out (admin now, advisers next): docs/security.md.
    "axes",
    # The Django Tasks API (backport) and its database backend: reports rendered in the background.
    "django_tasks",
    "django_tasks_db",
    # request.htmx: the group view and the matrix refresh themselves (htmx in static/vendor/htmx).
    "django_htmx",
    "benchmarks",
    "leerscan.scans",
    "leerscan.reports",
    "leerscan.advisers",
    "leerscan.teams",
    "leerscan.coaching",
    "leerscan.background",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The database unreachable: a friendly 503 page instead of a bare server error.
    "leerscan.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Dutch unless the language switch chose otherwise; the browser's language is ignored.
    "leerscan.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy (CONTENT_SECURITY_POLICY below) and Permissions-Policy headers.
    "csp.middleware.CSPMiddleware",
    "leerscan.headers.PermissionsPolicyMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Advisers log in at /adviseur/inloggen/ (leerscan/advisers); the admin keeps its own login page.
LOGIN_URL = "advisers:login"
LOGIN_REDIRECT_URL = "advisers:dashboard"

# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "leerscan.urls"
WSGI_APPLICATION = "leerscan.wsgi.application"

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
            ],
        },
    },
]

# SQLite by default so that a fresh clone runs without a database server; PostgreSQL (or any
# database dj-database-url knows) by setting DATABASE_URL.
_SQLITE_URL = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL", "") or _SQLITE_URL,
            conn_max_age=envint("DATABASE_CONN_MAX_AGE", "60"),
            conn_health_checks=True,
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers continue while a scan step is written; IMMEDIATE transactions and a busy
    # timeout make concurrent writers wait instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        # secure_delete overwrites deleted rows with zeros, so a deleted scan's organisation name
        # does not linger in free pages (services.database_forget_deleted checkpoints the WAL).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA secure_delete=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Dutch first; msgids are English, so English works as the second language.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The switch's choice (set_language) is remembered for a year; JavaScript never needs it.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production; plain files while developing and testing, so
        # that a template renders without running collectstatic first.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
# The PDF's fonts (static/fonts/*.ttf) are read from disk by the renderer and never sent to a
# browser; compressing them took most of collectstatic's time (`make setup` collects this way).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "ttf"]

# Django's cache holds the abuse limits' counters and the link e-mail's interval. Charts and
# reports are not kept here (they are the background layer's rows, deleted with their scan).
# "database" (the default when DEBUG is off) keeps it in a table of the one shared database
# (created by `manage.py createcachetable`, which `make setup` runs), so that every app server and
# worker counts the same limits. "file" keeps it in one directory that the worker processes of one
# machine share: enough while developing, or for a single machine.
_CACHE = os.environ.get("LEERSCAN_CACHE", "") or ("file" if DEBUG else "database")
if _CACHE == "database":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "leerscan_cache",
            # Counters are small rows; above this many, expired rows and then a third go.
            "OPTIONS": {"MAX_ENTRIES": envint("LEERSCAN_CACHE_MAX_ENTRIES", "50000")},
        }
    }
elif _CACHE == "file":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("LEERSCAN_CACHE_DIR", "") or str(BASE_DIR / "var" / "cache"),
        }
    }
else:
    raise ImproperlyConfigured(f"LEERSCAN_CACHE must be database or file, not {_CACHE!r}.")

# Background tasks (leerscan/reports/tasks.py) are rows in the one shared database; any number of
# `manage.py db_worker` processes on any machine that reaches it run them (`make run` starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# `manage.py report_worker` starts a fresh db_worker after this many tasks: a process that renders
# reports grows inside Pango by about 57 KB a render (docs/performance.md), a fresh one does not.
try:
    LEERSCAN_WORKER_MAX_TASKS = int(os.environ.get("LEERSCAN_WORKER_MAX_TASKS", "") or 50)
except ValueError as exc:
    raise ImproperlyConfigured("LEERSCAN_WORKER_MAX_TASKS must be a whole number.") from exc
# How many db_workers `manage.py report_worker` runs: one per CPU core this process may use, at
# most 4 (each ~165 MB); they run at a lower CPU priority than the web processes (why: the
# docstring of leerscan/reports/management/commands/report_worker.py).
_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
LEERSCAN_TASK_WORKERS = envint("LEERSCAN_TASK_WORKERS", str(max(1, min(4, _CORES or 1))))

# Every slow output is a kind of the background layer (leerscan/background/kinds.py): its name and
# pure make function, found here by dotted path so that the layer imports no app.
LEERSCAN_OUTPUT_KINDS = [
    "leerscan.reports.services.REPORT",
    "leerscan.advisers.report.GROUP_REPORT",
    "leerscan.coaching.progress_report.PROGRESS_REPORT",
    "leerscan.coaching.bulk_progress.PROGRESS",
    "leerscan.coaching.research.RESEARCH",
    "leerscan.coaching.cohort.COHORT",
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security. Production (DEBUG off) gets strict defaults that pass `manage.py check --deploy`;
# each can be relaxed through its variable, e.g. behind a proxy that already redirects to HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
_PROD = "False" if DEBUG else "True"
SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", _PROD)
SESSION_COOKIE_SECURE = envbool("DJANGO_SESSION_COOKIE_SECURE", _PROD)
CSRF_COOKIE_SECURE = envbool("DJANGO_CSRF_COOKIE_SECURE", _PROD)
# The language cookie, and the cookie that remembers a scan on this device
# (leerscan/scans/resume.py), are sent over HTTPS only whenever the session cookie is.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = envint("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", _PROD)
# Preloading binds the domain and every subdomain to HTTPS in browsers for months, and is hard to
# undo: the operator opts in (DJANGO_SECURE_HSTS_PRELOAD=True); until then the deployment check's
# reminder about it (security.W021) is silenced.
SECURE_HSTS_PRELOAD = envbool("DJANGO_SECURE_HSTS_PRELOAD", "False")
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if envbool("DJANGO_BEHIND_TLS_PROXY", "False"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# E-mail: only "send me the link" (leerscan/scans/resume.py) sends mail. While developing, the
# console backend prints it (or "file" writes it under var/mail/); in production (DEBUG off) the
# default is SMTP, because the console would put the recipient's address in the process log.
_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}
_email_backend = os.environ.get("DJANGO_EMAIL_BACKEND", "") or ("console" if DEBUG else "smtp")
if _email_backend not in _EMAIL_BACKENDS:
    raise ImproperlyConfigured(
        f"DJANGO_EMAIL_BACKEND must be one of {', '.join(_EMAIL_BACKENDS)}, not {_email_backend!r}."
    )
EMAIL_BACKEND = _EMAIL_BACKENDS[_email_backend]
EMAIL_FILE_PATH = os.environ.get("DJANGO_EMAIL_FILE_PATH", "") or str(BASE_DIR / "var" / "mail")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("DJANGO_EMAIL_PORT", "587")
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("DJANGO_EMAIL_USE_TLS", "True")
EMAIL_USE_SSL = envbool("DJANGO_EMAIL_USE_SSL", "False")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set DJANGO_EMAIL_USE_TLS or DJANGO_EMAIL_USE_SSL, not both.")
# A mail server that hangs must not hold a worker for long.
EMAIL_TIMEOUT = envint("DJANGO_EMAIL_TIMEOUT", "10")
DEFAULT_FROM_EMAIL = (
    os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "") or "Leerscan <noreply@localhost>"
)

# A scan's token is a key to its answers: leerscan/logs.py writes /scan/<token>/ in its place in
# every line that names a path ("Not Found: /scan/...", the development server's request lines,
# CSRF refusals), on the loggers that write them and on the console handler besides.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "leerscan.logs.RedactTokens"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_tokens"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # WeasyPrint reports every layout step at INFO; only its warnings matter here.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "django.request": {"filters": ["redact_tokens"]},
        "django.security.csrf": {"filters": ["redact_tokens"]},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "filters": ["redact_tokens"],
            "propagate": False,
        },
    },
}

# Abuse limits (leerscan/ratelimit.py, docs/security.md): COUNT/SECONDS per client address or
# per scan, counted in the cache above.
LEERSCAN_RATE_LIMITS = {
    "scan_start": envrate("LEERSCAN_LIMIT_SCAN_START", "20/60"),
    "scan_start_daily": envrate("LEERSCAN_LIMIT_SCAN_START_DAILY", "200/86400"),
    # Joining a leertafel, per leertafel and address: a table of 20 on one Wi-Fi joins at once.
    "leertafel_join": envrate("LEERSCAN_LIMIT_LEERTAFEL_JOIN", "60/600"),
    # Answers to a team scan, per team scan and address: a whole team behind one office address.
    "team_submit": envrate("LEERSCAN_LIMIT_TEAM_SUBMIT", "200/3600"),
    # Requests that mail team invitations or reminders (leerscan/teams/mail.py), per team scan and
    # per client address: each sends up to 200 mails, so these keep a scan link from becoming a
    # spam cannon; the reminders' own rule (every 3 days, 3 in all) is in leerscan/constants.py.
    "team_mail": envrate("LEERSCAN_LIMIT_TEAM_MAIL", "10/86400"),
    "team_mail_client": envrate("LEERSCAN_LIMIT_TEAM_MAIL_CLIENT", "30/86400"),
    # A coach mailing a client's invitation or a reminder, per coach account.
    "coach_mail": envrate("LEERSCAN_LIMIT_COACH_MAIL", "30/3600"),
    "report_render_scan": envrate("LEERSCAN_LIMIT_REPORT_RENDER_SCAN", "10/3600"),
    "report_render_client": envrate("LEERSCAN_LIMIT_REPORT_RENDER_CLIENT", "30/3600"),
    # Share codes an owner tries per address (leerscan/coaching): enough for typos, too few to
    # guess a coach's code (23^8 codes).
    "coach_share": envrate("LEERSCAN_LIMIT_COACH_SHARE", "10/600"),
    # Join codes that match no leertafel (leerscan/advisers/views/join.py), per address and from
    # all addresses together; only failed lookups count, so a venue typing the right code is never
    # refused. While the global cap is reached an address with a failure of its own is refused.
    "join_code_failed": envrate("LEERSCAN_LIMIT_JOIN_CODE_FAILED", "50/600"),
    "join_code_failed_global": envrate("LEERSCAN_LIMIT_JOIN_CODE_FAILED_GLOBAL", "600/3600"),
    # Password-reset mails, per e-mail address asked for and per client address.
    "password_reset_email": envrate("LEERSCAN_LIMIT_PASSWORD_RESET_EMAIL", "3/3600"),
    "password_reset_client": envrate("LEERSCAN_LIMIT_PASSWORD_RESET_CLIENT", "20/3600"),
    # Every adviser's and coach's download (PDF, CSV, XLSX, ZIP) and background export, per user.
    "adviser_download": envrate("LEERSCAN_LIMIT_ADVISER_DOWNLOAD", "60/600"),
}
# Behind a reverse proxy every request comes from the proxy's address: name the header the proxy
# sets to the client's address (X-Real-IP, or X-Forwarded-For whose last entry the proxy adds).
# Empty by default: a header is trusted only when a proxy of our own sets it.
LEERSCAN_CLIENT_IP_HEADER = os.environ.get("LEERSCAN_CLIENT_IP_HEADER", "").strip()

# Failed logins (django-axes, counted in the database all app servers share): after
# LEERSCAN_LOGIN_FAILURE_LIMIT failures for one username, or from one address, within
# LEERSCAN_LOGIN_LOCKOUT_MINUTES, logging in is refused (even with the right password) until that
# long after the last failure. Any login that calls authenticate(request=...) is covered: the
# admin now, the advisers' login next. `manage.py axes_reset_username NAME` unlocks at once.
AXES_FAILURE_LIMIT = envint("LEERSCAN_LOGIN_FAILURE_LIMIT", "10")
AXES_COOLOFF_TIME = timedelta(minutes=envint("LEERSCAN_LOGIN_LOCKOUT_MINUTES", "30"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "leerscan.ratelimit.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "leerscan.ratelimit.client_address"
# Failed attempts are kept (until the cool-off has passed) to count them; successful logins are
# not logged.
AXES_DISABLE_ACCESS_LOG = True

# Content-Security-Policy (django-csp): everything from this site only, no inline script or style,
# no plugins, no framing. Charts are data: images; Bootstrap's form icons are data: URIs in CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
    }
}
# Features no page uses, switched off for this site and anything it might embed.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)

# The benchmark set new scans are compared with. Empty: the newest edition loaded (by year), so
# that loading a new edition's data is all it takes; a slug pins an edition.
LEERSCAN_DEFAULT_BENCHMARK_SET = os.environ.get("LEERSCAN_DEFAULT_BENCHMARK_SET", "")

# Messages take Bootstrap's alert colours (base.html): a refusal is not shown as a success.
MESSAGE_TAGS = {
    message_constants.DEBUG: "secondary",
    message_constants.INFO: "info",
    message_constants.SUCCESS: "success",
    message_constants.WARNING: "warning",
    message_constants.ERROR: "danger",
}
