"""The search evaluation set keeps the promises of its header: enough questions of every kind and
topic, gold that names real articles of laws in force, and the seeded split."""

import functools
from collections import Counter

import opencc
import pytest

from bench import _search_eval as evaluation
from content.statutes import read_corpus

TOPICS = {
    "劳动",
    "租房",
    "婚姻家庭",
    "继承",
    "消费网购",
    "交通",
    "反诈",
    "邻里",
    "未成年人",
    "老年人",
    "农村土地",
    "个人信息",
    "医疗纠纷",
    "债务诉讼",
    "家庭暴力",
    "行政处罚",
    "食品安全",
    "生态环境",
    "社会保险",
    "物业",
    "无答案",
}


@functools.cache
def questions():
    return evaluation.load()


@functools.cache
def index():
    return evaluation.corpus_index(read_corpus())


def test_the_set_has_at_least_two_hundred_questions():
    assert len(questions()) >= 200


@pytest.mark.parametrize(
    ("kind", "minimum"),
    [("traditional", 20), ("colloquial", 20), ("typo", 10), ("long", 20), ("none", 15)],
)
def test_each_kind_the_issue_asks_for_is_there(kind, minimum):
    assert Counter(q.kind for q in questions())[kind] >= minimum


def test_kinds_are_the_documented_ones():
    assert {q.kind for q in questions()} == set(evaluation.KINDS)


def test_every_topic_citizens_ask_about_is_covered():
    assert {q.topic for q in questions()} == TOPICS


def test_long_questions_are_longer_than_twenty_characters():
    assert [q.q for q in questions() if q.kind == "long" and len(q.q) <= 20] == []


def test_traditional_questions_are_written_in_traditional_characters():
    t2s = opencc.OpenCC("t2s")
    unchanged = [q.q for q in questions() if q.kind == "traditional" and t2s.convert(q.q) == q.q]
    assert unchanged == []


def test_no_question_is_asked_twice():
    assert [q for q, n in Counter(q.q for q in questions()).items() if n > 1] == []


def test_answerable_questions_have_one_to_three_gold_articles():
    wrong = [q.q for q in questions() if q.kind != "none" and not 1 <= len(q.gold) <= 3]
    assert wrong == []


def test_questions_without_an_answer_have_no_gold():
    assert [q.q for q in questions() if q.kind == "none" and q.gold] == []


def test_every_gold_reference_names_exactly_one_article_of_a_law_in_force():
    bad = [
        (q.q, ref)
        for q in questions()
        for ref in q.gold
        if len(evaluation.resolve(ref, index())) != 1
    ]
    assert bad == []


def test_articles_with_a_suffix_resolve_to_that_article():
    (article,) = evaluation.resolve("刑法 第133条之一", index())
    assert article.label == "第一百三十三条之一"


def seeded_questions():
    return [q for q in questions() if q.seeded]


def test_parts_are_the_seeded_hash_split():
    seeded = evaluation.seeded_parts(questions())
    assert [q.q for q in seeded_questions() if q.part != seeded[q.q]] == []


def test_questions_added_after_the_split_are_in_the_dev_part_only():
    added = [q for q in questions() if not q.seeded]
    assert (len(added), {q.part for q in added}) == (47, {"dev"})


def test_both_parts_have_the_same_mix_of_kinds_within_one():
    dev = Counter(q.kind for q in evaluation.part(seeded_questions(), "dev"))
    test = Counter(q.kind for q in evaluation.part(seeded_questions(), "test"))
    assert {kind: abs(dev[kind] - test[kind]) <= 1 for kind in evaluation.KINDS} == dict.fromkeys(
        evaluation.KINDS, True
    )


def test_the_test_part_hash_changes_when_a_gold_article_moves():
    test = evaluation.part(questions(), "test")
    moved = [evaluation.Question(test[0].q, test[0].topic, test[0].kind, "test", ("民法典 第1条",))]
    assert evaluation.part_hash(moved + test[1:]) != evaluation.part_hash(test)
