import os
from importlib import import_module

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = get_wsgi_application()


def warm_up():
    """What the first requests of a new web process would otherwise pay for, paid before it
    takes any: every view module (the URLconf) and the map builder's libraries (folium, pandas,
    geopandas), about two seconds of CPU during which a reader would wait, and the other requests
    of the same process with them. gunicorn runs it in each worker (deploy/gunicorn.conf.py)."""
    get_resolver().url_patterns  # noqa: B018 - imports every URLconf and view module
    import_module("geodata.maps")
