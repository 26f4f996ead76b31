"""GET /api/search/ and /api/search/suggest/: the JSON citizens' apps and other sites use."""

import pytest

from search import indexing
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(site_index, statutes, topic):
    ArticlePageFactory(parent=topic, title="警惕新型电信网络诈骗", summary="刷单返利都是骗局。")
    indexing.rebuild(progress=False)


def test_search_answers_the_documented_shape(client, indexed):
    answer = client.get("/api/search/", {"q": "網絡詐騙", "page_size": 3}).json()
    assert set(answer) == {
        "query",
        "total",
        "page",
        "page_size",
        "results",
        "facets",
        "facet_labels",
        "did_you_mean",
        "engine",
        "took_ms",
    }
    assert answer["engine"] == "embedded"
    assert answer["did_you_mean"] == "网络诈骗"
    assert len(answer["results"]) == 3
    first = answer["results"][0]
    assert first["law_name"] == "中华人民共和国反电信网络诈骗法"
    assert first["article_no"].startswith("第")
    assert first["status"] == "现行有效"
    assert "<mark>" in first["snippet"]
    assert first["url"].startswith("/laws/")
    assert set(answer["facets"]) == {"type", "topic", "law", "level", "status"}
    assert answer["facets"]["type"]["article"] == 1
    assert answer["facet_labels"]["law"]["82df8e9b959d"] == "中华人民共和国反电信网络诈骗法"


def test_filters_and_pages(client, indexed):
    article = client.get("/api/search/", {"q": "诈骗", "type": "article"}).json()
    assert [r["title"] for r in article["results"]] == ["警惕新型电信网络诈骗"]
    assert article["results"][0]["topic"] == "反电信网络诈骗"
    page2 = client.get("/api/search/", {"q": "劳动合同", "page": 2, "page_size": 5}).json()
    page1 = client.get("/api/search/", {"q": "劳动合同", "page": 1, "page_size": 5}).json()
    assert page1["total"] == page2["total"] > 10
    assert {r["url"] for r in page1["results"]}.isdisjoint(r["url"] for r in page2["results"])


def test_repealed_texts_only_with_a_status_filter(client, indexed):
    default = client.get("/api/search/", {"q": "噪声", "page_size": 50}).json()
    assert all(r["in_force"] for r in default["results"])
    repealed = client.get("/api/search/", {"q": "噪声", "status": "已废止"}).json()
    assert repealed["total"] > 0
    assert {r["status"] for r in repealed["results"]} == {"已废止"}


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"q": "诈" * 2000}, "q最多 100 个字"),
        ({"q": "诈骗", "type": "law"}, "type只能是"),
        ({"q": "诈骗", "status": "作废"}, "status只能是"),
        ({"q": "诈骗", "page": "0"}, "page不能小于 1"),
        ({"q": "诈骗", "page": "abc"}, "page必须是整数"),
        ({"q": "诈骗", "page_size": "500"}, "page_size不能大于 50"),
        ({"q": "诈骗", "page": "500"}, "page不能大于 100"),
    ],
)
def test_bad_input_gets_a_clear_chinese_4xx(client, indexed, params, says):
    response = client.get("/api/search/", params)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("参数有误：")
    assert says in response.json()["detail"]


@pytest.mark.parametrize(
    "q",
    ["", "！！？。", "😀🎉", '" OR ""="', "AND NOT (", "量子纠缠", "\x07\x1b[2J", "title:* AND 😀"],
)
def test_nothing_to_find_is_an_honest_empty_answer(client, indexed, q):
    answer = client.get("/api/search/", {"q": q})
    assert answer.status_code == 200
    assert answer.json()["total"] == 0
    assert answer.json()["results"] == []


def test_mixed_scripts_search_their_chinese_words(client, indexed):
    answer = client.get("/api/search/", {"q": "App网络诈骗scam"}).json()
    assert answer["results"][0]["law_name"] == "中华人民共和国反电信网络诈骗法"


def test_engine_down_is_503_not_500(client, settings, tmp_path, db):
    from search.engines import reset_engine

    settings.SEARCH_INDEX_DIR = tmp_path / "never-built"
    settings.ELASTICSEARCH_URL = ""
    reset_engine()
    try:
        response = client.get("/api/search/", {"q": "诈骗"})
        assert response.status_code == 503
        assert "暂时不可用" in response.json()["detail"]
    finally:
        reset_engine()


def test_suggest_completes_titles_and_law_names(client, indexed):
    assert client.get("/api/search/suggest/", {"q": "反電信"}).json() == [
        {"text": "中华人民共和国反电信网络诈骗法", "type": "statute", "url": "/laws/82df8e9b959d/"}
    ]
    titles = [s["text"] for s in client.get("/api/search/suggest/", {"q": "警惕"}).json()]
    assert titles == ["警惕新型电信网络诈骗"]
    assert client.get("/api/search/suggest/", {"q": ""}).json() == []
    assert len(client.get("/api/search/suggest/", {"q": "中华人民共和国"}).json()) <= 8


def test_openapi_schema_documents_search(client):
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/search/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "type", "page", "page_size"}
    assert {"200", "400", "503"} <= set(operation["responses"])
    assert "/api/search/suggest/" in schema["paths"]
