"""An official's way into the admin: the log-in lands on the coverage dashboard, not on an empty
home; the menu offers nothing that would answer 没有权限."""

import pytest

from content.roles import EDITORS
from tests.factories import UserFactory
from tests.reach.factories import OfficialFactory

pytestmark = pytest.mark.django_db

LOG_IN = "/admin/login/"


def log_in(client, username):
    return client.post(LOG_IN, {"username": username, "password": "pw-for-tests"}, follow=True)


def test_an_official_lands_on_the_coverage_dashboard(client, home):
    OfficialFactory(username="official-wuhan", scope=420100)
    response = log_in(client, "official-wuhan")
    assert response.redirect_chain == [("/admin/", 302), ("/admin/coverage/", 302)]
    assert response.status_code == 200
    assert "覆盖看板" in response.content.decode()


def test_an_editor_still_lands_on_the_admin_home(client, home):
    UserFactory(username="editor", groups=[EDITORS])
    response = log_in(client, "editor")
    assert response.redirect_chain == [("/admin/", 302)]
    assert response.templates[0].name == "wagtailadmin/home.html"


def test_a_log_in_link_to_another_admin_page_is_kept(client, home):
    OfficialFactory(username="official", scope=None)
    response = client.post(
        f"{LOG_IN}?next=/admin/account/",
        {"username": "official", "password": "pw-for-tests", "next": "/admin/account/"},
    )
    assert response["Location"] == "/admin/account/"


def test_an_anonymous_visitor_of_the_admin_home_is_asked_to_log_in(client, home):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/admin/")


def test_the_content_menu_is_only_for_those_who_work_on_pages(client, home):
    client.force_login(OfficialFactory(username="official", scope=None))
    official_menu = client.get("/admin/coverage/").content.decode()
    assert "\\u666e\\u6cd5\\u5185\\u5bb9" not in official_menu  # 普法内容 in the sidebar's JSON
    assert "\\u8986\\u76d6\\u770b\\u677f" in official_menu  # 覆盖看板

    client.logout()
    client.force_login(UserFactory(username="editor", groups=[EDITORS]))
    assert "\\u666e\\u6cd5\\u5185\\u5bb9" in client.get("/admin/").content.decode()
