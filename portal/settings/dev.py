"""A developer's machine (`make dev`): the single-machine settings with debug pages, and static
files straight from the app folders so that an edited stylesheet needs no collectstatic."""

from pathlib import Path

from .base import STATIC_ROOT
from .local import *  # noqa: F403
from .local import env

DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
# Whitenoise serves straight from the app folders, so no collectstatic is needed here.
WHITENOISE_USE_FINDERS = True
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
