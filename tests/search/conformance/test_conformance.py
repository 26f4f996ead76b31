"""How search behaves, stated once and run against every engine: the embedded engine always,
Elasticsearch too when ELASTICSEARCH_URL is set. The index holds four laws in force, one repealed
law and four pages (tests/search/corpus.py)."""

import pytest

from search.documents import STATUTE
from search.engines import Filters
from search.query import default_thesaurus, parse_query
from search.service import run_search
from tests.search.corpus import REPEALED_LAW

FILTERS = ("type", "topic", "law", "level", "status")


def search(engine, q, limit=10, offset=0, **filters):
    return engine.search(parse_query(q), Filters(**filters), offset=offset, limit=limit)


def titles(results):
    return [hit.document.title for hit in results.hits]


def law_names(results):
    return [hit.document.law_short_name for hit in results.hits if hit.document.type == STATUTE]


def test_a_two_character_word_inside_a_title_is_found(conformance_engine):
    results = search(conformance_engine, "诈骗", type="article")
    assert "警惕新型电信网络诈骗" in titles(results)


def test_title_matches_outrank_body_matches(conformance_engine):
    results = search(conformance_engine, "诈骗", type="article")
    assert titles(results)[0] == "警惕新型电信网络诈骗"  # the other has 诈骗 only in its body
    assert "老年人防范养老骗局" in titles(results)


def test_traditional_query_finds_the_law_in_simplified(conformance_engine):
    results = search(conformance_engine, "網絡詐騙")
    assert law_names(results)[:5] == ["反电信网络诈骗法"] * 5


def test_minors_addicted_to_the_internet(conformance_engine):
    results = search(conformance_engine, "沉迷网络")
    assert law_names(results)[0] == "未成年人保护法"
    assert "孩子沉迷网络游戏怎么办" in titles(search(conformance_engine, "沉迷网络", type="video"))


def test_citizen_words_find_the_law_through_synonyms(conformance_engine):
    results = search(conformance_engine, "老板拖欠工资")
    assert law_names(results)[0] == "劳动合同法"


def test_nonsense_answers_no_results(conformance_engine):
    assert search(conformance_engine, "量子纠缠").total == 0
    assert search(conformance_engine, "火星殖民飞船").total == 0


def test_naming_a_law_ranks_its_articles_first(conformance_engine):
    results = search(conformance_engine, "消费者权益保护法 赔偿", limit=5)
    assert law_names(results) == ["消费者权益保护法"] * 5


def test_repealed_law_only_when_asked_for_and_marked(conformance_engine):
    default = search(conformance_engine, "噪声", limit=50)
    assert REPEALED_LAW not in law_names(default)
    repealed = search(conformance_engine, "噪声", status="已废止")
    assert repealed.total > 0
    assert {h.document.status for h in repealed.hits} == {"已废止"}
    assert not any(h.document.in_force for h in repealed.hits)


def test_filter_by_type_topic_and_law(conformance_engine):
    videos = search(conformance_engine, "网络", type="video")
    assert videos.total >= 1
    assert {h.document.type for h in videos.hits} == {"video"}
    topic = search(conformance_engine, "诈骗", topic="反电信网络诈骗")
    assert titles(topic) == ["警惕新型电信网络诈骗"]
    law_id = search(conformance_engine, "网络").hits[0].document.law_id or None
    by_law = search(conformance_engine, "网络", law="82df8e9b959d", limit=50)
    assert by_law.total > 0 and law_id is not None
    assert {h.document.law_short_name for h in by_law.hits} == {"反电信网络诈骗法"}


def test_facets_count_each_kind_even_when_one_is_chosen(conformance_engine):
    everything = search(conformance_engine, "诈骗")
    assert everything.facets["type"]["statute"] > 0
    assert everything.facets["type"]["article"] == 2
    assert everything.facets["law"]["82df8e9b959d"] > 0
    chosen = search(conformance_engine, "诈骗", type="article")
    assert chosen.total == 2
    assert chosen.facets["type"] == everything.facets["type"]
    assert chosen.facets["topic"] == {"反电信网络诈骗": 1, "老年人权益": 1}


def test_status_facet_offers_repealed_texts(conformance_engine):
    facets = search(conformance_engine, "噪声").facets
    assert facets["status"].get("已废止", 0) > 0


def test_pagination_walks_through_distinct_results(conformance_engine):
    first = search(conformance_engine, "劳动合同", limit=5)
    second = search(conformance_engine, "劳动合同", limit=5, offset=5)
    assert first.total == second.total > 10
    keys = [h.document.key for h in first.hits + second.hits]
    assert len(set(keys)) == 10


def test_query_syntax_is_never_parsed(conformance_engine):
    assert search(conformance_engine, '"诈骗" OR *').total > 0
    assert search(conformance_engine, 'title:(x AND "').total == 0


def test_suggestions_complete_law_names_and_titles_in_either_script(conformance_engine):
    laws = conformance_engine.suggest("反電信")
    assert [s.text for s in laws] == ["中华人民共和国反电信网络诈骗法"]
    assert laws[0].url == "/laws/82df8e9b959d/"
    assert [s.text for s in conformance_engine.suggest("警惕")] == ["警惕新型电信网络诈骗"]
    assert [s.text for s in conformance_engine.suggest("消费者权益")] == [
        "中华人民共和国消费者权益保护法"
    ]
    # A repealed law is not offered.
    assert conformance_engine.suggest("噪声污染") == []


@pytest.mark.django_db
def test_snippets_mark_matches_and_escape_the_rest(conformance_engine):
    answer = run_search({"q": "網絡詐騙", "page": 1, "page_size": 3}, engine=conformance_engine)
    snippet = answer.results[0]["snippet"]
    assert "网络诈骗</mark>" in snippet
    assert answer.did_you_mean == "网络诈骗"
    escaped = run_search({"q": "<script>", "page": 1, "page_size": 3}, engine=conformance_engine)
    assert escaped.total == 0


def test_deletes_take_effect(fresh_engine):
    from tests.search.corpus import PAGES

    fresh_engine.index_documents(PAGES)
    assert search(fresh_engine, "押金").total == 1
    fresh_engine.delete_keys(["page:4"])
    assert search(fresh_engine, "押金").total == 0
    assert fresh_engine.suggest("租房") == []


def test_reindexing_a_document_replaces_it(fresh_engine):
    from dataclasses import replace

    from tests.search.corpus import PAGES

    fresh_engine.index_documents(PAGES)
    fresh_engine.index_documents([replace(PAGES[3], title="房屋租赁押金纠纷", body="押金")])
    results = search(fresh_engine, "押金")
    assert titles(results) == ["房屋租赁押金纠纷"]


# The ranking that answers questions (search.ranking over each engine's candidates) -------------


def ask(engine, q, **filters):
    data = {"q": q, "page": 1, "page_size": 10} | dict.fromkeys(FILTERS, "") | filters
    return run_search(data, engine=engine, thesaurus=default_thesaurus())


def articles(answer, n=3):
    return [(r["law_name"], r["article_no"]) for r in answer.results[:n] if r["type"] == STATUTE]


def test_a_question_asked_in_everyday_words_gets_the_answering_article_first(conformance_engine):
    answer = ask(conformance_engine, "老板拖欠工资不发怎么办")
    assert articles(answer, 1) == [("中华人民共和国劳动合同法", "第三十条")]


def test_a_mistyped_legal_term_still_finds_the_article(conformance_engine):
    answer = ask(conformance_engine, "商家欺炸消费者怎么赔")
    assert ("中华人民共和国消费者权益保护法", "第五十五条") in articles(answer)
    assert answer.did_you_mean == "商家欺诈消费者怎么赔"


def test_a_word_of_a_laws_name_does_not_outrank_the_answer(conformance_engine):
    """消费者 is in the name of the 消费者权益保护法, so every one of its articles has it in its
    title; the answer is the article about fraud."""
    answer = ask(conformance_engine, "消费者买到假货怎么赔偿")
    assert articles(answer, 1) == [("中华人民共和国消费者权益保护法", "第五十五条")]


def test_a_question_the_library_cannot_answer_gets_nothing(conformance_engine):
    assert ask(conformance_engine, "今天武汉天气怎么样").total == 0
    assert ask(conformance_engine, "红烧肉怎么做才好吃").total == 0


def test_the_count_is_of_answers_not_of_documents_with_any_word(conformance_engine):
    answer = ask(conformance_engine, "老板拖欠工资不发怎么办")
    wide = conformance_engine.search(answer.plan.widen(), limit=1, facets=False)
    any_word = conformance_engine.search(answer.plan.widen(), limit=1000, facets=False).hits
    assert 0 < answer.total < len(any_word)
    assert wide.hits


def test_statute_answers_come_before_the_pieces_explaining_them(conformance_engine):
    answer = ask(conformance_engine, "网络诈骗")
    kinds = [r["type"] for r in answer.results]
    assert kinds[0] == STATUTE
    assert "article" in kinds[:5]


def test_the_ranking_keeps_law_article_url_status_in_force(conformance_engine):
    first = ask(conformance_engine, "老板拖欠工资不发怎么办").results[0]
    assert {k: bool(first[k]) for k in ("law_id", "article_no", "url", "status")} == dict.fromkeys(
        ("law_id", "article_no", "url", "status"), True
    )
    assert first["in_force"] is True
