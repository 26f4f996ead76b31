"""The footer every public page carries, from 设置 → 网站信息 (Wagtail site settings); the
legal-aid call to action; the demo's site information saved through the admin's own form; the
tab title said once."""

import pytest
from django.urls import reverse
from wagtail.models import Site
from wagtail.test.utils.form_data import nested_form_data

from portal import demo
from portal.models import SiteInformation
from tests.factories import ArticlePageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def information(home):
    site = Site.objects.get(is_default_site=True)
    return demo.save_site_information(
        site,
        {
            **demo.DEMO_SITE_INFORMATION,
            "organiser": "湖北省司法厅",
            "phone": "027-87654321",
            "police_record": "鄂公网安备42010602000123号",
            "government_site_code": "4200000012",
        },
    )


def test_every_page_has_the_footer_from_site_settings(client, information, topic):
    article = ArticlePageFactory(parent=topic, title="高空抛物谁来担责")
    for url in ("/", topic.url, article.url, reverse("statute_index"), reverse("public_map")):
        html = client.get(url).content.decode()
        assert "<dt>主办单位</dt><dd>湖北省司法厅</dd>" in html, url
    html = client.get(article.url).content.decode()
    assert '<a href="tel:027-87654321">027-87654321</a>' in html
    icp = '<a href="https://beian.miit.gov.cn/" rel="noopener noreferrer">鄂ICP备00000000号-1</a>'
    assert icp in html
    assert "beian.mps.gov.cn/#/query/webSearch?code=42010602000123" in html
    assert "网站标识码 4200000012" in html


def test_home_and_articles_offer_legal_aid_on_12348(client, information, topic):
    article = ArticlePageFactory(parent=topic)
    for url in ("/", article.url):
        html = client.get(url).content.decode()
        assert '<a class="button-primary" href="tel:12348">拨打 12348</a>' in html, url
        assert 'href="https://www.12348.gov.cn/"' in html, url


def test_without_a_hotline_there_is_no_call_to_action(client, home):
    site = Site.objects.get(is_default_site=True)
    demo.save_site_information(site, {**demo.DEMO_SITE_INFORMATION, "legal_aid_hotline": ""})
    assert "遇到法律问题" not in client.get("/").content.decode()


def test_a_fresh_install_shows_the_nationwide_hotline(client, home):
    html = client.get("/").content.decode()
    assert '<a class="button-primary" href="tel:12348">拨打 12348</a>' in html
    assert "主办单位" not in html  # nothing invented before an administrator fills it in


def test_the_demo_saves_through_the_admins_form_and_refuses_a_bad_record(home):
    site = Site.objects.get(is_default_site=True)
    with pytest.raises(ValueError, match="鄂ICP备12345678号-1"):
        demo.save_site_information(site, {**demo.DEMO_SITE_INFORMATION, "icp_record": "12345"})

    class Out:
        lines = []

        def write(self, line):
            self.lines.append(line)

    demo.load(Out())
    assert SiteInformation.for_site(site).organiser == "湖北省司法厅（演示）"
    demo.load(Out())  # a second run leaves an administrator's values alone
    assert Out.lines[-1] == "  网站信息已存在，未改动"


def test_an_administrator_edits_the_footer_in_the_admin(client, home):
    client.force_login(UserFactory(username="boss", is_superuser=True, is_staff=True))
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=("portal", "siteinformation", site.pk))
    page = client.get(url).content.decode()
    assert "主办单位" in page and "ICP 备案号" in page
    data = nested_form_data({**demo.DEMO_SITE_INFORMATION, "organiser": "湖北省普法办"})
    assert client.post(url, data).status_code == 302
    assert "<dd>湖北省普法办</dd>" in client.get("/").content.decode()


def test_the_tab_title_names_the_portal_once(client, home, topic):
    assert "<title>湖北网络普法</title>" in client.get("/").content.decode()
    assert "<title>反电信网络诈骗 · 湖北网络普法</title>" in client.get(topic.url).content.decode()


def test_the_header_search_box_goes_to_the_search_page(client, home):
    html = client.get("/").content.decode()
    assert '<form class="site-search" method="get" action="/search/" role="search">' in html
    assert '<form class="hero-search" method="get" action="/search/" role="search">' in html
    # the search page has its own box and no second one in the header
    assert 'class="site-search"' not in client.get("/search/?q=诈骗").content.decode()
