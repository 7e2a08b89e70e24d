"""One settings module, driven by environment variables.

Defaults are safe for production (DEBUG off, secure cookies); `make run` and the tests set what they need.
"""

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The test run (pytest) serves plain HTTP on loopback and may use a throw-away key; production may not.
RUNNING_TESTS = "pytest" in sys.modules
# `make run`: production settings (DEBUG off) served over plain HTTP on this machine's loopback only.
LOCAL_HTTP = env_bool("LOCAL_HTTP", False)
PLAIN_HTTP = DEBUG or LOCAL_HTTP


def local_secret_key():
    """A key made once for this machine's `make run` and kept in VAR_DIR (never committed, never shared)."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        from django.core.management.utils import get_random_secret_key

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if LOCAL_HTTP:
        SECRET_KEY = local_secret_key()
    elif DEBUG or RUNNING_TESTS:
        SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured("Đặt biến môi trường SECRET_KEY (hoặc DEBUG=1 khi phát triển).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if PLAIN_HTTP else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # the widget templates, for FORM_RENDERER below
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "core",
    "units",
    "campaigns",
    "par",
    "awards",
    "reports",
]  # bench (the province-scale generator, manage.py generate_province) is installed by bench/settings_bench.py only

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.locale.SiteLanguageMiddleware",  # Vietnamese unless chosen otherwise: the browser's language is ignored
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: private, no-store on every signed-in response and every download.
    "core.middleware.PrivateNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A temporary password given by Sở Nội vụ: nothing but the password change page until it is changed.
    "units.middleware.PasswordChangeRequiredMiddleware",
    # An irreversible action carrying a question and no yes gets the confirmation page (the no-JavaScript path).
    "core.confirm.ConfirmFirstMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "units.context_processors.navigation",
                "core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Many officers saving at once: write transactions start IMMEDIATE and wait (instead of "database is locked"),
    # and WAL lets readers go on while one writes (measured by bench/load.py: 33 errors → 0 at 50 clients).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "units.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Login throttling (django-axes records the attempts; core/lockout.py decides): after LOGIN_FAILURE_LIMIT failures
# for a user name, from anywhere, each further attempt waits a delay that doubles from LOGIN_DELAY_SECONDS up to
# LOGIN_DELAY_MAX_SECONDS (from an address where the person signed in before, only that address's failures count);
# the same after LOGIN_ADDRESS_FAILURE_LIMIT failures from one address. Never a lock that does not run out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", os.environ.get("AXES_FAILURE_LIMIT", "5")))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
LOGIN_DELAY_SECONDS = int(os.environ.get("LOGIN_DELAY_SECONDS", "60"))
LOGIN_DELAY_MAX_SECONDS = int(os.environ.get("LOGIN_DELAY_MAX_SECONDS", "900"))
LOGIN_FAILURE_MEMORY_HOURS = int(os.environ.get("LOGIN_FAILURE_MEMORY_HOURS", "24"))
LOGIN_KNOWN_ADDRESS_DAYS = int(os.environ.get("LOGIN_KNOWN_ADDRESS_DAYS", "90"))
# Reverse proxies in front of the application (nginx = 1): the client address is then read from X-Forwarded-For.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", os.environ.get("AXES_PROXY_COUNT", "0")))
AXES_HANDLER = "core.lockout.LoginThrottleHandler"
AXES_CLIENT_IP_CALLABLE = "core.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "core.lockout.lockout_response"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(hours=LOGIN_FAILURE_MEMORY_HOURS)  # how long failures are remembered
AXES_LOCKOUT_PARAMETERS = ["username"]  # what axes counts and clears on success; the address limit is core's
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a refused attempt neither counts nor restarts the wait
AXES_RESET_ON_SUCCESS = True
# axes warns (W006) when its parameters lack the address: the address limit is core.lockout's own, counted over
# every user name and user agent (LOGIN_ADDRESS_FAILURE_LIMIT; tests/security/test_login_throttle.py).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_ENABLE_ADMIN = False  # failed logins are seen and cleared on the accounts pages (units/accounts.py)

# Argon2 first; older hashes still verify and are upgraded at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language, time, formats: Vietnamese first, English through the language switch.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

# Static files: front-end packages are copied into static/vendor at set-up, never loaded from a CDN.
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))

# Private files (evidence, dossier documents, pending imports) are never served directly.
PRIVATE_STORAGE_BACKEND = os.environ.get(
    "PRIVATE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
)
PRIVATE_STORAGE_OPTIONS = json.loads(os.environ.get("PRIVATE_STORAGE_OPTIONS", "{}")) or {
    "location": str(Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))),
    "base_url": None,
}
STORAGES = {
    "default": {"BACKEND": PRIVATE_STORAGE_BACKEND, "OPTIONS": PRIVATE_STORAGE_OPTIONS},
    "private": {"BACKEND": PRIVATE_STORAGE_BACKEND, "OPTIONS": PRIVATE_STORAGE_OPTIONS},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_BACKEND",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("IMPORT_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
# An Excel import whose workbook unpacks to more than this is read and written by the background worker (core.imports),
# its page showing the progress; a smaller one within the request. openpyxl takes about 0.15-0.3 s per unpacked MB.
IMPORT_BACKGROUND_BYTES = int(os.environ.get("IMPORT_BACKGROUND_BYTES", str(2 * 1024 * 1024)))
IMPORT_JOB_STALE_SECONDS = int(os.environ.get("IMPORT_JOB_STALE_SECONDS", str(30 * 60)))  # then shown as interrupted

# E-mail: console while developing, SMTP (configured by the standard variables) in production.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if PLAIN_HTTP else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "thidua@localhost")

# Security: strict unless explicitly relaxed (DEBUG implies a developer's machine over plain HTTP).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY") else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not PLAIN_HTTP and not RUNNING_TESTS)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not PLAIN_HTTP)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not PLAIN_HTTP)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if PLAIN_HTTP else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not PLAIN_HTTP)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not PLAIN_HTTP)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp): no inline or third-party scripts; everything is served by the application.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],  # inline style attributes (bar widths) only; no inline script
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Widgets render through the project's templates: templates/django/forms/ labels the empty choice in Vietnamese,
# templates/core/widgets/ holds the pickers (core.forms.SearchSelect).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

IMPORT_EXPORT_USE_TRANSACTIONS = True

# Background work (large reports, large Excel imports) runs in `manage.py db_worker --queue-name '*'` reading the
# database queue.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "reports", "imports"],
    }
}
# Report PDFs: parts laid out in this many processes (default: the cores, at most 4) and unchanged parts taken from
# a bounded on-disk cache keyed by their HTML (reports/part_cache.py); an empty REPORT_PART_CACHE_DIR turns it off.
# The engine: "chromium" (headless, REPORT_CHROMIUM_PATH; about six times faster on the long reviews, and the
# default) or "weasyprint"; where Chromium is missing or will not start, a report is laid out with WeasyPrint.
REPORT_PDF_ENGINE = os.environ.get("REPORT_PDF_ENGINE", "chromium")
REPORT_CHROMIUM_PATH = os.environ.get("REPORT_CHROMIUM_PATH", "/usr/bin/chromium")
REPORT_PDF_PROCESSES = int(os.environ.get("REPORT_PDF_PROCESSES", "0")) or None
REPORT_PART_CACHE_DIR = os.environ.get("REPORT_PART_CACHE_DIR", str(VAR_DIR / "cache" / "report-parts")) or None
REPORT_PART_CACHE_BYTES = int(os.environ.get("REPORT_PART_CACHE_BYTES", str(512 * 1024 * 1024)))
REPORT_PAGES_PER_PIECE = int(os.environ.get("REPORT_PAGES_PER_PIECE", "60"))  # long appendices: see reports/paginate.py
# Digital signatures (core/signing.py; README "Digital signatures"). Identities are configuration only, never rows:
# JSON {signer key: {"pkcs12": path, "passphrase_env": NAME} | {"pkcs11": module, "token_label": label (or "slot": n),
# "key_label": label, "pin_env": NAME}}. Trust roots and offline CRLs are PEM/DER files; the timestamp server makes
# signatures B-T.
SIGNING_IDENTITIES = json.loads(os.environ.get("SIGNING_IDENTITIES", "{}") or "{}")
SIGNING_TRUST_ROOTS = [p for p in os.environ.get("SIGNING_TRUST_ROOTS", "").split(os.pathsep) if p]
SIGNING_CRLS = [p for p in os.environ.get("SIGNING_CRLS", "").split(os.pathsep) if p]
SIGNING_TIMESTAMP_URL = os.environ.get("SIGNING_TIMESTAMP_URL", "")
SIGNING_FETCH_REVOCATION = os.environ.get("SIGNING_FETCH_REVOCATION", "0") == "1"
SIGNING_DEMO_DIR = VAR_DIR / "signing"  # load_demo's test identity (never in a backup)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
# The upload check's other limits (core/files.py says why these defaults): what an Office file may declare it
# unpacks to, its largest compression ratio (per member and overall), the largest image in pixels.
UPLOAD_MAX_UNPACKED_BYTES = int(os.environ.get("UPLOAD_MAX_UNPACKED_BYTES", str(200 * 1024 * 1024)))
UPLOAD_MAX_COMPRESSION_RATIO = int(os.environ.get("UPLOAD_MAX_COMPRESSION_RATIO", "100"))
UPLOAD_MAX_IMAGE_PIXELS = int(os.environ.get("UPLOAD_MAX_IMAGE_PIXELS", "70000000"))
