"""The statute citation block: the law typed by name, the article in any common form, validated
against the library in Chinese, and rendered with the library's exact text, linked to the
article, or an honest note when the article has gone."""

import pytest
from wagtail.blocks import StructBlockValidationError

from content.blocks import StatuteCitationBlock
from content.models import Statute, StatuteArticle
from content.statutes import import_statutes
from tests.factories import StatuteArticleFactory, StatuteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def block():
    return StatuteCitationBlock()


def typed(block, law, article, note=""):
    """The value as the editor's form gives it: the law's name and the article as typed."""
    value = block.to_python({"statute": None, "article": article, "note": note})
    value["statute"] = law
    return value


def cite(block, statute, key, note=""):
    return block.to_python({"statute": statute.law_id, "article": key, "note": note})


def block_errors(block, value):
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(value)
    return {name: " ".join(error.messages) for name, error in caught.value.block_errors.items()}


@pytest.fixture
def criminal_law():
    import_statutes(laws=["中华人民共和国刑法", "中华人民共和国民法典"])
    return Statute.objects.get(name="中华人民共和国刑法")


@pytest.mark.parametrize("typed_number", ["133之一", "133-1", "第一百三十三条之一", "第133条之1"])
def test_every_common_form_of_133_1_cites_dangerous_driving_not_133(
    block, criminal_law, typed_number
):
    value = block.clean(typed(block, "刑法", typed_number))

    assert value["statute"] == criminal_law
    assert value["article"] == "133-1"
    html = block.render(value)
    assert "醉酒驾驶机动车的" in html
    assert 'href="/laws/d2da5d066414/133-1/"' in html
    assert "《中华人民共和国刑法》第一百三十三条之一" in html


@pytest.mark.parametrize("law", ["民法典", "《民法典》", "中华人民共和国民法典", "民法典 "])
@pytest.mark.parametrize("number", ["1254", "第1254条", "第一千二百五十四条"])
def test_civil_code_1254_in_any_common_form(block, criminal_law, law, number):
    value = block.clean(typed(block, law, number))

    assert value["statute"].name == "中华人民共和国民法典"
    assert value["article"] == "1254"


def test_traditional_names_and_abbreviations_find_the_law(block):
    import_statutes(laws=["劳动合同法", "道路交通安全法"])

    labour = block.clean(typed(block, "勞動合同法", "82"))
    traffic = block.clean(typed(block, "道交法", "第二十二条"))

    assert labour["statute"].name == "中华人民共和国劳动合同法"
    assert traffic["statute"].name == "中华人民共和国道路交通安全法"
    assert traffic["article"] == "22"


def test_a_missing_article_is_a_chinese_error(block, criminal_law):
    assert block_errors(block, typed(block, "民法典", "9999")) == {
        "article": "《中华人民共和国民法典》没有第九千九百九十九条。"
    }
    assert block_errors(block, typed(block, "刑法", "133之九")) == {
        "article": "《中华人民共和国刑法》没有第一百三十三条之九。"
    }


def test_a_number_that_is_not_one_is_refused_never_rounded(block, criminal_law):
    errors = block_errors(block, typed(block, "刑法", "133.5"))

    assert errors == {
        "article": "无法识别条号“133.5”：请写成 1254、第1254条、第一千二百五十四条、"
        "133之一或 133-1。"
    }


def test_citing_a_repealed_law_is_a_chinese_error(block):
    import_statutes(laws=["中华人民共和国噪声污染防治法"])

    errors = block_errors(block, typed(block, "噪声污染防治法", "1"))

    assert errors == {
        "statute": "《中华人民共和国噪声污染防治法》已废止，不能引用；请引用现行有效的版本。"
    }


def test_an_ambiguous_name_lists_the_laws_it_could_mean(block):
    StatuteFactory(name="中华人民共和国测试甲安全法")
    StatuteFactory(name="中华人民共和国测试乙安全法")

    errors = block_errors(block, typed(block, "安全法", "1"))

    assert errors == {
        "statute": "“安全法”可以指多部法律：《中华人民共和国测试甲安全法》、"
        "《中华人民共和国测试乙安全法》。请写出完整名称。"
    }


def test_an_unknown_law_is_a_chinese_error(block):
    errors = block_errors(block, typed(block, "没有这部法", "1"))

    assert errors == {"statute": "法律法规库中没有名为“没有这部法”的法律。"}


def test_citation_renders_the_exact_text_linked_to_the_article(block):
    import_statutes(laws=["民法典"])
    civil_code = Statute.objects.get(name="中华人民共和国民法典")
    article = civil_code.articles.get(number=1254)

    html = block.render(cite(block, civil_code, "1254", note="高空抛物不是小事"))

    assert article.text.startswith("禁止从建筑物中抛掷物品。")
    assert article.text in html
    assert (
        f'<a class="law" href="/laws/{civil_code.law_id}/1254/">'
        "《中华人民共和国民法典》第一千二百五十四条</a>" in html
    )
    assert "编者按：高空抛物不是小事" in html


def test_the_block_stores_the_law_id_and_the_article_key(block, criminal_law):
    value = block.clean(typed(block, "刑法", "第一百三十三条之一"))

    assert block.get_prep_value(value) == {
        "statute": "d2da5d066414",
        "article": "133-1",
        "note": "",
    }


def test_citation_of_an_article_that_has_gone_says_so_instead_of_quoting(block):
    statute = StatuteFactory(name="中华人民共和国测试法")
    article = StatuteArticleFactory(statute=statute, position=5, number=5, text="原来的条文。")
    value = cite(block, statute, "5")
    StatuteArticle.objects.filter(pk=article.pk).delete()  # e.g. dropped by a later import

    html = block.render(value)

    assert "原来的条文。" not in html
    assert "<blockquote" not in html
    assert "此处引用的《中华人民共和国测试法》第五条已不在法律法规库中，无法显示原文。" in html
    assert statute.get_absolute_url() in html


def test_citation_of_a_law_since_repealed_marks_it_and_points_to_the_version_in_force(block):
    current = StatuteFactory(name="中华人民共和国宪法")
    old = StatuteFactory(
        name="中华人民共和国宪法", status=Statute.Status.HISTORICAL, current_version=current
    )
    StatuteArticleFactory(statute=old, position=1, number=1, text="旧版本的第一条。")

    html = block.render(cite(block, old, "1"))

    assert "旧版本的第一条。" in html
    assert '<span class="badge warn">历史版本</span>' in html
    assert f'<a href="{current.get_absolute_url()}">查看现行有效版本</a>' in html
