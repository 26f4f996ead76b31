"""Reading and writing the portal's video and caption files: PyAV for video (no system ffmpeg
needed), webvtt-py for captions. The upload form validates with these; the demo and the tests
encode their small videos with them."""

import tempfile
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import webvtt
from django.utils.translation import gettext as _
from webvtt.errors import MalformedCaptionError, MalformedFileError

# What each accepted container may carry so that browsers play it natively.
VIDEO_CODECS = {
    "mp4": {"h264", "hevc", "av1"},
    "webm": {"vp8", "vp9", "av1"},
}
QUICKTIME_BRAND = "qt"  # a .mov file is read by the same demuxer as MP4, but is not one


class MediaFileError(ValueError):
    """A file that is not what it claims to be; the message is for the person who uploaded it."""


@dataclass(frozen=True)
class VideoInfo:
    container: str
    codec: str
    duration: float | None
    width: int
    height: int


def probe_video(file, extension):
    """Read what a video file really is: its container, codec, duration and frame size.

    `file` is a path or a seekable binary file; `extension` is "mp4" or "webm", the type the file
    claims by its name. Raises MediaFileError with a Chinese message if the content disagrees.
    """
    if extension not in VIDEO_CODECS:
        raise MediaFileError(_("只接受 MP4 或 WebM 格式的视频。"))
    if hasattr(file, "seek"):
        file.seek(0)
    try:
        with av.open(file, mode="r") as container:
            return _video_info(container, extension)
    except av.FFmpegError as exc:
        raise MediaFileError(_("无法识别这个文件的内容，它不是有效的视频文件。")) from exc
    finally:
        if hasattr(file, "seek"):
            file.seek(0)


def _video_info(container, extension):
    demuxers = set(container.format.name.split(","))
    brand = container.metadata.get("major_brand", "").strip()
    if extension not in demuxers or brand == QUICKTIME_BRAND:
        raise MediaFileError(
            _("文件内容不是 %(format)s 视频（文件名后缀与内容不符）。")
            % {"format": extension.upper()}
        )
    if not container.streams.video:
        raise MediaFileError(_("文件中没有视频画面。"))
    stream = container.streams.video[0]
    codec = stream.codec_context.name
    if codec not in VIDEO_CODECS[extension]:
        raise MediaFileError(
            _(
                "%(format)s 文件中的视频编码 %(codec)s 无法在浏览器中直接播放，"
                "请用 %(allowed)s 编码。"
            )
            % {
                "format": extension.upper(),
                "codec": codec,
                "allowed": " / ".join(sorted(VIDEO_CODECS[extension])),
            }
        )
    return VideoInfo(
        container=extension,
        codec=codec,
        duration=_duration(container, stream),
        width=stream.codec_context.width,
        height=stream.codec_context.height,
    )


def _duration(container, stream):
    """Seconds, from the container header or the stream; None when the file does not say."""
    if container.duration:
        return container.duration / av.time_base
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return None


def parse_captions(data):
    """Parse WebVTT bytes; returns the webvtt.WebVTT, or raises MediaFileError in Chinese."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MediaFileError(_("字幕文件必须是 UTF-8 编码的 WebVTT 文件。")) from exc
    try:
        captions = webvtt.from_string(text, strict=True)
    except MalformedFileError as exc:
        raise MediaFileError(_("字幕文件不是有效的 WebVTT 格式（第一行应为 WEBVTT）。")) from exc
    except MalformedCaptionError as exc:
        raise MediaFileError(
            _("字幕文件中有格式错误的字幕条目：%(detail)s") % {"detail": exc}
        ) from exc
    if not captions.captions:
        raise MediaFileError(_("字幕文件中没有任何字幕条目。"))
    return captions


def format_timestamp(seconds):
    """WebVTT's hh:mm:ss.ttt."""
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def captions_vtt(cues):
    """A WebVTT document from (start seconds, end seconds, text) cues."""
    document = webvtt.WebVTT(
        captions=[
            webvtt.Caption(format_timestamp(start), format_timestamp(end), text)
            for start, end, text in cues
        ]
    )
    return document.content


def encode_mp4(frames, fps=12, size=(640, 360)):
    """Encode PIL images as an H.264 MP4 that every browser plays; returns the file's bytes.

    `frames` is an iterable of PIL images of `size`. yuv420p and +faststart so that phones play
    it and it can start before it has fully downloaded.
    """
    # faststart rewrites the finished file, so it needs a real file, not a buffer.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "video.mp4"
        _encode_h264(frames, path, fps, size)
        return path.read_bytes()


def _encode_h264(frames, path, fps, size):
    with av.open(str(path), mode="w", format="mp4", options={"movflags": "+faststart"}) as output:
        stream = output.add_stream("libx264", rate=Fraction(fps))
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.options = {"preset": "veryfast", "crf": "26"}
        for image in frames:
            frame = av.VideoFrame.from_image(image.convert("RGB"))
            output.mux(stream.encode(frame))
        output.mux(stream.encode(None))
