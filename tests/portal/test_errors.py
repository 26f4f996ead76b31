"""Bad URLs and unknown pages get the portal's own page in Chinese, never a bare error."""

import pytest
from django.test import RequestFactory

from portal import views


@pytest.mark.parametrize(
    "url",
    [
        "/no-such-page/",
        "/fanzha/no-such-article/",
        "/%E4%B8%8D%E5%AD%98%E5%9C%A8/",  # /不存在/
        "/laws/no-such-law/",
        "/laws/no-such-law/99999999/",
        "/media/no-such-file.mp4",
        "/static/no-such-file.css",
        "/api/no-such-endpoint/",
    ],
)
def test_unknown_addresses_are_a_styled_404_in_chinese(client, topic, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html
    assert 'class="site-header"' in html  # the portal's layout, with its navigation
    assert "/static/css/portal.css" in html


def test_the_404_page_is_for_people_not_for_caches(client, home):
    response = client.get("/no-such-page/")
    assert "返回首页" in response.content.decode()


def test_server_error_page_is_in_chinese_and_standalone():
    """The 500 page must render even when the database or templates that need it are broken,
    so it extends nothing and needs no context."""
    response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "服务暂时不可用" in html
    assert "{%" not in html
