"""Uploading videos and captions to the media library: only real MP4/WebM, duration and frame size
read from the file, captions that parse as WebVTT; bad files get a Chinese form error, not a 500."""

import io

import av
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from django.urls import reverse
from PIL import Image
from wagtail.models import Collection

from content.media import MediaFileError, captions_vtt, encode_mp4, parse_captions, probe_video
from content.models import VideoMedia
from content.roles import EDITORS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CAPTIONS = captions_vtt([(0, 1.5, "遇到陌生来电要求转账"), (1.5, 3, "先挂断，再核实")]).encode()


def frames(count, size=(320, 180)):
    return [Image.new("RGB", size, (200, 30 + index * 5, 40)) for index in range(count)]


@pytest.fixture(scope="session")
def small_mp4():
    """Three seconds of 320×180 H.264 at 12 frames a second, made the way the demo makes them."""
    return encode_mp4(frames(36), fps=12, size=(320, 180))


def encode_with(codec, container_format, count=12):
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=container_format) as output:
        stream = output.add_stream(codec, rate=12)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for image in frames(count, (64, 64)):
            output.mux(stream.encode(av.VideoFrame.from_image(image)))
        output.mux(stream.encode(None))
    return buffer.getvalue()


@pytest.fixture
def editor_client(client, db):
    UserFactory(username="editor", groups=[EDITORS])
    client.login(request=HttpRequest(), username="editor", password="pw-for-tests")
    return client


def upload(client, video, captions=None, **fields):
    data = {
        "title": "反诈动漫第一集",
        "file": video,
        "collection": Collection.get_first_root_node().pk,
        "captions_language": "zh-Hans",
        "tags": "",
        **fields,
    }
    if captions is not None:
        data["captions"] = captions
    return client.post(reverse("wagtailmedia:add", args=("video",)), data)


def form_errors(response):
    assert response.status_code == 200, "expected the form again, with errors"
    return {name: " ".join(errors) for name, errors in response.context["form"].errors.items()}


def test_duration_and_frame_size_are_read_from_the_file(editor_client, small_mp4):
    response = upload(
        editor_client,
        SimpleUploadedFile("fanzha.mp4", small_mp4, "video/mp4"),
        SimpleUploadedFile("fanzha.vtt", CAPTIONS, "text/vtt"),
        duration="999",
        width="1",
        height="1",
    )

    assert response.status_code == 302
    media = VideoMedia.objects.get(title="反诈动漫第一集")
    assert media.duration == pytest.approx(3.0, abs=0.1)
    assert (media.width, media.height) == (320, 180)
    assert media.type == "video"
    assert media.captions.name.endswith(".vtt")


def test_a_renamed_text_file_is_refused(editor_client):
    response = upload(
        editor_client, SimpleUploadedFile("video.mp4", "这不是视频".encode() * 100, "video/mp4")
    )
    assert "不是有效的视频文件" in form_errors(response)["file"]
    assert not VideoMedia.objects.exists()


def test_a_renamed_image_is_refused(editor_client):
    png = io.BytesIO()
    Image.new("RGB", (32, 32), "red").save(png, "PNG")
    response = upload(editor_client, SimpleUploadedFile("photo.mp4", png.getvalue(), "video/mp4"))
    assert "文件内容不是 MP4 视频" in form_errors(response)["file"]


def test_other_extensions_are_refused(editor_client, small_mp4):
    response = upload(editor_client, SimpleUploadedFile("clip.avi", small_mp4, "video/x-msvideo"))
    assert form_errors(response)["file"]
    assert not VideoMedia.objects.exists()


def test_an_mp4_renamed_to_webm_is_refused(editor_client, small_mp4):
    response = upload(editor_client, SimpleUploadedFile("clip.webm", small_mp4, "video/webm"))
    assert "文件内容不是 WEBM 视频" in form_errors(response)["file"]


def test_a_codec_browsers_cannot_play_is_refused(editor_client):
    old_codec = encode_with("mpeg4", "mp4")
    response = upload(editor_client, SimpleUploadedFile("old.mp4", old_codec, "video/mp4"))
    assert "无法在浏览器中直接播放" in form_errors(response)["file"]


def test_webm_with_vp9_is_accepted(editor_client):
    response = upload(
        editor_client, SimpleUploadedFile("clip.webm", encode_with("libvpx-vp9", "webm"))
    )
    assert response.status_code == 302
    assert VideoMedia.objects.get().duration == pytest.approx(1.0, abs=0.1)


def test_an_oversize_video_is_refused(editor_client, small_mp4, settings):
    settings.PORTAL_MAX_VIDEO_BYTES = 1024
    response = upload(editor_client, SimpleUploadedFile("big.mp4", small_mp4, "video/mp4"))
    message = form_errors(response)["file"]
    assert "视频文件太大" in message and "上限是 1.0\xa0KB" in message


@pytest.mark.parametrize(
    ("captions", "message"),
    [
        (b"1\n00:00:00,000 --> 00:00:02,000\nSRT, not WebVTT\n", "不是有效的 WebVTT 格式"),
        (b"WEBVTT\n\nxx --> yy\nbroken cue\n", "格式错误的字幕条目"),
        (b"WEBVTT\n", "没有任何字幕条目"),
        ("WEBVTT\n\n00:00.000 --> 00:02.000\n国标码字幕\n".encode("gbk"), "UTF-8"),
    ],
)
def test_broken_captions_are_refused(editor_client, small_mp4, captions, message):
    response = upload(
        editor_client,
        SimpleUploadedFile("clip.mp4", small_mp4, "video/mp4"),
        SimpleUploadedFile("clip.vtt", captions, "text/vtt"),
    )
    assert message in form_errors(response)["captions"]
    assert not VideoMedia.objects.exists()


def test_captions_must_be_a_vtt_file(editor_client, small_mp4):
    response = upload(
        editor_client,
        SimpleUploadedFile("clip.mp4", small_mp4, "video/mp4"),
        SimpleUploadedFile("clip.srt", CAPTIONS, "text/plain"),
    )
    assert "WebVTT 文件（.vtt）" in form_errors(response)["captions"]


def test_oversize_captions_are_refused(editor_client, small_mp4, settings):
    settings.PORTAL_MAX_CAPTION_BYTES = 16
    response = upload(
        editor_client,
        SimpleUploadedFile("clip.mp4", small_mp4, "video/mp4"),
        SimpleUploadedFile("clip.vtt", CAPTIONS, "text/vtt"),
    )
    assert "字幕文件太大" in form_errors(response)["captions"]


def test_audio_uploads_are_refused(editor_client, small_mp4):
    response = editor_client.post(
        reverse("wagtailmedia:add", args=("audio",)),
        {
            "title": "录音",
            "file": SimpleUploadedFile("clip.mp4", small_mp4, "video/mp4"),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert "只收视频" in form_errors(response)["file"]


def test_captions_are_served_as_text_vtt(editor_client, client, small_mp4):
    upload(
        editor_client,
        SimpleUploadedFile("clip.mp4", small_mp4, "video/mp4"),
        SimpleUploadedFile("clip.vtt", CAPTIONS, "text/vtt"),
    )
    media = VideoMedia.objects.get()
    response = client.get(media.captions.url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/vtt")


def test_probe_reads_duration_and_size(small_mp4):
    info = probe_video(io.BytesIO(small_mp4), "mp4")
    assert (info.container, info.codec, info.width, info.height) == ("mp4", "h264", 320, 180)
    assert info.duration == pytest.approx(3.0, abs=0.1)


def test_generated_captions_parse_back():
    parsed = parse_captions(CAPTIONS)
    assert [(c.start, c.end, c.text) for c in parsed.captions] == [
        ("00:00:00.000", "00:00:01.500", "遇到陌生来电要求转账"),
        ("00:00:01.500", "00:00:03.000", "先挂断，再核实"),
    ]


def test_parse_captions_accepts_a_byte_order_mark():
    assert parse_captions(b"\xef\xbb\xbf" + CAPTIONS).captions


def test_probe_refuses_unknown_extension(small_mp4):
    with pytest.raises(MediaFileError):
        probe_video(io.BytesIO(small_mp4), "mov")


def test_a_renamed_file_uploaded_from_the_page_editor_chooser_is_refused(editor_client):
    prefix = "media-chooser-upload"
    response = editor_client.post(
        reverse("wagtailmedia:chooser_upload", args=("video",)),
        {
            f"{prefix}-title": "假视频",
            f"{prefix}-file": SimpleUploadedFile("fake.mp4", b"not a video" * 50),
            f"{prefix}-collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 200
    assert "不是有效的视频文件" in response.json()["html"]
    assert not VideoMedia.objects.exists()


def test_editing_the_title_keeps_what_was_read_from_the_file(editor_client, small_mp4):
    upload(editor_client, SimpleUploadedFile("clip.mp4", small_mp4, "video/mp4"))
    media = VideoMedia.objects.get()
    response = editor_client.post(
        reverse("wagtailmedia:edit", args=(media.pk,)),
        {
            "title": "改过的标题",
            "collection": Collection.get_first_root_node().pk,
            "captions_language": "zh-Hans",
            "tags": "",
        },
    )
    assert response.status_code == 302
    media.refresh_from_db()
    assert media.title == "改过的标题"
    assert media.duration == pytest.approx(3.0, abs=0.1) and media.width == 320
