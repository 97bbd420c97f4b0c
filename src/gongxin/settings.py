"""Settings, read from the environment. docs/DEPLOY.md has the full table; in short:

GONGXIN_DATA_DIR       the data folder (SQLite file, secret key, ledger key, cache); default ./data
DATABASE_URL           default: SQLite file in the data folder
SECRET_KEY             default: generated once and kept in the data folder
ALLOWED_HOSTS          comma-separated host names; default "127.0.0.1,localhost"
CSRF_TRUSTED_ORIGINS   extra origins (https://name); https:// and http:// of every ALLOWED_HOSTS name are added
DEBUG                  "1" to turn on; off by default
SECURE_COOKIES         "1" behind HTTPS: secure cookies and HSTS
GONGXIN_HSTS_SECONDS   HSTS max-age when SECURE_COOKIES=1; default one year
GONGXIN_TRUSTED_PROXIES  reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed
GONGXIN_REQUIRE_ADMIN_OTP  "0" lets admin accounts in without a second factor; default "1"
AXES_FAILURE_LIMIT / GONGXIN_LOGIN_ADDRESS_FAILURE_LIMIT   login failures per user name / per address
GONGXIN_LEDGER_ORIGIN, GONGXIN_LEDGER_KEY_NAME, GONGXIN_LEDGER_KEY_FILE / GONGXIN_LEDGER_KEY   the ledger
GONGXIN_CHECKPOINT_EVERY_EVENTS / _MINUTES       automatic checkpoints: default 500 events / 10 minutes
GONGXIN_LEDGER_SEEN_FILE  where the ledger's last seen size is noted; default beside the key file
REDIS_URL              background jobs, cache, sessions and rate limits through Redis; default none
LOG_LEVEL              default WARNING
(`gongxin serve` reads GONGXIN_HOST, PORT, WEB_CONCURRENCY.)
"""

import base64
import hashlib
import ipaddress
import os
import secrets
from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("GONGXIN_DATA_DIR", Path.cwd() / "data")).resolve()


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# Only the commands that build or serve create the data directory (gongxin.cli sets this for
# them, gongxin.wsgi for a server started directly); `gongxin --help` and the others create
# nothing in the current directory.
CREATE_DATA_DIR = _env_bool("GONGXIN_CREATE_DATA_DIR")


def _secret_key(create: bool) -> str:
    """SECRET_KEY from the environment, else ``data/secret_key`` (written once by a command that
    builds or serves); a command that creates nothing and finds no file signs with a key of its
    own, which nothing outlives."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if create and not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    if path.exists():
        return path.read_text().strip()
    return secrets.token_urlsafe(50)


def ensure_data_dir() -> None:
    """Create the data directory, the secret key, the static folder and the SQLite folder: run by
    the commands that build or serve (``demo``, ``serve``), also when started from code."""
    from django.conf import settings

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("SECRET_KEY"):
        settings.SECRET_KEY = _secret_key(True)
    try:
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only data folder: whitenoise then serves from the package alone
        pass
    name = settings.DATABASES["default"].get("NAME")
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and name not in ("", ":memory:", None):
        Path(name).parent.mkdir(parents=True, exist_ok=True)


DEBUG = _env_bool("DEBUG")
SECRET_KEY = _secret_key(CREATE_DATA_DIR)
# The test runner adds "testserver" itself (django.test.utils.setup_test_environment).
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]


def _trusted_origins(hosts: list[str], extra: str) -> list[str]:
    """Behind a TLS proxy Django may see the request as plain HTTP while the browser's Origin
    says https://name: every configured host name is trusted on both schemes, so POSTs (the
    login included) pass the CSRF origin check. ".example.org" trusts its subdomains."""
    origins = [o.strip() for o in extra.split(",") if o.strip()]
    for host in hosts:
        if host == "*":
            continue
        name = f"*{host}" if host.startswith(".") else host
        origins += [f"https://{name}", f"http://{name}"]
    return list(dict.fromkeys(origins))


CSRF_TRUSTED_ORIGINS = _trusted_origins(ALLOWED_HOSTS, os.environ.get("CSRF_TRUSTED_ORIGINS", ""))

# The product's own apps, in one list: INSTALLED_APPS, the URL map (gongxin.urls), the API
# (gongxin.api) and the demo (gongxin.core.demo) all read it. An app named here whose package
# is not in the tree yet is skipped, so a new app plugs in by creating its package.
GONGXIN_APPS = [
    app for app in [
        "core", "workbench", "jobs", "ledger", "people", "accounts", "cases", "meetings", "inspection",
        "publicity", "reserve", "exams", "matching", "assessment", "evaluation", "exchange",
    ]
    if find_spec(f"gongxin.{app}") is not None
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",  # the API docs page from its own static files, not from a CDN
    *(f"gongxin.{app}" for app in GONGXIN_APPS),
    "django_tasks",
    "django_tasks_db",
]

# Background jobs (gongxin.jobs) go through Django's Tasks API (the django-tasks backport):
# on the database by default, so one server needs nothing more; on Redis (RQ) when REDIS_URL
# is set, for several app servers. ``gongxin worker`` runs them.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# GONGXIN_PERIODIC (below, with the ledger): dotted paths the worker calls once a minute.

MIDDLEWARE = [
    "gongxin.core.metrics.MetricsMiddleware",  # first: times the whole answer (/metrics)
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gongxin.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gongxin.accounts.otp.AdminSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongxin.core.middleware.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",
    "gongxin.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "gongxin.urls"
WSGI_APPLICATION = "gongxin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongxin.core.context_processors.navigation",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'gongxin.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if CREATE_DATA_DIR and DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Persistent connections (one per server thread): the PRAGMAs below run once per
    # connection, not on every request (about 1 ms each time with CONN_MAX_AGE = 0).
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("GONGXIN_CONN_MAX_AGE", 600))
    DATABASES["default"]["OPTIONS"] = {
        # One writer at a time, taken at BEGIN: no "database is locked" mid-transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# models.W047: SQLite cannot enforce the reserve's composition-target uniqueness with NULL tiers
# (nulls_distinct=False); PostgreSQL does, and on SQLite set_composition_target finds and updates
# the row under the write lock, so no duplicate is written. Said once here, not at every migrate.
SILENCED_SYSTEM_CHECKS = ["models.W047"]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Admin accounts need a second factor (TOTP, accounts/otp.py); the demo turns this off.
REQUIRE_ADMIN_OTP = _env_bool("GONGXIN_REQUIRE_ADMIN_OTP", True)
OTP_TOTP_ISSUER = "公信 Gongxin"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login failures: five per user name (from any address) or 30 per address (any user names),
# then a 15-minute lock.
# Reverse proxies whose X-Forwarded-For is believed (core/clientip.py): comma-separated
# addresses or networks. Checked here, so that a typo stops the server from starting.
# /metrics by address (gongxin.core.metrics); staff with the capability system.metrics always
METRICS_ALLOW = [a.strip() for a in os.environ.get("GONGXIN_METRICS_ALLOW", "127.0.0.1,::1").split(",") if a.strip()]
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("GONGXIN_TRUSTED_PROXIES", "").split(",") if p.strip()]
for _proxy in TRUSTED_PROXIES:
    ipaddress.ip_network(_proxy, strict=False)

AXES_CLIENT_IP_CALLABLE = "gongxin.core.clientip.client_ip"
AXES_HANDLER = "gongxin.accounts.lockout.IndependentLockoutHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
GONGXIN_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("GONGXIN_LOGIN_ADDRESS_FAILURE_LIMIT", 30))
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Counted independently (accounts/lockout.py): per user name, whatever the address, and per
# address, whatever the user name.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    } if CREATE_DATA_DIR or DATA_DIR.is_dir() else {
        # No data directory and a command that makes none: a cache in memory (the file cache
        # would create ./data/cache merely by being opened).
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    }
}
if REDIS_URL:
    # Several servers: the cache (public pages, the per-address rate limits and the feedback
    # limiter, core/ratelimit.py) in Redis so every server counts the same.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": os.environ.get("GONGXIN_CACHE_PREFIX", "gongxin")}}
# Sessions in the database with a copy in the cache (Redis, else the data folder's file cache):
# every signed-in page reads its session from the copy, already decoded, without a query (a
# query and a signature check on each page were 0.7 ms of a 7 ms cadre list, issue 20); writes
# go to both, and the database copy outlives a cleared cache.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# A date input posts and shows yyyy-MM-dd: Chinese formats list 2026/12/06 first, which a
# browser's <input type=date> cannot show, so its default rendered blank.
FORMAT_MODULE_PATH = ["gongxin.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
if CREATE_DATA_DIR:
    try:
        STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only data folder: whitenoise then serves from the package alone
        pass
WHITENOISE_USE_FINDERS = True  # serve from the package without collectstatic: nothing comes from outside
MEDIA_ROOT = DATA_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send the header
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_COOKIES = _env_bool("SECURE_COOKIES") and not DEBUG
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if SECURE_COOKIES:
    # HSTS (sent by SecurityMiddleware on HTTPS requests): browsers then refuse plain HTTP.
    SECURE_HSTS_SECONDS = int(os.environ.get("GONGXIN_HSTS_SECONDS", 365 * 24 * 3600))
if TRUSTED_PROXIES:
    # The proxy terminates TLS and says so (nginx: proxy_set_header X-Forwarded-Proto $scheme).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (core.middleware.SecurityHeadersMiddleware). Every asset is served
# by the application itself. Scripts: our own files only, plus the two one-line inline handlers
# the templates use (print, submit the language switch), allowed by their hashes. Styles: the
# templates carry small inline <style> blocks and style attributes, so inline styles stay
# allowed (they cannot run code).
INLINE_HANDLERS = ["window.print()", "this.form.submit()"]
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-hashes' " + " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(h.encode()).digest()).decode()}'" for h in INLINE_HANDLERS),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The ledger (docs/VERIFY.md). Origin and key name apply when the ledger declares its first key;
# production refuses to start with the example origin (a system check: gongxin.ledger.checks).
LEDGER_ORIGIN = os.environ.get("GONGXIN_LEDGER_ORIGIN", "gongxin.example/ledger")
LEDGER_KEY_NAME = os.environ.get("GONGXIN_LEDGER_KEY_NAME", "gongxin-ledger")
LEDGER_KEY_FILE = os.environ.get("GONGXIN_LEDGER_KEY_FILE", str(DATA_DIR / "ledger_ed25519.key"))
LEDGER_SEEN_FILE = os.environ.get("GONGXIN_LEDGER_SEEN_FILE", "")  # default: ledger_seen.json beside the key file
# Automatic checkpoints (gongxin.ledger.autosign): at least every N events or M minutes.
LEDGER_CHECKPOINT_EVERY_EVENTS = int(os.environ.get("GONGXIN_CHECKPOINT_EVERY_EVENTS", 500))
LEDGER_CHECKPOINT_EVERY_MINUTES = int(os.environ.get("GONGXIN_CHECKPOINT_EVERY_MINUTES", 10))
# Called every minute by the background worker (gongxin worker), each a dotted path.
GONGXIN_PERIODIC = ["gongxin.ledger.autosign.checkpoint_if_due", "gongxin.ledger.witnesses.collect_due"]
# Witnesses (gongxin.ledger.witnesses): other offices that countersign checkpoints. One a line or
# ';'-separated: "<witness key> <URL>" (the key as `gongxin witness keygen` printed it).
LEDGER_WITNESSES = [tuple(w.split()) for w in os.environ.get("GONGXIN_WITNESSES", "").replace(";", "\n").splitlines()
                    if w.strip()]
if "publicity" in GONGXIN_APPS:  # notices end the day after their period (unless feedback is open)
    GONGXIN_PERIODIC.append("gongxin.publicity.closing.close_due")
if "workbench" in GONGXIN_APPS:
    GONGXIN_PERIODIC.append("gongxin.workbench.notify.sweep_if_due")

# Reminders (gongxin.workbench): e-mailed when a mail server is configured (Django's EMAIL_*
# settings from the environment), always listed in the app; swept at most every N minutes.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "gongxin@localhost")
GONGXIN_REMINDER_EMAIL = bool(EMAIL_HOST)
GONGXIN_REMINDER_EVERY_MINUTES = int(os.environ.get("GONGXIN_REMINDER_EVERY_MINUTES", "60"))
GONGXIN_SITE_URL = os.environ.get("GONGXIN_SITE_URL", "")

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
