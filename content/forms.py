"""Upload validation for the media library: only real MP4/WebM videos, read with PyAV, and
captions that parse as WebVTT. Clear Chinese form errors instead of broken media.

wagtailmedia builds its add, edit and chooser-upload forms on this class
(`WAGTAILMEDIA["MEDIA_FORM_BASE"]`), so every way into the library is checked the same."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from wagtailmedia.forms import BaseMediaForm
from wagtailmedia.models import MediaType

from content.media import MediaFileError, parse_captions, probe_video


def _extension(uploaded):
    return Path(uploaded.name).suffix.lower().lstrip(".")


def _local_source(uploaded):
    """A path PyAV can open directly when Django spooled the upload to disk, else the file."""
    if hasattr(uploaded, "temporary_file_path"):
        return uploaded.temporary_file_path()
    return uploaded


def check_size(uploaded, limit, what):
    if uploaded.size > limit:
        raise forms.ValidationError(
            _("%(what)s太大（%(size)s），上限是 %(limit)s。")
            % {"what": what, "size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)}
        )


class ValidatedMediaForm(BaseMediaForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            self.fields["file"].help_text = _("MP4 或 WebM 视频，最大 %(size)s") % {
                "size": filesizeformat(settings.PORTAL_MAX_VIDEO_BYTES)
            }
        if "captions" in self.fields:
            self.fields["captions"].widget.attrs["accept"] = ".vtt,text/vtt"
        self.video_info = None

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if not uploaded or "file" not in self.changed_data:
            return uploaded
        if self.instance.type == MediaType.AUDIO:
            raise forms.ValidationError(_("本站媒体库只收视频，请上传 MP4 或 WebM 视频。"))
        check_size(uploaded, settings.PORTAL_MAX_VIDEO_BYTES, _("视频文件"))
        try:
            self.video_info = probe_video(_local_source(uploaded), _extension(uploaded))
        except MediaFileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return uploaded

    def clean_captions(self):
        uploaded = self.cleaned_data.get("captions")
        if not uploaded or "captions" not in self.changed_data:
            return uploaded
        if _extension(uploaded) != "vtt":
            raise forms.ValidationError(_("字幕请上传 WebVTT 文件（.vtt）。"))
        check_size(uploaded, settings.PORTAL_MAX_CAPTION_BYTES, _("字幕文件"))
        uploaded.seek(0)
        data = uploaded.read()
        uploaded.seek(0)
        try:
            parse_captions(data)
        except MediaFileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return uploaded

    def clean(self):
        cleaned_data = super().clean()
        if self.video_info is not None:
            # What the file says wins over anything typed: duration and size come from the video.
            measured = {
                "type": MediaType.VIDEO,
                "duration": self.video_info.duration or 0,  # 0 is shown as 时长未知
                "width": self.video_info.width,
                "height": self.video_info.height,
            }
            for name, value in measured.items():
                cleaned_data[name] = value
                setattr(self.instance, name, value)
        return cleaned_data
