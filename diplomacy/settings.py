"""Settings for the Diplomacy Archive, read from the environment.

Every value a deployment changes comes from an environment variable, read by
the small helpers below, which stop start-up with a message naming the
variable when its value cannot be understood.
"""

import datetime
import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}.")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}.") from None


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The archive's public address (scheme and host, no path), e.g. https://archive.example.org: what a
# report's PDF prints as its permalink, so web processes and workers set the same PDF whichever
# host name or port a request came by. Empty: each request's own address, and no PDF is set ahead.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
if SITE_URL and not re.fullmatch(r"https?://[^/\s?#]+", SITE_URL):
    raise ImproperlyConfigured(
        f"SITE_URL must be a scheme and a host, like https://archive.example.org; got {SITE_URL!r}."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "axes",
    "csp",
    "diplomacy",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "articles.previews.PreviewMiddleware",  # editors' previews of drafts are never cached for others
    "diplomacy.routers.ReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "articles.security.PermissionsPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its 429 page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: it refuses a locked-out account or address before any password check.
    "articles.security.SignInGuardBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "diplomacy.urls"

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

WSGI_APPLICATION = "diplomacy.wsgi.application"

# SQLite in the project folder unless DATABASE_URL names another database.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", 5)
    # Through pgbouncer in transaction mode (docs/deployment.md): no server-side cursors, which
    # would outlive the transaction the pooler gives them.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DATABASE_POOLED", False)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer instead of failing at once under concurrent requests.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

# Read replicas (PostgreSQL streaming replicas, docs/deployment.md): anonymous reads are spread
# over them; writes, editors and a client that wrote a moment ago use the primary
# (diplomacy/routers.py). A replica that is down or lags is skipped until it is checked again.
DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    _replica = dj_database_url.parse(_url)
    if _replica["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URLS must name PostgreSQL databases; got {_url!r}.")
    _replica.update(
        CONN_MAX_AGE=DATABASES["default"].get("CONN_MAX_AGE", 0),
        CONN_HEALTH_CHECKS=False,  # the router's lag query checks the connection each request
        DISABLE_SERVER_SIDE_CURSORS=DATABASES["default"].get("DISABLE_SERVER_SIDE_CURSORS", False),
        TEST={"MIRROR": "default"},
    )
    _replica.setdefault("OPTIONS", {})["connect_timeout"] = env_int("DATABASE_REPLICA_CONNECT_TIMEOUT", 2)
    DATABASES[f"replica{_number}"] = _replica
    DATABASE_REPLICAS.append(f"replica{_number}")
DATABASE_ROUTERS = ["diplomacy.routers.ReplicaRouter"]
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 5)
REPLICA_RETRY_SECONDS = env_int("REPLICA_RETRY_SECONDS", 10)
READ_YOUR_WRITES_SECONDS = env_int("READ_YOUR_WRITES_SECONDS", 10)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

LOGIN_URL = "admin:login"

# Security: safe by default when DEBUG is off; each value can be relaxed from
# the environment (for example behind a proxy that terminates TLS elsewhere).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Size limit for one imported file (import_articles), in bytes.
ARTICLE_IMPORT_MAX_BYTES = env_int("ARTICLE_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
# Report files uploaded in the admin larger than this, together, go to the background workers as a job
# (articles/tasks.py); they are kept in IMPORT_UPLOAD_DIR, which the workers must see at the same path.
ADMIN_BACKGROUND_IMPORT_BYTES = env_int("ADMIN_BACKGROUND_IMPORT_BYTES", 2 * 1024 * 1024)
IMPORT_UPLOAD_DIR = Path(os.environ.get("IMPORT_UPLOAD_DIR") or BASE_DIR / "var" / "uploads")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Django REST framework, django-filter and drf-spectacular.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "articles.api.schema.ArchiveAutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Diplomacy Archive API",
    "DESCRIPTION": "Middle East diplomacy coverage, Arabic first: reports, quotes, mentions, "
    "participants, meetings and agreements.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_ALLOW_ALL_ORIGINS = env_bool("CORS_ALLOW_ALL_ORIGINS", False)
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

# The cache holds the API's throttle counters and the chart images, so every worker process must
# share it: Redis when REDIS_URL names one, else files under CACHE_DIR, counted under a lock, shared
# by the processes of one machine (diplomacy/cache.py). A per-process memory cache let three workers
# answer 1,777 anonymous requests a minute against a limit of 600. While Redis cannot be reached the
# default cache answers as an empty one and logs it (`ForgivingRedisCache`): pages are computed
# afresh instead of failing. `strict` is the same store for code that must know a write was not kept
# (the report PDFs' background job, which retries).
if os.environ.get("REDIS_URL"):
    # a Redis that does not answer costs a request at most a second, not the system's TCP timeout
    _SHARED = {"LOCATION": os.environ["REDIS_URL"], "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}
    CACHES = {
        "default": {**_SHARED, "BACKEND": "diplomacy.cache.ForgivingRedisCache"},
        "strict": {**_SHARED, "BACKEND": "django.core.cache.backends.redis.RedisCache"},
    }
else:
    _SHARED = {
        "BACKEND": "diplomacy.cache.SharedFileCache",
        "LOCATION": os.environ.get("CACHE_DIR") or str(BASE_DIR / "var" / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
    CACHES = {"default": _SHARED, "strict": _SHARED}

# Request bodies: Django refuses a larger form, the API's JSON parser a larger JSON body (413).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)

# --- Sign-in: brute-force protection (django-axes) -----------------------------------------------
# After AXES_FAILURE_LIMIT wrong passwords, the account and the address are each locked (on the
# admin's login and on /api/v1/auth/token/) for AXES_COOLOFF_MINUTES, even to the right password.
# Attempts are kept in the database, so every worker process counts the same ones.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_VERBOSE = False

# --- Content-Security-Policy (django-csp) and Permissions-Policy -----------------------------------
# Every page loads only its own site's files: no inline script, no inline style, no other site.
# JSON-LD and the annotator's data are <script type="application/…json"> data blocks, which never run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Powerful browser features the archive never uses are switched off for it and anything it frames.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
# Background work (Celery, diplomacy/celery.py; tasks in articles/tasks.py): on RabbitMQ
# (amqp://guest:guest@127.0.0.1:5672//) or Redis. Without a broker, tasks run inline, in the
# process that asked for them. A task is acknowledged only when it has finished, so one whose
# worker died is delivered again; each task is idempotent.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
# Inline tasks behave as on a worker: retried on database errors, and a failure is recorded on
# its job (admin, background jobs) rather than raised in the caller.
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_IMPORTS = ["articles.charts.tasks"]
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "diplomacy")
# After a report is published, corrected or withdrawn, workers draw the charts and set its PDFs
# ahead of readers (articles/charts/tasks.py). On by default with a broker; without one it would
# only move that work into the editor's click, so it is off (the first reader sets them, as before).
RENDER_AFTER_CHANGES = env_bool("RENDER_AFTER_CHANGES", not CELERY_TASK_ALWAYS_EAGER)

# --- JSON API (/api/v1/, articles/api/) -------------------------------------------------------
# Anonymous clients are throttled (API_ANON_THROTTLE_RATE, e.g. "120/minute"; "" turns it off);
# editors' tools, signed in by session or token, are not. Errors have one JSON shape
# (articles/api/exceptions.py); lists page by cursor (articles/api/pagination.py).
API_ANON_THROTTLE_RATE = os.environ.get("API_ANON_THROTTLE_RATE", "600/minute") or None
REST_FRAMEWORK.update(
    {
        # Token first: a request with a bad token is told so (401 with WWW-Authenticate), not 403.
        "DEFAULT_AUTHENTICATION_CLASSES": [
            "rest_framework.authentication.TokenAuthentication",
            "rest_framework.authentication.SessionAuthentication",
        ],
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        "DEFAULT_PARSER_CLASSES": ["articles.api.parsers.LimitedJSONParser"],
        "DEFAULT_THROTTLE_CLASSES": ["articles.api.throttling.AnonymousClientThrottle"],
        "EXCEPTION_HANDLER": "articles.api.exceptions.exception_handler",
        "TEST_REQUEST_DEFAULT_FORMAT": "json",
        "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    }
)
SPECTACULAR_SETTINGS.update(
    {
        "COMPONENT_SPLIT_REQUEST": True,
        "SCHEMA_PATH_PREFIX": r"/api/v1",
        "POSTPROCESSING_HOOKS": [
            "drf_spectacular.hooks.postprocess_schema_enums",
            "articles.api.schema.postprocess",
        ],
        "ENUM_NAME_OVERRIDES": {
            "ArticleStatusEnum": "articles.models.Article.Status",
            "AgreementStatusEnum": "diplomacy.models.Agreement.Status",
            "AgreementKindEnum": "diplomacy.models.Agreement.Kind",
            "MeetingKindEnum": "diplomacy.models.Meeting.Kind",
            "ParticipantKindEnum": "diplomacy.models.Participant.Kind",
            "QuoteKindEnum": "articles.models.Quote.Kind",
            "MeetingRoleEnum": "diplomacy.models.Participation.Role",
            "PartyRoleEnum": "diplomacy.models.AgreementParty.Role",
        },
    }
)

# Admin (editors' desk): Arabic by default in /admin/, whatever the browser asks for; the
# header's language switch (set_language) overrides it with the language cookie.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware") + 1,
    "articles.admin.locale.AdminLanguageMiddleware",
)
