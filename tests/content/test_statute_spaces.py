"""Stray spaces in the source: some article texts (most of them in the 生态环境法典) carry spaces
the PDF they were taken from left inside sentences ("生活垃 圾"). The library shows and keeps the
text without them; tables keep the spaces between their cells, and amendments the ideographic
space after a quoted article's label."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from content.models import Statute
from content.statutes import import_statutes

pytestmark = pytest.mark.django_db

ECOLOGY_CODE = "e37bfe4bff63"  # 中华人民共和国生态环境法典


def html(response):
    return response.content.decode()


def test_the_article_page_shows_the_law_without_the_stray_spaces(client):
    import_statutes(laws=["生态环境法典"])

    page = html(client.get(reverse("statute_article", args=[ECOLOGY_CODE, 502])))

    assert "县级以上人民政府应当统筹安排建设城乡生活垃圾收集、运输、处理设施、场所" in page


def test_stray_spaces_go_from_every_law_that_has_them():
    call_command("import_statutes", laws=["未成年人保护法", "母婴保健法"], verbosity=0)

    minors = Statute.objects.get(name="中华人民共和国未成年人保护法").articles.get(number=95)
    maternal = Statute.objects.get(name="中华人民共和国母婴保健法").articles.get(number=2)
    assert "交由符合条件的申请人收养" in minors.text
    assert "提供必要条件和物质帮助" in maternal.text


@pytest.mark.parametrize(
    ("law", "number", "line"),
    [
        ("个人所得税法", 22, "级数 全年应纳税所得额 税率（%）"),
        ("环境保护税法", 29, "污 染 物 污染当量值（千克）"),
        ("环境保护税法", 29, "税 目 | 计税单位 | 税 额 | 备 注"),
        ("中华人民共和国香港特别行政区基本法", 160, "第一界别： 工商、金融界 300人"),
    ],
)
def test_tables_keep_the_spaces_between_their_cells(law, number, line):
    import_statutes(laws=[law])

    article = Statute.objects.get().articles.get(number=number)

    assert line in article.text.split("\n")


def test_an_amendment_keeps_the_ideographic_space_after_the_label_it_quotes():
    import_statutes(laws=["中华人民共和国刑法修正案（九）"])

    article = Statute.objects.get().articles.get(label="条目七")

    assert '"第一百二十条之二\u3000有下列情形之一的' in article.text
