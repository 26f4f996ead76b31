"""The one Chinese analyser and the query plan: folding, tokens, the thesaurus's legal terms,
stop words, mistyped legal terms."""

import pytest

from search import analysis
from search.analysis import fold, index_tokens
from search.query import parse_query


def words(plan):
    return [[t.text for t in group] for group in plan.groups]


def test_fold_traditional_full_width_and_case_keeps_length():
    text = "網絡詐騙ＡＰＰ１２３，頭髮"
    folded = fold(text)
    assert folded == "网络诈骗app123,头发"
    assert len(folded) == len(text)  # offsets in folded text are offsets in the original


def test_index_tokens_are_bigrams_in_order_plus_lone_characters_and_latin():
    tokens = index_tokens("警惕新型電信網絡詐騙，拨打110找App")
    grams = tokens.grams.split()
    assert grams[:9] == ["警惕", "惕新", "新型", "型电", "电信", "信网", "网络", "络诈", "诈骗"]
    assert {"110", "app", "找"} <= set(grams)


def test_titles_also_get_whole_words():
    assert "电信网络诈骗" in index_tokens("警惕新型电信网络诈骗", words=True).words.split()


def test_traditional_query_plans_like_simplified():
    assert words(parse_query("網絡詐騙")) == words(parse_query("网络诈骗"))
    assert words(parse_query("網絡詐騙")) == [["网络诈骗", "电信网络诈骗"]]
    assert parse_query("網絡詐騙").changed_script
    assert not parse_query("网络诈骗").changed_script


def test_words_of_how_people_ask_are_dropped():
    plan = parse_query("老板拖欠工资怎么办")
    assert "怎么办" not in [t.text for t in plan.terms]
    assert words(plan)[0] == ["老板", "用人单位"]


def test_a_long_made_up_word_is_split_into_known_words():
    assert words(parse_query("拖欠货款")) == [["拖欠"], ["货款"]]


def test_law_names_stay_whole_and_are_recognised():
    plan = parse_query("反电信网络诈骗法第一条")
    assert ["反电信网络诈骗法"] in words(plan)
    assert "反电信网络诈骗法" in plan.law_names


@pytest.mark.parametrize("query", ["", "   ", "！！！", "😀😀", "的了吗", "怎么办"])
def test_queries_with_nothing_to_search_plan_nothing(query):
    assert parse_query(query).is_empty


def test_query_syntax_is_just_text():
    plan = parse_query('诈骗" OR title:* AND (1=1)')
    assert [t.text for t in plan.terms][:1] == ["诈骗"]
    assert all('"' not in t.text and "*" not in t.text for t in plan.terms)


def test_long_input_is_cut():
    assert len(parse_query("诈" * 2000).text) == analysis.MAX_QUERY_CHARS


@pytest.mark.parametrize(
    ("spoken", "legal"),
    [
        ("租房", "租赁"),
        ("酒驾", "饮酒后驾驶"),
        ("醉驾", "醉酒驾驶"),
        ("噪音", "噪声"),
        ("高空抛物", "抛掷物品"),
        ("家暴", "家庭暴力"),
    ],
)
def test_citizen_words_reach_the_words_of_the_law(spoken, legal):
    assert legal in [t.text for t in parse_query(spoken).terms]


def test_minimum_should_match_allows_one_stray_word_in_long_queries():
    assert parse_query("拖欠货款").minimum_should_match == 2
    plan = parse_query("未成年人玩网络游戏时间限制")
    assert len(plan.groups) - plan.minimum_should_match == 1


def test_lone_characters_beside_words_are_dropped_but_kept_alone():
    assert words(parse_query("加班费怎么算")) == [["加班费", "延长工作时间"]]
    assert words(parse_query("偷")) == [["偷"]]


def test_laws_imported_later_become_words():
    analysis.add_law_names(["中华人民共和国测试新法", "测试新法"])
    plan = parse_query("测试新法第一条")
    assert ["测试新法"] in words(plan)
    assert "测试新法" in plan.law_names


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("遗瞩怎么写", "遗嘱"),
        ("家爆可以报警吗", "家暴"),
        ("校园欺陵", "欺凌"),
        # The typo cut into words of the dictionary (高利 + 带, 过 + 其) is still found.
        ("高利带受法律保护吗", "高利贷"),
        ("买到过其食品怎么办", "过期"),
    ],
)
def test_a_mistyped_legal_term_is_read_as_the_term_it_sounds_like(typed, meant):
    plan = parse_query(typed)
    assert meant in [t.text for t in plan.terms]
    assert meant in plan.corrected


def test_words_the_dictionary_knows_are_never_corrected():
    assert parse_query("工商局投诉").corrected == ""


def test_questions_of_a_kind_carry_what_their_answer_says():
    assert "报案" in parse_query("被家暴了怎么办").intent_terms
    assert "有期徒刑" in parse_query("诈骗怎么判").intent_terms
    assert parse_query("家庭暴力").intent_terms == ()


def test_a_question_asking_what_a_term_means_looks_for_its_definition():
    """Not for every article with 是 in it: for the one that says what the term is."""
    assert parse_query("什么是家庭暴力").intent_terms == ("是指", "本法所称")


def test_amounts_are_marked_so_an_amount_the_library_never_uses_does_not_count():
    plan = parse_query("孩子充值了三万多块钱")
    assert dict(zip((g[0].text for g in plan.groups), plan.quantity, strict=True)) == {
        "孩子": False,
        "充值": False,
        "三万多": True,
    }


def test_words_standing_for_the_same_legal_terms_are_asked_about_once():
    """动手 and 打人 both mean 殴打; 老公 and 老婆 both 夫妻: one group each, either word found."""
    expected = [["丈夫", "夫妻", "配偶"], ["动手", "殴打", "打人"]]
    assert words(parse_query("丈夫动手打人")) == expected
    assert words(parse_query("老公欠的债老婆要还吗"))[0] == ["老公", "夫妻", "配偶", "老婆"]


def test_a_legal_term_the_question_also_says_itself_is_asked_about_once():
    """抢包 means 抢夺: a question naming both asks about 抢夺 once, not in two groups."""
    groups = words(parse_query("抢包算抢劫还是抢夺"))
    assert [group for group in groups if "抢夺" in group] == [["抢包", "抢夺"]]


def test_a_question_about_a_subject_a_law_is_named_after_asks_about_that_law():
    analysis.add_law_names(["中华人民共和国行政诉讼法", "行政诉讼法"])
    assert "行政诉讼法" in parse_query("行政诉讼的起诉期限").law_names
    # A short word does not name a law (公司 is not a question about the 公司法).
    analysis.add_law_names(["中华人民共和国公司法", "公司法"])
    assert parse_query("公司不给交社保").law_names == ()


def test_an_amount_the_library_never_uses_counts_only_in_a_short_question():
    """In a story (孩子充值了三万多…) the amount is told in passing; in 三万多的罚款 it is asked."""
    from search.ranking import counted

    story = parse_query("孩子充值了三万多块钱找游戏公司退款")
    frequencies = [0 if g[0].text == "三万多" else 10 for g in story.groups]
    assert counted(story, frequencies) == [True, True, False, True, True, True]
    short = parse_query("三万多的罚款")
    assert counted(short, [0, 10]) == [True, True]


def test_a_thesaurus_word_said_with_de_in_the_middle_is_that_word():
    assert words(parse_query("手写的遗嘱有效吗"))[0] == ["手写遗嘱", "自书遗嘱"]
