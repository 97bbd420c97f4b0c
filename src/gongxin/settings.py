"""Settings, read from the environment.

DATABASE_URL     default: SQLite file in GONGXIN_DATA_DIR (default ./data)
SECRET_KEY       default: generated once and kept in the data folder
ALLOWED_HOSTS    comma-separated; default "127.0.0.1,localhost"
DEBUG            "1" to turn on; off by default
GONGXIN_LEDGER_KEY_FILE / GONGXIN_LEDGER_KEY   the ledger's Ed25519 signing key
GONGXIN_TRUSTED_PROXIES  reverse proxies whose X-Forwarded-For is believed; default none
REDIS_URL        background jobs through Redis (RQ) instead of the database; default none
"""

import ipaddress
import os
import secrets
from importlib.util import find_spec
from datetime import timedelta
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("GONGXIN_DATA_DIR", Path.cwd() / "data")).resolve()


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = _env_bool("DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# The product's own apps, in one list: INSTALLED_APPS, the URL map (gongxin.urls), the API
# (gongxin.api) and the demo (gongxin.core.demo) all read it. An app named here whose package
# is not in the tree yet is skipped, so a new app plugs in by creating its package.
GONGXIN_APPS = [
    app for app in [
        "core", "jobs", "ledger", "people", "accounts", "cases", "meetings", "inspection",
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
# Dotted paths the worker calls once a minute (gongxin/jobs/periodic.py).
GONGXIN_PERIODIC: list[str] = []

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gongxin.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongxin.core.middleware.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",
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
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # One writer at a time, taken at BEGIN: no "database is locked" mid-transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login failures: five per user name and address, then a 15-minute lock.
# Reverse proxies whose X-Forwarded-For is believed (core/clientip.py): comma-separated
# addresses or networks. Checked here, so that a typo stops the server from starting.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("GONGXIN_TRUSTED_PROXIES", "").split(",") if p.strip()]
for _proxy in TRUSTED_PROXIES:
    ipaddress.ip_network(_proxy, strict=False)

AXES_CLIENT_IP_CALLABLE = "gongxin.core.clientip.client_ip"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
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
if not DEBUG:
    SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES")
    CSRF_COOKIE_SECURE = _env_bool("SECURE_COOKIES")

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LEDGER_ORIGIN = os.environ.get("GONGXIN_LEDGER_ORIGIN", "gongxin.example/ledger")
LEDGER_KEY_NAME = os.environ.get("GONGXIN_LEDGER_KEY_NAME", "gongxin-ledger")
LEDGER_KEY_FILE = os.environ.get("GONGXIN_LEDGER_KEY_FILE", str(DATA_DIR / "ledger_ed25519.key"))

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
