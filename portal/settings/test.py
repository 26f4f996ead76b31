"""pytest: fast hashing, media in its own folder, static files served from the app folders."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, STATIC_ROOT

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Uploads of a test run go to its own temporary folder, removed at the end (never var/media);
# another process a test starts shares its folder (tests/processes.py).
if os.environ.get("PUFA_TEST_MEDIA_ROOT"):
    MEDIA_ROOT = Path(os.environ["PUFA_TEST_MEDIA_ROOT"])
else:
    MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="pufa-media-test-"))
    atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
# Static files come from the app folders (no collectstatic before tests), as in development.
WHITENOISE_USE_FINDERS = True
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
WAGTAILADMIN_BASE_URL = "http://testserver"

# Each test process keeps its search index in its own temporary folder, never in var/.
SEARCH_INDEX_DIR = Path(tempfile.mkdtemp(prefix="pufa-search-test-"))
atexit.register(shutil.rmtree, SEARCH_INDEX_DIR, ignore_errors=True)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: the live server answers the browser's parallel requests in threads,
    # each with its own connection as in production (an in-memory test database is one shared
    # connection, which parallel requests lock). One file per process: runs never collide.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"pufa-test-{os.getpid()}.sqlite3")
    }
