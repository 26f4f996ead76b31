"""The reach and coverage endpoints fuzzed from their own OpenAPI schema (Schemathesis makes the
requests): whatever the schema allows, the answer is never a 500. Bounded examples."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SCHEMA = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Called as a bare WSGI app, Django would close the test's database connection after each
    request (Django's own test client switches this off the same way)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.parametrize(
    ("path", "method"),
    [("/api/coverage/", "GET"), ("/api/reach/view/", "POST"), ("/api/reach/reports/", "POST")],
)
def test_reach_endpoints_never_answer_500(article, channel, path, method):
    operation = SCHEMA[path][method]
    headers = {"Authorization": f"Bearer {channel.plain_token}"}

    @settings(
        max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    @given(data=st.data())
    def check(data):
        case = data.draw(operation.as_strategy())
        response = case.call(headers=headers)
        assert response.status_code < 500, (case.query, case.body, response.text)

    check()
