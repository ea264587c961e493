"""Bekwaam settings: one file, every value read from the environment (see docs/settings.md)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from bekwaam.lib.env import env_bool, env_int, env_json_object, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
# Tests and `make run` set BEKWAAM_ENV; production leaves it at "production".
BEKWAAM_ENV = env_str("BEKWAAM_ENV", "production")
if BEKWAAM_ENV not in {"production", "development", "test"}:
    # A typo ("prod") would otherwise pass for production in one place and not in another.
    raise ImproperlyConfigured(f"BEKWAAM_ENV must be production, development or test, not {BEKWAAM_ENV!r}.")
TESTING = BEKWAAM_ENV == "test"
PRODUCTION = not (DEBUG or TESTING)

# A development key exists only when DEBUG is on or under test; production must set its own.
SECRET_KEY = env_str("SECRET_KEY", None if PRODUCTION else "dev-only-insecure-key-never-use-in-production")
if PRODUCTION and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")):
    # The same bar as `check --deploy` (security.W009), enforced at start-up: sessions, password-reset
    # links and signed values are only as strong as this key.
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters in production.")
# Old keys still accepted for signatures while a new SECRET_KEY rolls out (docs/operations.md).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG or TESTING else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "bekwaam.accounts",
    "bekwaam.tenancy",
    "bekwaam.audit",
    "bekwaam.lib",
    "bekwaam.frameworks",
    "bekwaam.register",
    "bekwaam.dossier",
    "bekwaam.notifications",
    "bekwaam.conversations",
    "bekwaam.feedback",
    "bekwaam.observations",
    "bekwaam.quality",
    "bekwaam.trajectories",
    "bekwaam.credentials",
    "bekwaam.learning",
    "bekwaam.dialogue",
    "bekwaam.insights",
    "bekwaam.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules.apps.AutodiscoverRulesConfig",
    "auditlog",
    "axes",
    "csp",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "bekwaam.lib.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "bekwaam.tenancy.middleware.TenantMiddleware",
    "bekwaam.accounts.middleware.RequireMfaMiddleware",
    # django-axes must come last (STACK-NOTES trap 8).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bekwaam.urls"
WSGI_APPLICATION = "bekwaam.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "bekwaam" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bekwaam.lib.context_processors.csp_nonce",
                "bekwaam.tenancy.context_processors.tenant",
            ],
        },
    },
]

# Database: SQLite file by default (nothing to install); PostgreSQL in production via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'bekwaam.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
if TESTING:
    # STACK-NOTES trap 9: a much faster suite; never used outside tests.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# allauth: e-mail + password, no self sign-up (people are invited), MFA with TOTP and recovery codes.
ACCOUNT_ADAPTER = "bekwaam.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = False
# Axes locks an account after five wrong passwords. allauth's "login_failed" limit also guards
# the TOTP step (key "mfa-auth-user-<pk>"), so it must stay on: ten failures per key per quarter
# hour, and no per-IP part (a school's staff share one address). Passwords hit axes' five first.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/900s/key"}
MFA_ADAPTER = "bekwaam.accounts.mfa_adapter.MFAAdapter"
# TOTP secrets are encrypted with a key derived from this (default: SECRET_KEY; old keys in
# SECRET_KEY_FALLBACKS still decrypt). Changing it without a fallback makes everyone set up MFA again.
MFA_ENCRYPTION_KEY = env_str("MFA_ENCRYPTION_KEY", "")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Bekwaam"
MFA_RECOVERY_CODE_COUNT = 10

# django-auditlog writes into our own model, which links each change to its boards (bekwaam/audit/models.py).
AUDITLOG_LOGENTRY_MODEL = "audit.ChangeEntry"
# auditlog's own migrations would still create its (swapped-out) auditlog_logentry table, with a
# foreign key to people that makes PostgreSQL refuse the test flush; the app has no other models.
MIGRATION_MODULES = {"auditlog": None}

# django-axes: five wrong passwords lock the account (per e-mail address) for 30 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = ["username"]
# allauth's form field is "login", but axes reads the credentials allauth passes to authenticate(),
# which name the (lower-cased) address "email"; with "login" axes saw no username and never locked.
AXES_USERNAME_FORM_FIELD = "email"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
# axes.W006 asks to lock by IP too. A school's staff share one public IP address (NAT), so five
# typos anywhere in a school would lock the whole school out: limit by IP at the proxy instead
# (docs/operations.md).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "bekwaam" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "bekwaam" / "static"]
# In development and tests whitenoise serves from the finders; production serves collectstatic's output.
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    # Tests keep uploads in memory: nothing lands in var/media, nothing leaks between runs.
    "default": {
        "BACKEND": "django.core.files.storage.InMemoryStorage"
        if TESTING
        else env_str("DEFAULT_FILE_STORAGE", "django.core.files.storage.FileSystemStorage"),
        # For example {"bucket_name": "bekwaam", "endpoint_url": "https://s3.example.nl"} (docs/settings.md).
        "OPTIONS": {} if TESTING else env_json_object("FILE_STORAGE_OPTIONS"),
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads (imports, evidence) larger than this are refused before they reach a form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5 * 1024 * 1024)
# Portfolio uploads (docs/settings.md); a dossier import ZIP may hold many of them.
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 25 * 1024 * 1024)
DOSSIER_IMPORT_MAX_BYTES = env_int("DOSSIER_IMPORT_MAX_BYTES", 500 * 1024 * 1024)
# Certificates and diplomas: the dossier warns this many days before they expire.
EXPIRY_WARNING_DAYS = env_int("EXPIRY_WARNING_DAYS", 60)

# E-mail: printed to the console in development; SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Bekwaam <noreply@bekwaam.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Conversations and feedback (docs/conversations.md, docs/feedback.md, docs/notifications.md).
# A reminder goes out this many days before a planned conversation, and when a signature has waited this long.
CONVERSATION_REMINDER_DAYS = env_int("CONVERSATION_REMINDER_DAYS", 2)
SIGNATURE_REMINDER_DAYS = env_int("SIGNATURE_REMINDER_DAYS", 7)
# A group of raters shows its figures and comments only from this many answers (anonymity threshold).
FEEDBACK_MIN_GROUP_SIZE = env_int("FEEDBACK_MIN_GROUP_SIZE", 3)
if FEEDBACK_MIN_GROUP_SIZE < 2:
    raise ImproperlyConfigured("FEEDBACK_MIN_GROUP_SIZE must be at least 2: one answer alone is never anonymous.")
# School and board pages show a figure about people only for groups of at least this many (lesson-visit team
# reports for viewers who may not see every visit; the insights pages of issue 7). Smaller groups are withheld.
AGGREGATE_MIN_GROUP_SIZE = env_int("AGGREGATE_MIN_GROUP_SIZE", 5)
if AGGREGATE_MIN_GROUP_SIZE < 2:
    raise ImproperlyConfigured("AGGREGATE_MIN_GROUP_SIZE must be at least 2: one person alone is never anonymous.")
# Team dialogue: participants may add answers and statements this many days after the session was held.
DIALOGUE_ADDITION_DAYS = env_int("DIALOGUE_ADDITION_DAYS", 7)
# E-learning: the largest downloadable lesson material (the same checks as dossier evidence).
LEARNING_MATERIAL_MAX_BYTES = env_int("LEARNING_MATERIAL_MAX_BYTES", 50 * 1024 * 1024)
# The read-only API: session sign-in only (the same policy layer as the pages); aggregates only.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Bekwaam API",
    "DESCRIPTION": "Read-only aggregates (insights). Groups smaller than AGGREGATE_MIN_GROUP_SIZE are withheld.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}
# Schoolleidersregister points for an assessment afterwards (REFERENCE.md section 0.1; bekwaam.register.points):
# from this learning level each theme shown counts REGISTER_POINTS_PER_THEME; the bonus is once per assessment.
REGISTER_MIN_LEARNING_LEVEL = env_int("REGISTER_MIN_LEARNING_LEVEL", 4)
REGISTER_POINTS_PER_THEME = env_int("REGISTER_POINTS_PER_THEME", 10)
REGISTER_LEVEL_BONUS = {
    int(k): int(str(v)) for k, v in env_json_object("REGISTER_LEVEL_BONUS", {"5": 10, "6": 20}).items()
}
REGISTER_MAX_POINTS_PER_ASSESSMENT = env_int("REGISTER_MAX_POINTS_PER_ASSESSMENT", 100)
# Reminders to a school leader short on points, this many months before their period ends.
REGISTER_REMINDER_MONTHS = [int(m) for m in env_list("REGISTER_REMINDER_MONTHS", ["12", "6", "3"])]
# Private signing keys of aanbieders are stored encrypted with this Fernet key (32 url-safe base64 bytes);
# empty: a key derived from SECRET_KEY. A key given as BEKWAAM_SIGNING_KEY_<kid> in the environment is used
# instead of the stored one (credentials.keys).
CREDENTIALS_KEY_ENCRYPTION_KEY = env_str("CREDENTIALS_KEY_ENCRYPTION_KEY", "")
# An uploaded credential file larger than this is refused unread (bytes).
CREDENTIALS_MAX_UPLOAD_BYTES = env_int("CREDENTIALS_MAX_UPLOAD_BYTES", 64 * 1024)
# Asynchronous bounce reports (a mail provider's webhook) are accepted with this bearer token; empty: off.
BOUNCE_WEBHOOK_TOKEN = env_str("BOUNCE_WEBHOOK_TOKEN", "")

# Cache: shared by all web and worker processes, so allauth's single-use TOTP codes and rate limits
# hold across processes. Redis when REDIS_URL is set, else a database table (made by a migration).
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "bekwaam_cache"}}

# Background work: the Django tasks API, database backend, `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TESTING or env_bool("TASKS_IMMEDIATE", default=False)
        else "django_tasks_db.DatabaseBackend",
    }
}

INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)

# Security headers. HTTPS settings switch on outside DEBUG so `check --deploy` is clean.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # A load balancer probes /health/ over plain HTTP inside the network; it must not get a redirect.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # allauth shows the TOTP QR code as a data: URI
        # E-learning videos (learning.video): YouTube (privacy-enhanced) and Vimeo players in a frame; other
        # http(s) video files play in <video>; anything else is shown as a link.
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "media-src": [SELF, "https:"],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
