"""A developer's or a demo machine (`make run`): debug pages, static files from the app folders."""

from pathlib import Path

from .base import *  # noqa: F403
from .base import STATIC_ROOT, env

DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
# Whitenoise serves straight from the app folders, so no collectstatic is needed here.
WHITENOISE_USE_FINDERS = True
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)

# The local demo receiver (manage.py demo_receiver, started by `make run`) may receive webhooks.
DISTRIBUTION_WEBHOOK_ALLOWED_HOSTS = env.list(
    "DISTRIBUTION_WEBHOOK_ALLOWED_HOSTS", default=["127.0.0.1:8001"]
)
