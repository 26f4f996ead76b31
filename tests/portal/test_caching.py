"""Private addresses (admin, documents, health) are never stored by browsers or caches."""

import pytest
import wagtail_factories


@pytest.fixture
def document_url(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return wagtail_factories.DocumentFactory(title="内部通知").url


@pytest.mark.parametrize("url", ["/admin/login/", "/healthz", "document"])
def test_private_addresses_are_never_cached(client, document_url, url):
    response = client.get(document_url if url == "document" else url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"], url
