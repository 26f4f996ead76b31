"""A citizen plays a short video: it really plays and its Chinese captions load."""

import pytest
from django.core.files import File
from playwright.sync_api import expect

from tests.browser.waiting import wait_until
from tests.factories import VideoMediaFactory, VideoPageFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def video_page(topic, sample_video):
    mp4, vtt = sample_video
    with mp4.open("rb") as video_file, vtt.open("rb") as captions_file:
        media = VideoMediaFactory(
            title="识破冒充公检法诈骗",
            file=File(video_file, name="fanzha.mp4"),
            captions=File(captions_file, name="fanzha.vtt"),
            duration=4.0,
            width=320,
            height=180,
        )
    return VideoPageFactory(
        parent=topic, title="识破冒充公检法诈骗", video=media, transcript="接到来电要求转账……"
    )


def test_video_plays_with_captions(page, video_page):
    page.goto(video_page.url)
    video = page.locator("video")
    expect(video).to_be_visible()
    expect(page.locator("video track[kind=captions]")).to_have_attribute("srclang", "zh-Hans")

    page.evaluate("document.querySelector('video').play()")
    wait_until(page, "document.querySelector('video').currentTime > 0.5")

    cues = page.evaluate_handle(
        """() => new Promise(resolve => {
            const track = document.querySelector('video').textTracks[0];
            track.mode = 'showing';
            const check = () => track.cues && track.cues.length ? resolve(
                Array.from(track.cues, cue => cue.text)) : setTimeout(check, 100);
            check();
        })"""
    ).json_value()
    assert cues == ["接到“公检法”来电要求转账，一定是诈骗。", "遇到可疑情况，请拨打96110咨询。"]
    expect(page.locator(".transcript")).to_contain_text("接到来电要求转账")
