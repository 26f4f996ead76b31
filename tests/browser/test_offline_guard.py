"""The offline rule's guard itself: a page that asks another machine for anything is stopped and
the attempt is recorded, so the browser tests can prove the portal needs no internet."""

import pytest

pytestmark = pytest.mark.browser


def test_requests_to_other_machines_are_aborted_and_recorded(page, live_server, outside_requests):
    # A document of the live server (so /static/ resolves there) that the portal's
    # Content-Security-Policy does not govern: static files bypass the middleware.
    page.goto("/static/css/portal.css")
    page.set_content(
        '<img src="https://cdn.example.com/logo.png">'
        '<link rel="stylesheet" href="http://fonts.example.org/font.css">'
        f'<img id="ours" src="{live_server.url}/static/css/portal.css">'
    )
    page.wait_for_load_state("load")

    assert sorted(outside_requests) == [
        "GET http://fonts.example.org/font.css",
        "GET https://cdn.example.com/logo.png",
    ]
    outside_requests.clear()  # seen; the guard must not fail this test


def test_the_admin_login_page_makes_no_outside_requests(page):
    page.goto("/admin/login/")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "登录" in page.content()


@pytest.mark.parametrize("role", ["admin", "official"])
def test_admin_screens_make_no_outside_requests(login_page, topic, role):
    """Avatars (Gravatar), the release check and the "what's new" banner would all reach out."""
    page = login_page(role)
    for url in ["/admin/", f"/admin/pages/{topic.pk}/", "/admin/account/"]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == "zh-hans"
