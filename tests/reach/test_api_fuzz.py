"""The reach and coverage endpoints fuzzed from their own OpenAPI schema (Schemathesis makes the
requests): whatever the schema allows, the answer is never a 500. Bounded examples."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.wsgi import application, kept_test_connection

SCHEMA = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    with kept_test_connection():
        yield


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
