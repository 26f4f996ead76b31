"""Settings shared by every environment; each value that differs between machines comes from
the environment (see README), read in one place through django-environ."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from portal.settings.secret import machine_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; silently absent on most machines

# Unset: one key generated for this machine and kept in var/, so the server, the worker and an
# operator's manage.py all sign with the same key (production requires the variable).
SECRET_KEY = env("SECRET_KEY", default="") or machine_secret_key(BASE_DIR / "var" / "secret_key")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The public address of the site, used for absolute links in feeds, webhooks and e-mails.
WAGTAILADMIN_BASE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "portal",
    "geodata",
    "content",
    "search",
    "distribution",
    "reach",
    "wagtailmedia",
    "wagtail.contrib.settings",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
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
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "ninja",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session and CSRF middleware, so it sees every cookie the answer sets.
    "portal.frontend_cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: answers a locked-out login with its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.public_address",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# SQLite by default: the web server, the task worker and the reach beacon all write at once, so
# writers take the lock up front (IMMEDIATE), wait for it (busy timeout) and readers never block
# writers (WAL, set on each connection in portal.apps).
SQLITE_PATH = env.path("SQLITE_PATH", default=BASE_DIR / "var" / "db.sqlite3")
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=20000;"
                "PRAGMA foreign_keys=ON;"
            ),
        }
    )
# Connections are kept between requests, SQLite's too: opening one (with its PRAGMAs) costs
# more than answering a search.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Shared cache -------------------------------------------------------------------------
# Several web and worker processes run at once, so the cache is shared by all of them: the
# coverage answers a roll-up makes stale, the beacon's rate limit, rendered feeds. Django's
# database cache by default (every process sees it; its table is made by `migrate`); Redis in
# production, e.g. REDIS_URL=redis://redis:6379/0.
REDIS_URL = env("REDIS_URL", default="")


def shared_caches(redis_url=""):
    if redis_url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": "pufa",
            }
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
            # Coverage answers for many filter sets, feeds of 116 channels, one rate-limit key
            # per client: room for all, culling a quarter when full.
            "OPTIONS": {"MAX_ENTRIES": 50_000, "CULL_FREQUENCY": 4},
        }
    }


CACHES = shared_caches(REDIS_URL)

# --- Background work ----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "search", "distribution", "reach"],
    }
}

# A task still RUNNING this long after it started lost its worker (killed mid-task): /healthz
# shows it and portal.tasks.recover_stale_tasks_task fails it and queues it again. Longer than
# any task of ours runs (a roll-up of a busy day, a fan-out with retries: minutes).
TASKS_STALE_AFTER_SECONDS = env.int("TASKS_STALE_AFTER_SECONDS", default=30 * 60)

# --- Passwords, log-in and sessions -----------------------------------------------------
# Guessing is throttled by django-axes in the database, shared by every process (see
# portal/login_throttle.py): an account locks after 20 failures, an address after 100, for
# LOGIN_COOL_OFF_MINUTES. Its backend comes first so a locked account is refused even with the
# right password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_FAILURES_PER_ACCOUNT = env.int("LOGIN_FAILURES_PER_ACCOUNT", default=20)
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=100)
AXES_HANDLER = "portal.login_throttle.AccountAndAddressHandler"
AXES_FAILURE_LIMIT = LOGIN_FAILURES_PER_ACCOUNT
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOL_OFF_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "portal.proxies.client_ip"
AXES_LOCKOUT_TEMPLATE = "portal/locked_out.html"
# Failed attempts (with their address) are kept only until the cool-off ends; successful
# log-ins are not recorded by axes (Wagtail's own log keeps who logged in).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Sessions end after this long without a request (each request moves the end forward), so a
# computer left logged in to the admin does not stay open for weeks.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=2 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time --------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_I18N_ENABLED = False

# --- Static and media files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
# portal/static is found as the portal app's own static folder; no STATICFILES_DIRS needed.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # The map's Leaflet and d3 from their xstatic packages, and the shipped county shapes.
    "geodata.staticfiles.GeodataFinder",
]
# Map base tiles are off by default: the maps draw plain boundaries and work offline. A tile URL
# template of an intranet or Tianditu server ({z}/{x}/{y}) turns them on.
GEODATA_TILE_URL = env("MAP_TILE_URL", default="")
GEODATA_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", default="")
# Files served at the site's root by WhiteNoise (favicon.ico).
WHITENOISE_ROOT = BASE_DIR / "portal" / "root"
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# More than one web machine: uploads go to S3-compatible object storage (MinIO, or a cloud's
# object service) through django-storages, so every machine and worker sees every file. Files
# are public (videos, captions, images) and served from MEDIA_PUBLIC_URL (the storage's own
# address, or nginx or a CDN in front of it); documents keep going through Wagtail's view.
MEDIA_BUCKET = env("MEDIA_BUCKET", default="")
if MEDIA_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_BUCKET,
            "endpoint_url": env("MEDIA_ENDPOINT_URL", default=None),
            "region_name": env("MEDIA_REGION", default=None),
            "access_key": env("MEDIA_ACCESS_KEY", default=None),
            "secret_key": env("MEDIA_SECRET_KEY", default=None),
            "custom_domain": env("MEDIA_PUBLIC_URL", default=None),
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
        },
    }

# Uploads: a 200 MB ceiling for videos; the form validates and answers anything larger.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
PORTAL_MAX_VIDEO_BYTES = env.int("PORTAL_MAX_VIDEO_BYTES", default=200 * 1024 * 1024)
PORTAL_MAX_CAPTION_BYTES = 512 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Uploaded media (videos, captions, images) are served by the application on a single machine;
# in production the reverse proxy serves /media/ from MEDIA_ROOT (SERVE_MEDIA=false).
PORTAL_SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)

# --- Page cache in front (portal/frontend_cache.py, deploy/nginx/portal.conf.template) -------
# Where each proxy caching the public pages (FRONTEND_CACHE_PAGE_TYPES) takes purges (PURGE
# <url><page path> on every change), e.g. http://127.0.0.1:8080/_purge, one per nginx. Empty:
# nothing is marked cacheable.
FRONTEND_CACHE_PURGE_URLS = env.list("FRONTEND_CACHE_PURGE_URLS", default=[])
FRONTEND_CACHE_SECONDS = env.int("FRONTEND_CACHE_SECONDS", default=300)
FRONTEND_CACHE_PURGE_TIMEOUT = 2.0
FRONTEND_CACHE_PAGE_TYPES = [
    "content.HomePage",
    "content.TopicIndexPage",
    "content.ArticlePage",
    "content.VideoPage",
]

# --- Wagtail ------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "湖北网络普法"
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
# Works on an intranet with no internet: no avatars from Gravatar, no release check.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILEMBEDS_FINDERS = []
# The portal sends no e-mail (an intranet with no mail server configured), so the account form
# asks for no address: set ACCOUNT_EMAIL=true where e-mail notifications are set up.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = env.bool("ACCOUNT_EMAIL", default=False)
WAGTAILADMIN_USER_LOGIN_FORM = "portal.forms.LoginForm"
WAGTAIL_MODERATION_ENABLED = True
# Autosave off: a submit while a new page's first autosave is in flight creates the page
# twice, and autosaved title edits of drafts leave redirects behind (wagtail#13978). Editors
# save drafts explicitly; the unsaved-changes warning still guards against losing work.
WAGTAIL_AUTOSAVE_INTERVAL = 0
WAGTAIL_WORKFLOW_ENABLED = True
# An approved 法律审核 publishes the page by itself, so reviewers hold no publish permission.
WAGTAIL_FINISH_WORKFLOW_ACTION = "content.roles.publish_approved"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "txt", "vtt"]
WAGTAILMEDIA = {
    "MEDIA_MODEL": "content.VideoMedia",
    "MEDIA_FORM_BASE": "content.forms.ValidatedMediaForm",
    "AUDIO_EXTENSIONS": [],
    "VIDEO_EXTENSIONS": ["mp4", "webm"],
}
TAGGIT_CASE_INSENSITIVE = True

# --- Security defaults that hold everywhere ----------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
# Wagtail lifts this to SAMEORIGIN for its own preview frames only.
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp). On the public site scripts run only from our own origin
# or inline with the response's nonce (the map's script carries it): never 'unsafe-inline'.
# Styles may be inline: Leaflet and Folium size and colour the map with them, and a style cannot
# run code. The admin's own policy is in portal/urls.py.
_tiles = urlsplit(GEODATA_TILE_URL)
MAP_TILE_ORIGINS = [f"{_tiles.scheme}://{_tiles.netloc}"] if _tiles.netloc else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *MAP_TILE_ORIGINS],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "media-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# Reverse proxies (addresses or networks, e.g. 10.0.0.5,172.16.0.0/12) whose X-Forwarded-For and
# X-Real-IP headers name the client (portal.proxies.client_ip); nobody else's are believed.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

PORTAL_TOPIC_LABEL = _("栏目")

# --- Search (search/) -----------------------------------------------------------------------
# Unset: the embedded engine (Tantivy) in SEARCH_INDEX_DIR, written only by the task worker.
# Set: an Elasticsearch 8 cluster, e.g. http://127.0.0.1:9200, with an alias named below.
SEARCH_INDEX_DIR = env.path("SEARCH_INDEX_DIR", default=BASE_DIR / "var" / "search-index")
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
ELASTICSEARCH_INDEX = env("ELASTICSEARCH_INDEX", default="pufa-search")
# Wagtail's admin search (explorer, choosers) with the same Chinese analysis.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.wagtail_backend"}}

# Periodic work: the clock process enqueues each task (dotted path) every N seconds.
PERIODIC_TASKS = {
    "portal.tasks.publish_scheduled": 60,
    "portal.tasks.recover_stale_tasks_task": 300,
    "search.tasks.apply_pending_changes": 30,
    "distribution.tasks.recover_deliveries": 30,
    "reach.tasks.roll_up_recent": 300,
    "reach.tasks.rotate_salts": 3600,
    "reach.tasks.purge_raw_events": 86400,
    # Last week's reports, made once the week is final (a run finds them made and does nothing).
    "reach.tasks.make_weekly_reports": 3600,
}

# Password of the demo accounts that load_demo creates; never used in production.
DEMO_PASSWORD = env("DEMO_PASSWORD", default="pufa-demo-2026")

# `manage.py load_demo` runs each app's demo loader in the order data flows through the portal.
DEMO_LOADERS = [
    "content.demo.load",
    "portal.demo.load",  # the footer's site information, once the site exists
    "search.demo.load",
    "distribution.demo.load",
    "reach.demo.load",  # last: reach needs the regions, items and channels above
]

# --- Distribution (一键分发) ---------------------------------------------------------------
# Webhook hosts let past the SSRF guard although they resolve to private or loopback addresses:
# "host" or "host:port". Empty by default; dev settings allow the local demo receiver.
DISTRIBUTION_WEBHOOK_ALLOWED_HOSTS = env.list("DISTRIBUTION_WEBHOOK_ALLOWED_HOSTS", default=[])
# Where `manage.py demo_receiver` listens and the demo's webhook channels point.
DISTRIBUTION_DEMO_RECEIVER_URL = env(
    "DISTRIBUTION_DEMO_RECEIVER_URL", default="http://127.0.0.1:8001"
)
# One webhook request may take this long (connect, then the whole answer), in seconds.
DISTRIBUTION_CONNECT_TIMEOUT = env.float("DISTRIBUTION_CONNECT_TIMEOUT", default=3.0)
DISTRIBUTION_REQUEST_TIMEOUT = env.float("DISTRIBUTION_REQUEST_TIMEOUT", default=10.0)
# How many webhooks one worker sends at once, so one slow receiver cannot hold up the others.
DISTRIBUTION_CONCURRENCY = env.int("DISTRIBUTION_CONCURRENCY", default=16)
# Retries: delay = min(ceiling, base × 2^(attempt-1)) with full jitter, in seconds.
DISTRIBUTION_RETRY_BASE = env.float("DISTRIBUTION_RETRY_BASE", default=5.0)
DISTRIBUTION_RETRY_CEILING = env.float("DISTRIBUTION_RETRY_CEILING", default=30 * 60.0)
DISTRIBUTION_MAX_ATTEMPTS = env.int("DISTRIBUTION_MAX_ATTEMPTS", default=15)
# A webhook channel failing without a single success for this long is paused and flagged.
DISTRIBUTION_PAUSE_AFTER = timedelta(
    seconds=env.int("DISTRIBUTION_PAUSE_AFTER_SECONDS", default=6 * 60 * 60)
)
# After a secret rotation, webhooks are signed with the old key too for this long.
DISTRIBUTION_SECRET_ROTATION_GRACE = timedelta(
    seconds=env.int("DISTRIBUTION_SECRET_ROTATION_GRACE_SECONDS", default=7 * 24 * 60 * 60)
)
# How many items a channel's pull feed lists, and how long a rendered feed is cached.
DISTRIBUTION_FEED_SIZE = env.int("DISTRIBUTION_FEED_SIZE", default=50)
DISTRIBUTION_FEED_CACHE_SECONDS = env.int("DISTRIBUTION_FEED_CACHE_SECONDS", default=300)

# --- Reach: views, reported reads, roll-ups (reach/) --------------------------------------
# Raw view events are kept this many days, then deleted after a final roll-up of their day.
REACH_RAW_RETENTION_DAYS = env.int("REACH_RAW_RETENTION_DAYS", default=35)
# Page-view beacons accepted per client (by hashed address); more are answered 429.
REACH_BEACON_RATE = env("REACH_BEACON_RATE", default="120/m")
# Cached coverage answers (per filter set) live this long at most; a roll-up replaces them.
REACH_COVERAGE_CACHE_SECONDS = env.int("REACH_COVERAGE_CACHE_SECONDS", default=600)
