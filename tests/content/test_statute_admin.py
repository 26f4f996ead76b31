"""The statute library in the Wagtail admin: read-only for everyone, listed with search and
filters, inspected with its articles, and chosen in the citation block by part of its name."""

import pytest
from django.http import HttpRequest
from django.urls import reverse

from content.models import Statute
from content.roles import EDITORS
from tests.factories import StatuteArticleFactory, StatuteFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests"


@pytest.fixture
def editor_client(client):
    UserFactory(username="bianji", groups=[EDITORS])
    client.login(request=HttpRequest(), username="bianji", password=PASSWORD)
    return client


@pytest.fixture
def admin_client(client):
    UserFactory(username="admin", is_superuser=True, is_staff=True)
    client.login(request=HttpRequest(), username="admin", password=PASSWORD)
    return client


@pytest.fixture
def laws(db):
    civil = StatuteFactory(name="中华人民共和国民法典", short_name="民法典", department="民法商法")
    StatuteArticleFactory(statute=civil, position=1, number=1, text="民法典第一条的内容。")
    # Named so that it sorts first by name: the chooser must still list laws in force first.
    repealed = StatuteFactory(
        name="中华人民共和国一部已废止的法",
        status=Statute.Status.REPEALED,
        department="行政法",
    )
    privacy = StatuteFactory(
        name="中华人民共和国个人信息保护法", short_name="个人信息保护法", department="社会法"
    )
    return civil, repealed, privacy


def chooser_results(client, **params):
    response = client.get(reverse("wagtailsnippetchoosers_content_statute:choose_results"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_chooser_finds_a_law_by_part_of_its_chinese_name(editor_client, laws):
    page = chooser_results(editor_client, q="民法")
    assert "中华人民共和国民法典" in page
    assert "个人信息保护法" not in page

    page = chooser_results(editor_client, q="个人信息")
    assert "中华人民共和国个人信息保护法" in page and "民法典" not in page


def test_chooser_lists_laws_in_force_before_repealed_ones(editor_client, laws):
    page = chooser_results(editor_client)
    assert page.index("中华人民共和国个人信息保护法") < page.index("中华人民共和国一部已废止的法")
    assert page.index("中华人民共和国民法典") < page.index("中华人民共和国一部已废止的法")
    assert "已废止" in page


def test_chooser_modal_opens_with_a_search_box_and_no_create_tab(editor_client, laws):
    response = editor_client.get(reverse("wagtailsnippetchoosers_content_statute:choose"))
    assert response.status_code == 200
    body = response.json()["html"]
    assert 'name="q"' in body
    assert "输入名称的一部分" in body
    assert "tab-create" not in body


def test_listing_searches_by_substring_and_filters_by_status_level_and_department(
    admin_client, laws
):
    url = reverse("wagtailsnippets_content_statute:list")
    page = admin_client.get(url, {"q": "信息保护"}).content.decode()
    assert "中华人民共和国个人信息保护法" in page and "中华人民共和国民法典" not in page

    page = admin_client.get(url, {"status": "已废止"}).content.decode()
    assert "中华人民共和国一部已废止的法" in page and "中华人民共和国民法典" not in page

    page = admin_client.get(url, {"department": "民法商法"}).content.decode()
    assert "中华人民共和国民法典" in page and "个人信息保护法" not in page


def test_editors_can_list_and_inspect_laws_but_nobody_edits_them(editor_client, admin_client, laws):
    civil, _repealed, _privacy = laws
    list_url = reverse("wagtailsnippets_content_statute:list")
    inspect_url = reverse("wagtailsnippets_content_statute:inspect", args=[civil.pk])
    assert editor_client.get(list_url).status_code == 200
    page = editor_client.get(inspect_url).content.decode()
    assert "民法典第一条的内容。" in page
    assert civil.get_absolute_url() in page

    # Superusers too: the library comes from the data file, never from hand edits.
    for url in (
        reverse("wagtailsnippets_content_statute:add"),
        reverse("wagtailsnippets_content_statute:edit", args=[civil.pk]),
        reverse("wagtailsnippets_content_statute:delete", args=[civil.pk]),
    ):
        response = admin_client.get(url)
        assert response.status_code in (302, 403), url
        assert admin_client.post(url, {"name": "改过的名字"}).status_code in (302, 403)
    civil.refresh_from_db()
    assert civil.name == "中华人民共和国民法典"
    assert Statute.objects.count() == 3
    listing = admin_client.get(list_url).content.decode()
    assert reverse("wagtailsnippets_content_statute:add") not in listing
