"""The statute API fuzzed from its own OpenAPI schema (Schemathesis generates the requests): any
request the schema allows gets a documented status code and a response matching the schema,
never a 500. Bounded: a fixed number of examples per operation."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.statutes import import_statutes
from tests.wsgi import application, kept_test_connection

pytestmark = pytest.mark.django_db

SCHEMA = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    with kept_test_connection():
        yield


@pytest.mark.parametrize(
    "path", ["/api/laws/", "/api/laws/{law_id}", "/api/laws/{law_id}/articles/{number}"]
)
def test_statute_api_conforms_to_its_schema(path):
    import_statutes(laws=["个人信息保护法"])
    operation = SCHEMA[path]["GET"]

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(data=st.data())
    def check(data):
        case = data.draw(operation.as_strategy())
        response = case.call()
        assert response.status_code < 500, (case.path_parameters, case.query, response.text)
        case.validate_response(response)

    check()
