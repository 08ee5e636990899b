"""Settings shared by every environment. Everything that differs comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-dev-key-change-me-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "courses",
    "enrollment",
    "surveys",
    "wagtail.api.v2",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "enrollment.middleware.RateLimitedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "ezlearn.urls"
WSGI_APPLICATION = "ezlearn.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: DATABASE_URL (PostgreSQL in CI and production), SQLite by default.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE: concurrent writers queue for the lock instead of failing with
    # "database is locked" (select_for_update is a no-op on SQLite).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=20000; "
        "PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Traditional Chinese by default, English complete.
LANGUAGE_CODE = "zh-hant"
LANGUAGES = [
    ("zh-hant", "繁體中文"),
    ("en", "English"),
    ("vi", "Tiếng Việt"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "ezlearn_language"
TIME_ZONE = "Asia/Taipei"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("zh-hant", "繁體中文")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Email (Django 6.1 MAILERS): the console by default; SMTP when EMAIL_HOST is set.
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "EZ-Learn <no-reply@ezlearn.example>")

# Celery: with no broker configured, tasks run eagerly in-process (the embedded default).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    CELERY_BROKER_URL = "memory://localhost//"  # never used: tasks run in-process
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request that queues a task must not hang on a dead or unreachable Redis: one quick
# retry, then give up (the outbox keeps the message; beat's relay sends it later). A refused
# connection fails at once; a silent host after 2 publish tries x 2 connects x 1 s. The
# max_retries/interval_* here govern reconnecting before a publish, not the worker's own
# reconnection loop (broker_connection_retry).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
    "socket_connect_timeout": 1,
    "socket_timeout": 10,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# Celery's own scheduler (one `celery beat` process; see docs/notifications.md). Times are
# Taipei time (CELERY_TIMEZONE). Every task is idempotent, so a late or repeated run is
# harmless; `expires` drops runs that queued up while no worker was listening.
CELERY_BEAT_SCHEDULE: dict = {
    "notifications-send-due": {
        "task": "enrollment.tasks.notifications_send_due",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
    "reminders-queue-due": {
        # Hourly in the daytime: reminders go out the morning before the first class, and
        # learners who enroll later in the day still get one. No emails at night.
        "task": "enrollment.tasks.reminders_queue_due",
        "schedule": crontab(minute=0, hour="9-20"),
        "options": {"expires": 30 * 60},
    },
    "reserved-seats-release-due": {
        "task": "enrollment.tasks.reserved_seats_release_due",
        "schedule": crontab(minute="*/10"),
        "options": {"expires": 9 * 60},
    },
    "course-completion-decide-due": {
        "task": "enrollment.tasks.course_completion_decide_due",
        "schedule": crontab(minute=20),
        "options": {"expires": 50 * 60},
    },
    # Certificates a worker lost mid-batch (or whose task never reached the broker).
    "certificates-sweep": {
        "task": "enrollment.tasks.certificates_sweep",
        "schedule": crontab(minute="5,35"),
        "options": {"expires": 25 * 60},
    },
    # Surveys: daytime only, nobody gets a survey email at night.
    "surveys-invitations-sweep": {
        "task": "surveys.tasks.invitations_sweep",
        "schedule": crontab(minute=15, hour="9-20"),
        "options": {"expires": 30 * 60},
    },
    "surveys-reminders-send-due": {
        "task": "surveys.tasks.invitation_reminders_send_due",
        "schedule": crontab(minute=45, hour="10-18"),
        "options": {"expires": 30 * 60},
    },
    # Report summaries a lost refresh task left behind (day and night: no email involved).
    "surveys-report-summaries-refresh-stale": {
        "task": "surveys.tasks.report_summaries_refresh_stale",
        "schedule": crontab(minute="*/10"),
        "options": {"expires": 9 * 60},
    },
}
# Public certificate verification (/certificates/verify/): at most LIMIT pages per WINDOW
# seconds per client address (0 turns the limit off). Behind a reverse proxy name the header
# carrying the client's address, e.g. HTTP_X_FORWARDED_FOR (its right-most entry is used).
CERTIFICATES_VERIFY_RATE_LIMIT = (
    int(os.environ.get("CERTIFICATES_VERIFY_RATE_LIMIT", "30")),
    int(os.environ.get("CERTIFICATES_VERIFY_RATE_WINDOW", "60")),
)
CERTIFICATES_VERIFY_IP_HEADER = os.environ.get("CERTIFICATES_VERIFY_IP_HEADER", "")
SURVEYS_REMINDER_AFTER_DAYS = int(os.environ.get("SURVEYS_REMINDER_AFTER_DAYS", "4"))

# Wagtail's own background work (reference index, file clean-up) runs immediately.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

WAGTAIL_SITE_NAME = "EZ-Learn"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
SITE_URL = WAGTAILADMIN_BASE_URL
WAGTAILSEARCH_BACKENDS = {
    # Picks PostgreSQL full-text search on PostgreSQL and SQLite FTS on SQLite.
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILAPI_BASE_URL = SITE_URL
WAGTAILAPI_LIMIT_MAX = 100
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

# Citizens' accounts (django-allauth): sign up and sign in with an email address or a Taiwanese
# mobile number; the number is kept on the learner (enrollment/accounts.py). Staff sign in to
# the Wagtail admin at /admin/login/ with their username.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
WAGTAILADMIN_LOGIN_URL = "wagtailadmin_login"
LOGIN_REDIRECT_URL = "/my/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "enrollment.accounts.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "enrollment.accounts.LoginForm",
    "request_login_code": "enrollment.accounts.RequestLoginCodeForm",
    "signup": "enrollment.accounts.SignupForm",
}
ACCOUNT_USER_DISPLAY = "enrollment.accounts.user_display"
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
# Email and mobile are each optional; the sign-up form requires one of them, which allauth's
# check account.W001 cannot see.
ACCOUNT_SIGNUP_FIELDS = ["phone", "email", "password1*", "password2*"]
SILENCED_SYSTEM_CHECKS = ["account.W001"]
ACCOUNT_UNIQUE_EMAIL = True
# Optional: a senior can enroll straight away; the confirmation link is still sent and works
# with one tap (no second "confirm" button).
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CONFIRM_EMAIL_ON_GET = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[EZ-Learn] "
# "Send me a sign-in code" by email or text message: no password to remember.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# A mobile number is proved by typing back a texted code: at sign-up (which is also how an
# account claims a learner first registered at a counter) and at the next login if it was not.
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
# Six digits, no dashes: easy to read off a phone and to type on its number pad.
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_LOGIN_BY_CODE_FORMAT = ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT
# Where text messages go: the log by default; production sets a provider's backend.
EZLEARN_SMS_BACKEND = os.environ.get("EZLEARN_SMS_BACKEND", "enrollment.phone.ConsoleSmsBackend")

EZLEARN_SENIOR_AGE = int(os.environ.get("EZLEARN_SENIOR_AGE", "65"))
EZLEARN_INDIGENOUS_SENIOR_AGE = int(os.environ.get("EZLEARN_INDIGENOUS_SENIOR_AGE", "55"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "celery": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
