"""The portal's media model: wagtailmedia's video plus its WebVTT captions, so that a video and
its captions are uploaded, validated and chosen together."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtailmedia.models import AbstractMedia


class VideoMedia(AbstractMedia):
    captions = models.FileField(
        _("字幕（WebVTT）"),
        upload_to="captions",
        blank=True,
        help_text=_("WebVTT 格式（.vtt），上传时校验"),
    )
    captions_language = models.CharField(_("字幕语言"), max_length=16, default="zh-Hans")

    admin_form_fields = (
        "title",
        "file",
        "captions",
        "captions_language",
        "collection",
        "thumbnail",
        "tags",
    )

    class Meta(AbstractMedia.Meta):
        verbose_name = _("视频文件")
        verbose_name_plural = _("视频文件")

    def clean(self, *args, **kwargs):
        try:
            super().clean(*args, **kwargs)
        except ValidationError:
            # No file means the upload form refused it and says why; wagtailmedia would add a
            # second, wrong error about the empty name's extension ("文件扩展“”…").
            if self.file:
                raise

    @property
    def poster_url(self):
        """The thumbnail's URL for a player's poster, or "" when there is none."""
        return self.thumbnail.url if self.thumbnail else ""
