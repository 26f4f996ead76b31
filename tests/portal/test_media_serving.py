"""Uploaded media on a single machine: videos with byte ranges (phones need them to play and
seek), captions as text/vtt, and Wagtail's documents only through Wagtail's own view."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


@pytest.fixture
def stored(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def store(name, data):
        return default_storage.save(name, ContentFile(data))

    return store


def body(response):
    return b"".join(response.streaming_content)


def test_a_video_is_served_whole_and_in_byte_ranges(client, stored):
    data = bytes(range(256)) * 40
    name = stored("media/clip.mp4", data)

    whole = client.get(f"/media/{name}")
    assert whole.status_code == 200
    assert whole["Content-Type"] == "video/mp4"
    assert body(whole) == data

    part = client.get(f"/media/{name}", HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert body(part) == data[100:200]


def test_captions_are_served_as_webvtt(client, stored):
    name = stored("captions/clip.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\n字幕\n".encode())
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"].replace('"', "") == "text/vtt; charset=utf-8"


def test_missing_files_and_paths_outside_media_are_404(client, stored):
    stored("media/clip.mp4", b"x")
    assert client.get("/media/media/other.mp4").status_code == 404
    assert client.get("/media/../portal/settings/base.py").status_code == 404
    assert client.get("/media/%2e%2e/portal/settings/base.py").status_code == 404


def test_documents_are_only_served_through_wagtail(client, stored):
    name = stored("documents/internal.pdf", b"%PDF-1.4")
    assert client.get(f"/media/{name}").status_code == 404


def test_only_reading_is_allowed(client, stored):
    name = stored("media/clip.mp4", b"x")
    assert client.post(f"/media/{name}").status_code == 405
