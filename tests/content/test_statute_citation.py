"""The statute citation block: validated against the library in Chinese, and rendered with the
library's exact text, linked to the article, or an honest note when the article has gone."""

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


def cite(block, statute, number, note=""):
    return block.to_python({"statute": statute.pk, "article_number": number, "note": note})


def block_errors(block, value):
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(value)
    return {name: " ".join(error.messages) for name, error in caught.value.block_errors.items()}


def test_civil_code_article_1254_is_valid_and_9999_is_a_chinese_error(block):
    import_statutes(laws=["民法典"])
    civil_code = Statute.objects.get(name="中华人民共和国民法典")

    value = block.clean(cite(block, civil_code, 1254))
    assert value["article_number"] == 1254

    errors = block_errors(block, cite(block, civil_code, 9999))
    assert errors == {"article_number": "《中华人民共和国民法典》没有第 9999 条。"}


def test_citing_a_repealed_law_is_a_chinese_error(block):
    repealed = StatuteFactory(name="中华人民共和国环境保护法", status=Statute.Status.REPEALED)
    StatuteArticleFactory(statute=repealed, position=1, number=1)

    errors = block_errors(block, cite(block, repealed, 1))

    assert errors == {
        "statute": "《中华人民共和国环境保护法》已废止，不能引用；请引用现行有效的版本。"
    }


def test_citation_renders_the_exact_text_linked_to_the_article(block):
    import_statutes(laws=["民法典"])
    civil_code = Statute.objects.get(name="中华人民共和国民法典")
    article = civil_code.articles.get(number=1254)

    html = block.render(cite(block, civil_code, 1254, note="高空抛物不是小事"))

    assert article.text.startswith("禁止从建筑物中抛掷物品。")
    assert article.text in html
    assert (
        f'<a class="law" href="{article.get_absolute_url()}">'
        "《中华人民共和国民法典》第一千二百五十四条</a>" in html
    )
    assert "编者按：高空抛物不是小事" in html


def test_citation_of_an_article_that_has_gone_says_so_instead_of_quoting(block):
    statute = StatuteFactory(name="中华人民共和国测试法")
    article = StatuteArticleFactory(statute=statute, position=5, number=5, text="原来的条文。")
    value = cite(block, statute, 5)
    StatuteArticle.objects.filter(pk=article.pk).delete()  # e.g. dropped by a later import

    html = block.render(value)

    assert "原来的条文。" not in html
    assert "<blockquote" not in html
    assert "此处引用的《中华人民共和国测试法》第 5 条已不在法律法规库中，无法显示原文。" in html
    assert statute.get_absolute_url() in html


def test_citation_of_a_law_since_repealed_marks_it_and_points_to_the_version_in_force(block):
    current = StatuteFactory(name="中华人民共和国宪法")
    old = StatuteFactory(
        name="中华人民共和国宪法", status=Statute.Status.HISTORICAL, current_version=current
    )
    StatuteArticleFactory(statute=old, position=1, number=1, text="旧版本的第一条。")

    html = block.render(cite(block, old, 1))

    assert "旧版本的第一条。" in html
    assert '<span class="badge warn">历史版本</span>' in html
    assert f'<a href="{current.get_absolute_url()}">查看现行有效版本</a>' in html
