"""What the Elasticsearch engine sends, checked without a cluster: the index settings, mappings
and analyzers (with and without the IK and stconvert plugins), the query body of each
conformance case, and the order of calls of a zero-downtime rebuild against a recording fake
client. Expected bodies are reviewed JSON files in es_expected/."""

import json
from pathlib import Path

import pytest
from elastic_transport import ConnectionError as TransportConnectionError

from search.engines import EngineUnavailable, Filters
from search.engines.elastic import (
    ElasticsearchEngine,
    build_index,
    frequencies_body,
    search_body,
    suggest_body,
)
from search.query import parse_query
from tests.search.corpus import PAGES

EXPECTED = Path(__file__).parent / "es_expected"

# The conformance suite's cases, as the request each one makes.
QUERY_CASES = {
    "two_character_word": ("诈骗", {"type": "article"}, 0, 10),
    "traditional": ("網絡詐騙", {}, 0, 10),
    "synonyms": ("老板拖欠工资", {}, 0, 10),
    "nonsense": ("量子纠缠", {}, 0, 10),
    "named_law": ("消费者权益保护法 赔偿", {}, 0, 5),
    "repealed_on_request": ("噪声", {"status": "已废止"}, 0, 10),
    "filters": ("网络", {"type": "statute", "law": "82df8e9b959d", "topic": ""}, 0, 50),
    "second_page": ("劳动合同", {}, 5, 5),
    "single_character": ("偷", {}, 0, 10),
}


def expected(name):
    return json.loads((EXPECTED / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("plugins", "name"),
    [
        (frozenset(), "index_cjk.json"),
        (frozenset({"analysis-stconvert"}), "index_stconvert.json"),
        (frozenset({"analysis-ik", "analysis-stconvert"}), "index_ik_stconvert.json"),
    ],
)
def test_index_settings_mappings_and_analyzers(plugins, name):
    assert build_index("pufa-search-20261126000000", plugins).to_dict() == expected(name)


def test_query_bodies_of_the_conformance_cases():
    bodies = {
        name: search_body(parse_query(q), Filters(**filters), offset, limit)
        for name, (q, filters, offset, limit) in QUERY_CASES.items()
    }
    assert bodies == expected("queries.json")


# What ranking asks for a question: the candidates (any word, repealed texts too, for the
# status facet) and how many documents hold each word.
QUESTION = "物业不修电梯还要交物业费吗"


def test_candidates_of_a_question():
    plan = parse_query(QUESTION).widen()
    body = search_body(plan, Filters(), 0, 200, facets=False, include_repealed=True)
    assert body == expected("candidates.json")


def test_word_frequencies_of_a_question():
    assert frequencies_body(parse_query(QUESTION)) == expected("frequencies.json")


def test_suggest_body_escapes_the_prefix():
    assert suggest_body("民法") == expected("suggest.json")
    assert suggest_body("a.b*")["aggs"]["suggest"]["terms"]["include"] == r"a\.b\*.*"


class Recorder:
    """A fake Elasticsearch client that records every call and answers like a cluster with one
    index behind the alias and the cjk analysis only."""

    def __init__(self, calls, fail_bulk=False, current=("pufa-search-20260101000000",)):
        self.calls = calls
        self.fail_bulk = fail_bulk
        self.current = list(current)
        self.indices = Namespace(self, "indices")
        self.cat = Namespace(self, "cat")
        self.cluster = Namespace(self, "cluster")

    def answer(self, name, kwargs):
        self.calls.append((name, kwargs))
        if name == "cat.plugins":
            return [{"name": "node-1", "component": "analysis-common"}]
        if name == "indices.get_alias":
            return {index: {"aliases": {"pufa-search": {}}} for index in self.current}
        if name == "bulk":
            if self.fail_bulk:
                raise TransportConnectionError("connection refused")
            return {"errors": False, "items": []}
        return {"acknowledged": True}

    def bulk(self, **kwargs):
        return self.answer("bulk", kwargs)


class Namespace:
    def __init__(self, client, prefix):
        self.client, self.prefix = client, prefix

    def __getattr__(self, method):
        return lambda **kwargs: self.client.answer(f"{self.prefix}.{method}", kwargs)


def test_rebuild_builds_a_new_index_then_swaps_the_alias_atomically(monkeypatch):
    calls = []
    engine = ElasticsearchEngine("http://127.0.0.1:9200", "pufa-search", client=Recorder(calls))
    monkeypatch.setattr("search.engines.elastic.time.strftime", lambda *a: "20261126000000")
    assert engine.rebuild(iter(PAGES)) == len(PAGES)
    names = [name for name, _ in calls]
    assert names == [
        "cat.plugins",
        "indices.put_index_template",
        "indices.create",
        "bulk",
        "indices.refresh",
        "indices.get_alias",
        "indices.update_aliases",
        "indices.delete",
    ]
    template = dict(calls)["indices.put_index_template"]
    assert template["name"] == "pufa-search-template"
    assert template["index_patterns"] == ["pufa-search-*"]
    assert dict(calls)["indices.create"] == {"index": "pufa-search-20261126000000"}
    bulk = dict(calls)["bulk"]
    assert bulk["index"] == "pufa-search-20261126000000"
    assert bulk["operations"][0] == {
        "index": {"_index": "pufa-search-20261126000000", "_id": "page:1"}
    }
    assert bulk["operations"][1]["title"] == "警惕新型电信网络诈骗"
    assert dict(calls)["indices.update_aliases"] == {
        "actions": [
            {"remove": {"index": "pufa-search-20260101000000", "alias": "pufa-search"}},
            {
                "add": {
                    "index": "pufa-search-20261126000000",
                    "alias": "pufa-search",
                    "is_write_index": True,
                }
            },
        ]
    }
    assert dict(calls)["indices.delete"] == {
        "index": "pufa-search-20260101000000",
        "ignore_unavailable": True,
    }


def test_a_failed_rebuild_drops_the_new_index_and_keeps_the_alias():
    calls = []
    client = Recorder(calls, fail_bulk=True)
    engine = ElasticsearchEngine("http://127.0.0.1:9200", "pufa-search", client=client)
    with pytest.raises(EngineUnavailable):
        engine.rebuild(iter(PAGES))
    names = [name for name, _ in calls]
    assert "indices.update_aliases" not in names
    assert names[-1] == "indices.delete"
    assert calls[-1][1]["index"].startswith("pufa-search-2")


def test_writes_go_through_the_alias_in_bulk():
    calls = []
    engine = ElasticsearchEngine("http://127.0.0.1:9200", "pufa-search", client=Recorder(calls))
    engine.index_documents(PAGES[:2])
    engine.delete_keys(["page:3"])
    assert [name for name, _ in calls] == ["bulk", "bulk"]
    assert calls[0][1]["refresh"] == calls[1][1]["refresh"] == "wait_for"
    assert calls[0][1]["operations"][0] == {"index": {"_index": "pufa-search", "_id": "page:1"}}
    assert calls[1][1]["operations"] == [{"delete": {"_index": "pufa-search", "_id": "page:3"}}]
