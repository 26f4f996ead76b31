"""The portal as a bare WSGI application, for tests that call it as a server would (Schemathesis
fuzzing from the OpenAPI schema), with the test's database connection kept open."""

import contextlib

from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

application = get_wsgi_application()


@contextlib.contextmanager
def kept_test_connection():
    """Called as a bare WSGI app, Django closes the database connection after each request, which
    is the test's own (Django's test client switches this off the same way)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
