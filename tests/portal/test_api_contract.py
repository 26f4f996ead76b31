"""The portal's one API keeps the contract its OpenAPI schema states: the schema is valid
OpenAPI, every parameter is typed and bounded there, every answer the server gives is documented
(400/401/422 included), and Schemathesis finds no request, valid or invalid, that breaks any of
its checks on any endpoint. The audit's inputs that used to crash the server answer 4xx."""

import json

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

from distribution import services
from search import indexing
from search.engines import reset_engine
from tests.distribution.factories import ChannelFactory, hubei_sample
from tests.factories import ArticlePageFactory, UserFactory
from tests.wsgi import application, kept_test_connection

# A schema states the shape of a request; it cannot state that an item exists or that a start
# date comes before an end date. Those answers are a documented 400, so a well-formed request
# may get one without breaking the contract. Query parameters the API does not know are ignored,
# as HTTP APIs commonly do, so requests are not made up with extra ones.
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"allow-extra-parameters": False},
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "400", "401", "403", "404", "429"]
            }
        },
    }
)
SCHEMA = schemathesis.openapi.from_wsgi("/api/openapi.json", application, config=CONFIG)
OPERATIONS = sorted(
    (op.path, op.method.upper()) for op in (result.ok() for result in SCHEMA.get_all_operations())
)


@pytest.fixture
def schema(client, db):
    return client.get("/api/openapi.json").json()


def test_the_schema_is_valid_openapi(schema):
    validate(schema)


def can_be_malformed(operation):
    """A body, or a parameter that is more than any text at all."""
    loose = {"type": "string"}
    return "requestBody" in operation or any(
        {k: v for k, v in p["schema"].items() if k not in ("title", "description")} != loose
        for p in operation.get("parameters", [])
    )


def test_every_operation_documents_its_error_answers(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            if can_be_malformed(operation):
                assert "422" in documented, f"{method} {path} answers 422 to a malformed request"
            if operation.get("security"):
                assert "401" in documented, f"{method} {path} answers 401 without credentials"


def parameters(schema, path):
    return {p["name"]: p["schema"] for p in schema["paths"][path]["get"]["parameters"]}


def first_type(parameter):
    """The parameter's type and limits, without its title and description."""
    parameter = parameter["anyOf"][0] if "anyOf" in parameter else parameter
    return {k: v for k, v in parameter.items() if k not in ("title", "description", "default")}


def test_coverage_parameters_state_their_types_and_limits(schema):
    coverage = parameters(schema, "/api/coverage/")
    assert coverage["level"]["enum"] == ["prefecture", "county"]
    assert first_type(coverage["start"]) == {"type": "string", "format": "date"}
    assert first_type(coverage["end"]) == {"type": "string", "format": "date"}
    assert first_type(coverage["item"]) == {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
    assert first_type(coverage["topic"])["type"] == "integer"
    assert first_type(coverage["region"]) == {
        "type": "integer",
        "minimum": 100000,
        "maximum": 999999,
    }
    channel = parameters(schema, "/api/reach/channel/")
    assert first_type(channel["start"])["format"] == "date"


@pytest.mark.parametrize(
    "query",
    ["item=²", "topic=²", "region=²", "topic=99999999999999999999", "item=-1", "level=city"],
)
def test_coverage_answers_a_malformed_filter_with_422_in_chinese(client, db, query):
    response = client.get(f"/api/coverage/?{query}")
    assert response.status_code == 422
    assert response.json()["detail"].startswith("参数有误")


def test_answers_carry_chinese_as_utf_8_not_escapes(client, db):
    response = client.get("/api/coverage/?level=city")

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.content.decode("utf-8").startswith('{"detail": "参数有误：level只能是')


def test_a_beacon_with_a_lone_surrogate_is_refused(client, db):
    response = client.post(
        "/api/reach/view/", '{"page": 1, "ch": "\\ud800"}', content_type="application/json"
    )
    assert response.status_code == 422


def test_a_report_with_a_nul_byte_in_its_url_is_refused(client, db, regions):
    channel = ChannelFactory(region=regions["wuhan"])
    token = channel.issue_token()
    response = client.post(
        "/api/reach/reports/",
        json.dumps({"item_url": "/fanzha/\x00/", "date": "2026-01-01", "reads": 3}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422


@pytest.fixture
def regions(db):
    return hubei_sample()


@pytest.fixture
def api_world(topic, regions, settings, tmp_path):
    """Something behind every endpoint: a published article in the search index, a channel with
    a token that received it, and an administrator's session for the admin endpoint."""
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    settings.ELASTICSEARCH_URL = ""
    reset_engine()
    article = ArticlePageFactory(parent=topic, title="警惕新型电信网络诈骗")
    article.save_revision().publish()
    indexing.rebuild(progress=False)
    channel = ChannelFactory(region=regions["jiangan"])
    token = channel.issue_token()
    admin = UserFactory(username="api-admin", is_superuser=True, is_staff=True)
    services.distribute(article, admin, channels=[channel])
    session = Client()
    session.force_login(admin)
    yield {
        "headers": {"Authorization": f"Bearer {token}"},
        "session": {"Cookie": f"sessionid={session.cookies['sessionid'].value}"},
    }
    reset_engine()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_every_endpoint_keeps_its_contract(api_world, path, method, mode):
    load_all_checks()
    operation = SCHEMA[path][method]
    headers = api_world["session" if path.startswith("/api/distribution/") else "headers"]

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def check(data):
        case = data.draw(operation.as_strategy(generation_mode=mode))
        with kept_test_connection():
            case.call_and_validate(headers=headers, checks=CHECKS.get_all())

    check()
