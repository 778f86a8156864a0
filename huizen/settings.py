"""Settings for huizen, read from the environment in this one place (see .env.example).

Development is the default (DEBUG=true): SQLite, console e-mail, eager Celery tasks, local hosts only.
Production sets DEBUG=false and then refuses to start without SECRET_KEY, ALLOWED_HOSTS and SITE_URL.
"""

import datetime as dt
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DEBUG", default=True)
# Demo mode: seed_demo may run and the login page shows the demo accounts. Never in production.
DEMO_MODE = env.bool("DEMO_MODE", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production mode (DEBUG=false) refuses to start without one; see .env.example."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set; production mode needs it (see .env.example).")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SITE_NAME = env.str("SITE_NAME", default="Huizen van de Wijk")
# Where the site lives, for links in e-mails sent outside a request (Celery): scheme and host, no trailing slash.
# Production refuses to start without it: ALLOWED_HOSTS may hold "*" or ".example.nl", which make no link.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not SITE_URL:
    raise ImproperlyConfigured("SITE_URL is not set; production mode needs it for the links in e-mails.")
SITE_ID = 1

# The accessibility statement (/toegankelijkheid/): where to report a problem, how soon we answer, and the date
# of the last check (axe-core in the browser tests plus a keyboard walk-through); update it after each check.
ACCESSIBILITY_CONTACT_EMAIL = env.str("ACCESSIBILITY_CONTACT_EMAIL", default="toegankelijkheid@example.nl")
# Where residents send questions about their personal data (the privacy statement; the register of processing).
PRIVACY_CONTACT_EMAIL = env.str("PRIVACY_CONTACT_EMAIL", default="privacy@example.nl")
ACCESSIBILITY_RESPONSE_DAYS = 5  # working days for a first answer
ACCESSIBILITY_CHECKED_ON = dt.date(2026, 11, 30)

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "huizen.apps.HuizenAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    # A second factor (TOTP with recovery codes, or a passkey) and the list of one's own sessions; see MFA_* and
    # USERSESSIONS_*.
    "allauth.mfa",
    "allauth.usersessions",
    "django_filters",
    "django_htmx",
    "huizen",
    "accounts",
    "locations",
    "activities",
    "bookings",
    "audit",
    "volunteers",
    "reporting",
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "huizen.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff without a second factor reach nothing but setting one up (accounts.policy.needs_second_factor).
    "accounts.mfa.SecondFactorMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "huizen.urls"
WSGI_APPLICATION = "huizen.wsgi.application"

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
                "huizen.context_processors.site",
            ],
        },
    },
]

# Database: SQLite by default, PostgreSQL (psycopg 3) when DATABASE_URL says so.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue up instead of failing at once; IMMEDIATE takes the write lock at BEGIN.
    DATABASES["default"]["OPTIONS"] = {"timeout": 30, "transaction_mode": "IMMEDIATE"}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: our queries are short, and JIT compiling them cost seconds once tables grew (the agenda feed's
    # query at 10 million rows: 0.1 s without, up to 4.8 s with). Off for every connection of the app.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["options"] = " ".join(
        filter(None, [DATABASES["default"]["OPTIONS"].get("options", ""), "-c jit=off"])
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "start"

# django-allauth: log in with an e-mail address; residents verify their address before logging in.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Sign-up also asks for a first name, an optional surname and the preferred language (accounts.forms.SignupForm);
# the adapter stores them and sends allauth's e-mails in the recipient's language, naming the site by SITE_NAME
# (in the subject too: "[SITE_NAME] ...").
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# The login form shows "Forgot your password?" after the submit button, not between e-mail and password.
ACCOUNT_FORMS = {"login": "accounts.login_form.LoginForm"}
# Following the link in the confirmation e-mail (in the browser that signed up) logs the person in.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False

# Second factor (allauth.mfa): an authenticator app (TOTP, 6 digits every 30 seconds) with 10 one-time recovery
# codes. Staff whose role reaches personal data must set one up before any staff page opens (accounts/mfa.py);
# anyone may. A passkey (WebAuthn: the phone's or laptop's fingerprint, face or PIN, or a security key) counts as
# a second factor too, offered only where the browser supports it; it is a second step only, never a login without
# the password (MFA_PASSKEY_LOGIN_ENABLED stays False, the login page is unchanged). allauth's WebAuthn scripts are
# static files and their data is <script type="application/json">, so the Content-Security-Policy holds. No "trust
# this browser" cookie: every login asks the second step. Adding or removing a factor asks for the password again if
# the login is older than a few minutes. The app shows SITE_NAME as the account's issuer.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# Browsers allow WebAuthn only on https and http://localhost. The origin check (fido2, through allauth) accepts
# https://<host> and http://localhost; this lets any origin through, so only in development (DEBUG: the development
# server on http://127.0.0.1), never in production. The tests run with DEBUG off and need it not: the browser tests'
# live server is http://localhost, the unit tests' origin https://testserver.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_TOTP_ISSUER = SITE_NAME
MFA_TRUST_ENABLED = False
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
# The code fields say what to type, and phones offer the number pad and the code from a text or app.
MFA_FORMS = {
    "authenticate": "accounts.mfa.AuthenticateForm",
    "reauthenticate": "accounts.mfa.ReauthenticateForm",
    "activate_totp": "accounts.mfa.ActivateTOTPForm",
    "add_webauthn": "accounts.mfa.AddWebAuthnForm",
    "authenticate_webauthn": "accounts.mfa.AuthenticateWebAuthnForm",
    "edit_webauthn": "accounts.mfa.EditWebAuthnForm",
}
# Sessions (allauth.usersessions): everyone sees where they are logged in and can end a session, or all of them.
# Each session keeps the address and browser it logged in from, and is deleted when it ends. No last-seen tracking:
# it would write to the database on every page and keep more about people than the list needs.
USERSESSIONS_TRACK_ACTIVITY = False
USERSESSIONS_ADAPTER = "accounts.adapter.UserSessionsAdapter"

# E-mail: the console in development; EMAIL_URL (smtp+tls://user:pass@host:587) in production.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Huizen van de Wijk <noreply@example.nl>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Language and time: Dutch first, English complete; Europe/Amsterdam.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
# Our catalogue first; then overrides of third-party wording (see locale_overrides/).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# Static files: our own, plus the NL Design System CSS, its open theme and htmx from npm (node_modules),
# served by whitenoise. Nothing is loaded from a CDN.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/utrecht", NODE_MODULES / "@utrecht" / "component-library-css" / "dist"),
    ("vendor/theme", NODE_MODULES / "@nl-design-system-unstable" / "voorbeeld-design-tokens" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Redis: the Celery broker and the cache, when configured. Without it tasks run eagerly.
# Redis may go away without taking the site with it: sessions live in the database, the cache falls back to each
# process's memory (huizen/cache.py), and follow-up tasks wait in the outbox table (huizen/outbox.py) until the
# minute's flush hands them to the broker again. /healthz still reports the broker down.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Handing a task to an unreachable broker fails within a second or so (the outbox tries again), instead of
# keeping a web request waiting.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# The periodic schedule is declared here, in code; exactly one beat process runs it (docker-compose.yml).
CELERY_BEAT_SCHEDULE: dict = {
    # A flush that waited longer than its minute is dropped: the next one does the same work.
    "flush-outbox": {"task": "huizen.tasks.flush_outbox", "schedule": 60, "options": {"expires": 55}},
    "clear-expired-sessions": {"task": "huizen.tasks.clear_expired_sessions", "schedule": 24 * 60 * 60},
    "expire-booking-requests": {"task": "bookings.tasks.expire_requests", "schedule": 60 * 60},
    # The previous quarter's reports (every house and the network): provisional on the first day of a quarter,
    # final ten days later, when coordinators have closed out sessions and written their explanations. 06:00 in
    # Amsterdam (CELERY_TIMEZONE), also after the change to or from summer time.
    "reports-provisional": {
        "task": "reporting.report_tasks.build_quarter_reports",
        "schedule": crontab(minute=0, hour=6, day_of_month=1, month_of_year="1,4,7,10"),
        "args": ("provisional",),
    },
    "reports-final": {
        "task": "reporting.report_tasks.build_quarter_reports",
        "schedule": crontab(minute=0, hour=6, day_of_month=11, month_of_year="1,4,7,10"),
        "args": ("final",),
    },
    # The daily rollups (reporting.rollups): new door taps and days marked as changed, every minute (a pass that
    # waited longer than its minute is dropped, the next does the same work); yesterday and today again at night.
    "refresh-rollups": {"task": "reporting.rollup_tasks.refresh_rollups", "schedule": 60, "options": {"expires": 55}},
    "rederive-recent-rollups": {
        "task": "reporting.rollup_tasks.rederive_recent",
        # 03:30 Europe/Amsterdam (CELERY_TIMEZONE): an hour the clock change neither skips nor repeats.
        "schedule": crontab(hour=3, minute=30),
    },
    # Volunteering (volunteers.tasks): shifts of the weekly patterns made ahead, certificate reminders (60, 30 and 7
    # days before expiry), the reminder of tomorrow's shifts, and "did it happen?" after a burenhulp request's day.
    "volunteers-make-shifts": {
        "task": "volunteers.tasks.rosters.make_shifts",
        # 03:15 Europe/Amsterdam: an hour the clock change neither skips nor repeats (02:xx is both).
        "schedule": crontab(hour=3, minute=15),
    },
    "volunteers-certificate-reminders": {
        "task": "volunteers.tasks.people.send_certificate_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    "volunteers-shift-reminders": {
        "task": "volunteers.tasks.rosters.send_shift_reminders",
        "schedule": crontab(hour=10, minute=0),
    },
    "volunteers-help-follow-up": {
        "task": "volunteers.tasks.help.ask_did_it_happen",
        "schedule": crontab(hour=9, minute=0),
    },
    # Retention as policy (privacy.retention): every category of personal data removed or anonymised once its
    # period (an administrator may change it within its limits) has passed. 03:50 Europe/Amsterdam: an hour the
    # clock change neither skips nor repeats.
    "apply-retention": {
        "task": "privacy.tasks.retention.apply_retention",
        "schedule": crontab(hour=3, minute=50),
    },
}
# The municipality whose mantelzorgwaardering rules apply (the slug of an Organisation of kind municipality); empty:
# the only municipality organisation, when there is exactly one.
WAARDERING_MUNICIPALITY = env("WAARDERING_MUNICIPALITY", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "huizen.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            # An unreachable Redis costs a connect timeout once per process every few seconds, not a page.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions are read from the database (one lookup by primary key): a session cached in Redis would make every
# page depend on Redis, and a logout during an outage would come back to life with Redis.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Security: strict in production (check --deploy passes without warnings), relaxed for local development.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp): scripts, styles, images and fonts only from our own static files; no inline
# script anywhere (the templates load every script with src=, and htmx is told not to eval: see base.html's
# htmx-config). Style *attributes* stay allowed (style-src-attr): the room week's free-time bars are drawn with
# computed widths, and the admin sets a few; an attribute cannot run script. <style> elements are not allowed.
# Enforced in production and in the tests (so the browser tests see violations); reported only while developing,
# so Django's own debug pages (inline style and script) still work.
_CSP_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if DEBUG:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP_POLICY
else:
    CONTENT_SECURITY_POLICY = _CSP_POLICY
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# The token of a private calendar address never reaches a log line (huizen/log.py): Django's request log and the
# development server's access log are redacted here, gunicorn's access log by its logger class (Dockerfile).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_feed_tokens": {"()": "huizen.log.RedactFeedTokens"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_feed_tokens"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_feed_tokens"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "celery": {"level": "WARNING"},
        # WeasyPrint and its font library narrate every step of a PDF at INFO: only their warnings are news.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "django.request": {"filters": ["redact_feed_tokens"]},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}
