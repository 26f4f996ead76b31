"""A new web worker pays for its cold start before it takes requests, not inside the first ones
(where a reader would wait, and the other requests of the same process with them): Django
imports every URLconf and view module on first use, the map builder its libraries (folium,
pandas, geopandas: the first map of a worker 1.8 → 0.2 s of CPU, its first home page 0.67 →
0.22 s), and apps load their own tables (search: the analyser's dictionary, the thesaurus, the
index; a worker's first search 0.5–1.9 s before). gunicorn calls warm_up() in each worker once
the application is loaded (deploy/gunicorn.conf.py, post_worker_init).

An app takes part with an AppConfig.warm_up() method, and AppConfig.warm_up_paths: pages the
worker asks of itself through the whole application, middleware included (paths that write
nothing, such as an empty search).

Last, everything the warm-up loaded (half a million objects: modules, the search tables, the
boundaries) is moved out of the garbage collector's generations with gc.freeze(): it lives as
long as the worker, and otherwise every full collection walks all of it again, holding the
interpreter lock, so every request of the worker stops meanwhile (measured on the demo data, a
map or a county GeoJSON request that triggered one took 0.3–0.9 s instead of 0.03 s)."""

import gc
import io
import logging
import time
from importlib import import_module
from wsgiref.util import setup_testing_defaults

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.urls import get_resolver

logger = logging.getLogger(__name__)


def warm_up(application=None):
    """Never fatal: a worker that could not warm up still serves (its first request pays)."""
    started = time.perf_counter()
    try:
        load_code()
        configs = apps.get_app_configs()
        for config in configs:
            if hasattr(config, "warm_up"):
                config.warm_up()
        if application is not None:
            for config in configs:
                for path in getattr(config, "warm_up_paths", ()):
                    ask(application, path)
    except Exception:
        logger.warning("warm-up failed; the first request will load what it needs", exc_info=True)
    finally:
        # The worker's main thread serves no request: it keeps no database connection.
        connections.close_all()
        gc.collect()
        gc.freeze()
    logger.info(
        "worker warmed up in %.0f ms (%d objects kept out of garbage collection)",
        (time.perf_counter() - started) * 1000,
        gc.get_freeze_count(),
    )


def load_code():
    """Every URLconf and view module, and the map builder's libraries."""
    get_resolver().url_patterns  # noqa: B018 (imports every URLconf and view module)
    import_module("geodata.maps")


def ask(application, path):
    """GET `path` of the application in this process, as a request the site accepts would come
    (a host it serves, over HTTPS where it insists on it); returns the status line."""
    path, _, query = path.partition("?")
    host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h.lstrip(".") != "*"), "")
    environ = {
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "HTTP_HOST": host or "localhost",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
    }
    setup_testing_defaults(environ)
    if settings.SECURE_SSL_REDIRECT or settings.SECURE_PROXY_SSL_HEADER:
        environ["wsgi.url_scheme"] = "https"
        if settings.SECURE_PROXY_SSL_HEADER:
            header, value = settings.SECURE_PROXY_SSL_HEADER
            environ[header] = value
    status = []
    response = application(environ, lambda line, headers, exc_info=None: status.append(line))
    try:
        b"".join(response)
    finally:
        getattr(response, "close", lambda: None)()
    return status[0]
