"""Pinyin slugs: a page titled 警惕新型电信网络诈骗 is published at
/…/jing-ti-xin-xing-dian-xin-wang-luo-zha-pian/ rather than at a Chinese slug that every share,
QR code and channel link turns into a long %-encoded address. Pages already published keep
their slug: their links are out there."""

from django.utils.text import slugify
from pypinyin import lazy_pinyin
from wagtail.admin.forms import WagtailAdminPageForm

# Long enough to tell titles apart, short enough for a QR code and a text message.
MAX_SLUG_LENGTH = 60


def pinyin_slug(text, max_length=MAX_SLUG_LENGTH):
    """An ASCII slug from Chinese (or mixed) text: one syllable per character, joined by
    hyphens; Latin letters and digits kept as they are, punctuation dropped. Cut at a syllable
    boundary. Empty when the text has nothing to spell (only punctuation)."""
    words = (slugify(part) for part in lazy_pinyin(text))
    slug = ""
    for word in filter(None, words):
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or slugify(text)[:max_length]


def available_slug(slug, parent, page=None):
    """The slug itself if no sibling under ``parent`` has it, else the first free slug-2, slug-3…"""
    siblings = parent.get_children()
    if page is not None and page.pk:
        siblings = siblings.not_page(page)
    taken = set(siblings.filter(slug__startswith=slug).values_list("slug", flat=True))
    candidate, suffix = slug, 1
    while candidate in taken:
        suffix += 1
        candidate = f"{slug}-{suffix}"
    return candidate


class PinyinSlugPageForm(WagtailAdminPageForm):
    """The admin form of our pages: a page that has never been published gets a pinyin slug
    instead of the Chinese one the title fills in as the editor types, made unique among its
    siblings. Once a page has been live its slug is left as the editor keeps it."""

    def clean(self):
        slug = self.cleaned_data.get("slug")
        never_published = self.instance.first_published_at is None
        if slug and not slug.isascii() and never_published and self.parent_page is not None:
            spelled = pinyin_slug(slug)
            if spelled:
                self.cleaned_data["slug"] = available_slug(spelled, self.parent_page, self.instance)
        return super().clean()
