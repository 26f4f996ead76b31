"""Every kind of public page is valid HTML by the Nu HTML Checker: zero errors."""

from tests.portal.pages import public_pages
from tests.validity import html_errors


def test_public_pages_are_valid_html(client, topic, tmp_path, vnu, search_index):
    pages = public_pages(topic)
    search_index()
    assert html_errors(vnu, client, pages, tmp_path) == []
