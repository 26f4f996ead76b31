"""Article numbers as people write them: one parser for the block, the URLs, the API and search,
which reads Arabic and Chinese numerals and the 之 form exactly and never rounds."""

import pytest

from content.citations import (
    ArticleNumberError,
    ArticleRef,
    chinese_to_int,
    entry_refs,
    find_citation,
    int_to_chinese,
    parse_article,
)
from content.statutes import sort_name_of


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("1254", "1254"),
        ("第1254条", "1254"),
        ("第一千二百五十四条", "1254"),
        ("１２５４", "1254"),
        ("133之一", "133-1"),
        ("133-1", "133-1"),
        ("第一百三十三条之一", "133-1"),
        ("第一百三十三條之一", "133-1"),
        ("第133条之1", "133-1"),
        ("133条之一", "133-1"),
        ("第二百零四条", "204"),
        ("第一千零三十九条", "1039"),
        ("十七", "17"),
        ("item-3", "item-3"),
        ("条目三", "item-3"),
    ],
)
def test_common_forms_parse_to_one_article(typed, key):
    assert parse_article(typed).key == key


@pytest.mark.parametrize("typed", ["133.5", "0", "二二", "一百二", "一百零", "第10000条", "", "甲"])
def test_anything_else_is_refused_with_a_chinese_message(typed):
    with pytest.raises(ArticleNumberError, match="无法识别条号"):
        parse_article(typed)


def test_labels_are_written_as_laws_write_them():
    assert ArticleRef(1254).label == "第一千二百五十四条"
    assert ArticleRef(133, 1).label == "第一百三十三条之一"
    assert ArticleRef(110).label == "第一百一十条"
    assert ArticleRef(10).label == "第十条"
    assert ArticleRef(204).label == "第二百零四条"


def test_every_number_up_to_9999_goes_there_and_back():
    assert all(chinese_to_int(int_to_chinese(n)) == n for n in range(1, 10_000))


def test_entries_are_numbered_items_where_the_law_has_no_unique_articles():
    assert [r.key for r in entry_refs(["第一条", "第一条之一", "第二条"])] == ["1", "1-1", "2"]
    assert [r.key for r in entry_refs(["条目一", "条目二"])] == ["item-1", "item-2"]
    assert [r.key for r in entry_refs(["全文"])] == ["item-1"]
    # A decision quoting treaty articles: the labels repeat, so each entry is an item.
    assert [r.key for r in entry_refs(["第三条", "第七条", "第七条"])] == [
        "item-1",
        "item-2",
        "item-3",
    ]


@pytest.mark.parametrize(
    ("query", "law", "key"),
    [
        ("民法典第1254条", "民法典", "1254"),
        ("《民法典》第一千二百五十四条", "民法典", "1254"),
        ("刑法133条之一", "刑法", "133-1"),
        ("劳动合同法 第82条", "劳动合同法", "82"),
        ("勞動合同法第八十二條", "劳动合同法", "82"),
    ],
)
def test_a_query_naming_a_law_and_an_article_is_a_citation(query, law, key):
    citation = find_citation(query)
    assert (citation.law, citation.article.key) == (law, key)


@pytest.mark.parametrize("query", ["民法典", "高空抛物", "刑法修正案（十一）", "第1254条"])
def test_other_queries_are_not_citations(query):
    assert find_citation(query) is None


def test_amendments_sort_by_their_numeral():
    names = [f"中华人民共和国刑法修正案（{n}）" for n in ["七", "三", "十一", "十二", "九"]]
    ordered = sorted(names, key=sort_name_of)
    assert ordered == [
        f"中华人民共和国刑法修正案（{n}）" for n in ["三", "七", "九", "十一", "十二"]
    ]
