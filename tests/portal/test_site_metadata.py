"""What browsers, search engines and link previews read about the site: a favicon, a meta
description and Open Graph tags on every page, and a sitemap and robots.txt that name the public
address SITE_URL, never the host a request happened to reach."""

from xml.etree import ElementTree

import pytest

from tests.factories import ArticlePageFactory

SITE_URL = "https://pufa.example.gov.cn"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def public_address(settings):
    settings.WAGTAILADMIN_BASE_URL = SITE_URL


@pytest.fixture
def article(topic):
    page = ArticlePageFactory(
        parent=topic, title="遇到电信诈骗怎么办", summary="三步应对电信诈骗。"
    )
    page.save_revision().publish()
    return page


def test_the_favicon_is_served(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")


def meta(html, attribute, name):
    marker = f'<meta {attribute}="{name}" content="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_an_article_describes_itself_for_search_and_link_previews(client, article, public_address):
    html = client.get(article.url).content.decode()
    assert meta(html, "name", "description") == "三步应对电信诈骗。"
    assert meta(html, "property", "og:title") == "遇到电信诈骗怎么办"
    assert meta(html, "property", "og:type") == "article"
    assert meta(html, "property", "og:url") == SITE_URL + article.url


@pytest.mark.parametrize("url", ["/", "/laws/", "/map/", "/search/"])
def test_every_page_has_a_description(client, home, url):
    html = client.get(url).content.decode()
    assert len(meta(html, "name", "description")) > 10
    assert meta(html, "property", "og:site_name") == "湖北网络普法"


def test_the_sitemap_lists_pages_on_the_public_address(client, article, public_address):
    root = ElementTree.fromstring(client.get("/sitemap.xml").content)
    locations = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert SITE_URL + article.url in locations
    assert all(location.startswith(SITE_URL + "/") for location in locations)


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, public_address):
    text = client.get("/robots.txt").content.decode()
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in text.splitlines()
    assert "Disallow: /admin/" in text.splitlines()
