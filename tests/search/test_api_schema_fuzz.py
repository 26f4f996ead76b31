"""The search API fuzzed from its own OpenAPI schema (Schemathesis generates the requests): any
request the schema allows gets a documented status code and a response that matches the schema,
never a 500. Bounded: a fixed number of examples per operation."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import indexing
from tests.factories import ArticlePageFactory
from tests.wsgi import application, kept_test_connection

pytestmark = pytest.mark.django_db

SCHEMA = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    with kept_test_connection():
        yield


@pytest.fixture
def indexed(site_index, statutes, topic):
    ArticlePageFactory(parent=topic, title="警惕新型电信网络诈骗")
    indexing.rebuild(progress=False)


@pytest.mark.parametrize("path", ["/api/search/", "/api/search/suggest/"])
def test_search_api_conforms_to_its_schema(indexed, path):
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
        assert response.status_code < 500, (case.query, response.text)
        case.validate_response(response)

    check()
