"""Settings of the workspace, read from the environment.

The defaults are the *embedded* set-up: SQLite in ``var/``, the in-memory channel layer, no
other service. ``DATABASE_URL`` and ``REDIS_URL`` switch to the scaled set-up, and
``WORKSPACE_MODE=production`` turns on the production hardening (a secret key from the
environment is then required). ``docs/settings.md`` describes every variable.
"""

from __future__ import annotations

import os
import secrets
from datetime import date, timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    """Return the environment variable ``name`` stripped, or ``default``."""
    value = os.environ.get(name)
    return default if value is None or value.strip() == "" else value.strip()


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no variable; anything but a known spelling is an error, not a silent no."""
    value = env_str(name)
    if not value:
        return default
    lowered = value.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    try:
        return int(value) if value else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    return [item.strip() for item in value.split(",") if item.strip()] if value else default


MODE = env_str("WORKSPACE_MODE", "embedded")
if MODE not in {"embedded", "production"}:
    raise ImproperlyConfigured("WORKSPACE_MODE must be 'embedded' or 'production'")
PRODUCTION = MODE == "production"
DEBUG = env_bool("DJANGO_DEBUG", False)
VAR_DIR = Path(env_str("WORKSPACE_VAR_DIR", str(BASE_DIR / "var")))


def _secret_key() -> str:
    key = env_str("DJANGO_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when WORKSPACE_MODE=production")
    # Embedded demo: a random key kept in var/ so sessions survive a restart. Never committed.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)
if "*" in ALLOWED_HOSTS:
    # AllowedHostsOriginValidator would then accept WebSockets from any origin.
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list host names, not '*'")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "guardian",
    "reversion",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "core",
    "live",
    "accounts",
    "recommendations",
    "comments",
    "publication",
    "conference",
    "commitments",
    "notifications",
    "workspace",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.UserTimeZoneMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "core.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "workspace.urls"
ASGI_APPLICATION = "workspace.asgi.application"
WSGI_APPLICATION = None

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
                "notifications.context.header",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0), conn_health_checks=True
        )
    }
    # No JIT compilation: PostgreSQL compiles a query whose estimated cost is high, which the
    # list's visibility rule reaches at conference scale (10,000 texts); compiling took 27 of
    # its 78 ms, to run a 26-ms query. Pages run short queries, where JIT never pays.
    if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = " ".join(filter(None, [_options.get("options"), "-c jit=off"]))
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": Path(env_str("WORKSPACE_SQLITE_PATH", str(VAR_DIR / "workspace.sqlite3"))),
            # WAL + immediate transactions: writers queue instead of failing with "locked".
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            "TEST": {"NAME": env_str("WORKSPACE_TEST_SQLITE_PATH", str(VAR_DIR / "test.sqlite3"))},
            # Kept open between requests. A new SQLite connection re-prepares every statement
            # (the statement cache is per connection): the home page's 25 queries cost 15 ms
            # more on a fresh one (docs/performance.md). Django advises against persistent
            # connections under ASGI because each thread keeps its own, which for a database
            # server means connection slots; here a connection is a file handle of this
            # process, and the threads are few (one for the views under ASGI, the small pools
            # of Channels and the tasks worker, which close theirs by age as Django does).
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 600),
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Threads that run the HTTP views under ASGI (workspace.handlers): each keeps its database
# connection between requests (CONN_MAX_AGE), so this is also the most connections the web
# process opens. A request waits for a free thread when all are busy.
WORKSPACE_VIEW_THREADS = env_int("WORKSPACE_VIEW_THREADS", 8)


# --- Cache and abuse limits ---------------------------------------------------------------
# With Redis the cache (and so the rate-limit counters) is shared by every process.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("REDIS_URL"),
            "KEY_PREFIX": env_str("CHANNELS_PREFIX", "workspace"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
        if env_str("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Per person (comment, report, endorse, api-token) and, for anonymous requests only, per
# address (anonymous); "kind=count/period" with periods s, m, h, d; an empty value turns a
# kind off, "off" all of them. core/ratelimit.py reads them; a malformed rate stops start-up (a system check).
_RATES = env_str(
    "WORKSPACE_RATE_LIMITS",
    "comment=30/10m,report=20/h,endorse=30/h,api-token=600/m,anonymous=300/m,"
    "invite=30/h,password-reset=5/h",
)
RATE_LIMITS = {
    kind.strip(): rate.strip()
    for kind, _sep, rate in (item.partition("=") for item in _RATES.split(",") if item.strip())
    if rate.strip() and _RATES != "off"
}

# --- Channel layer --------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # channels-redis, joining a socket's groups in one round trip (live.layers).
            "BACKEND": "live.layers.RedisChannelLayer",
            "CONFIG": {
                # A large pool: bursts of handshakes each need a connection for group_add, and
                # redis-py's default (100) raised MaxConnectionsError under load. Short
                # timeouts: a Redis that is down must fail fast, not hold up a saved write.
                # The read timeout must exceed channels-redis' blocking receive (BZPOPMIN of
                # 5 s): at 5 s an idle receive timed out now and then, which crashed the
                # consumer holding the receive lock and dropped its client (bench/ws_fanout.py).
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "max_connections": env_int("REDIS_MAX_CONNECTIONS", 5000),
                        "socket_connect_timeout": 2,
                        "socket_timeout": 8,
                    }
                ],
                "prefix": env_str("CHANNELS_PREFIX", "workspace"),
                "capacity": 1000,
                "expiry": 30,
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "live.layers.InMemoryChannelLayer"}}
# Presence (who is viewing or editing) lives in Redis when there is one, else in the process.
PRESENCE_TIMEOUT = env_int("PRESENCE_TIMEOUT_SECONDS", 12)

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; anonymous sees only published.
GUARDIAN_RAISE_403 = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env_bool("WORKSPACE_FAST_HASHER", False):
    if PRODUCTION:
        raise ImproperlyConfigured("WORKSPACE_FAST_HASHER is for test servers, never production")
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Login throttling (django-axes): per user name *and* address, with a finite cool-off so
# nobody can lock another person out for good. The address is REMOTE_ADDR unless
# WORKSPACE_TRUSTED_PROXIES says how many proxies in X-Forwarded-For to trust.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.http.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
WORKSPACE_TRUSTED_PROXIES = env_int("WORKSPACE_TRUSTED_PROXIES", 0)

# Two-factor sign-in (django-otp; docs/security.md). The policy itself is accounts.two_factor.
TWO_FACTOR_REQUIRED_FOR_ROLES = env_bool("WORKSPACE_TWO_FACTOR_REQUIRED", PRODUCTION)
TWO_FACTOR_STEP_UP_SECONDS = 60 * env_int("WORKSPACE_TWO_FACTOR_STEP_UP_MINUTES", 5)
OTP_TOTP_ISSUER = env_str("WORKSPACE_TWO_FACTOR_ISSUER", "MC2CM workspace")
OTP_TOTP_THROTTLE_FACTOR = 1  # wrong codes: wait 1, 2, 4, 8... seconds (never 0 = off)
OTP_STATIC_THROTTLE_FACTOR = 1
# Passkeys (django-otp-webauthn), a second factor only: bound to the host name the site is
# opened at (one of ALLOWED_HOSTS, never an IP address), checked by accounts.passkeys.
OTP_WEBAUTHN_RP_NAME = OTP_TOTP_ISSUER
OTP_WEBAUTHN_RP_ID_CALLABLE = "accounts.passkeys.relying_party_id"
OTP_WEBAUTHN_HELPER_CLASS = "accounts.passkeys.PasskeyHelper"
OTP_WEBAUTHN_ALLOWED_ORIGINS = (
    [f"https://{host.lstrip('.')}" for host in ALLOWED_HOSTS]
    if PRODUCTION
    else ["http://localhost:8000"]
)
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# --- Security headers -----------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # scripts read the token from the page's <meta>, not the cookie
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is a commitment for the whole domain, made by the operator on purpose
        # (DJANGO_HSTS_PRELOAD=true); HSTS itself is on either way.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# A strict policy from the first page: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Times are stored in UTC; the conference's zone is the default zone people read them in
# (each person may choose their own on the profile: accounts.zones).
TIME_ZONE = "UTC"
WORKSPACE_TIME_ZONE = env_str("WORKSPACE_TIME_ZONE", "Asia/Beirut")
USE_I18N = True
USE_TZ = True
# Dates and times in each language's own order (workspace/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["workspace.formats"]

# --- Follow-up of commitments ---------------------------------------------------------------
# Progress on commitments can be reported from this day (the day after the conference).
try:
    WORKSPACE_FOLLOWUP_FROM = date.fromisoformat(env_str("WORKSPACE_FOLLOWUP_FROM", "2017-11-09"))
except ValueError as exc:
    raise ImproperlyConfigured("WORKSPACE_FOLLOWUP_FROM must be a date as YYYY-MM-DD") from exc
# An open commitment without a progress update for longer than this is flagged as stale.
WORKSPACE_FOLLOWUP_STALE_DAYS = env_int("WORKSPACE_FOLLOWUP_STALE_DAYS", 90)
# --- Uploaded files (organisation logos, re-encoded by the server) ----------------------------
MEDIA_ROOT = Path(env_str("WORKSPACE_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"  # never served as such: logos go through their own view (nosniff)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that missing or bad credentials answer 401 with WWW-Authenticate.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.parsers.BoundedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["core.api.TokenUseThrottle"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MC2CM policy-recommendations workspace API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "accounts.models.OrganisationKind",
        "RecommendationStatusEnum": "recommendations.models.Status",
        "ProgressStatusEnum": "commitments.models.ProgressStatus",
    },
}

# --- Tasks and e-mail ---------------------------------------------------------------------
# Work off the request path (e-mail) goes through Django's tasks API (the django-tasks
# backport) into the database queue in both set-ups; `manage.py db_worker` runs it (`make run`
# starts one beside Daphne: `manage.py serve`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The address links in e-mails point to (scheme, host and port the readers use).
WORKSPACE_BASE_URL = env_str("WORKSPACE_BASE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "MC2CM workspace <workspace@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
WORKSPACE_MAIL_DOMAIN = env_str("WORKSPACE_MAIL_DOMAIN", "mc2cm-workspace.local")
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 5)
# Embedded: one .eml file per message in var/mail/. Scaled: SMTP from EMAIL_URL
# (smtp://user:password@host:587/?tls=True) or the usual EMAIL_HOST, EMAIL_PORT,
# EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS / EMAIL_USE_SSL.
EMAIL_FILE_PATH = env_str("WORKSPACE_MAIL_DIR", str(VAR_DIR / "mail"))
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
if env_str("EMAIL_URL"):
    import dj_email_url

    _email = dj_email_url.parse(env_str("EMAIL_URL"))
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
    EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
elif env_str("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("EMAIL_HOST")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "notifications.backends.FileBackend"

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "daphne": {"level": "WARNING"},
        # An edition's PDF (publication/pdf.py): no line per layout step or font subset.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
