"""The republishable item a channel receives, by webhook or in its feed: everything needed to
publish the piece on the channel's own site, not just a link. Built once per distribution (the
item as it was when distributed) and personalised per channel with its tracking code."""

from urllib.parse import urljoin

import nh3
from django.conf import settings
from django.utils import timezone
from django.utils.html import escape, format_html

from content.blocks import cited_article
from content.models import ArticlePage, VideoPage

# Tags and attributes a republished body may keep: ammonia's safe defaults plus video.
BODY_TAGS = set(nh3.ALLOWED_TAGS) | {"video", "source", "track", "figure", "figcaption"}
BODY_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "img": {"src", "alt", "width", "height"},
    "video": {"src", "poster", "controls", "width", "height", "preload"},
    "source": {"src", "type"},
    "track": {"src", "kind", "srclang", "label", "default"},
}
IMAGE_RENDITION = "max-1200x1200"


def site_base_url():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/"


def absolute(url):
    return urljoin(site_base_url(), url) if url else None


def page_url(page):
    """The page's absolute address on our public site."""
    parts = page.get_url_parts()
    path = parts[2] if parts else page.url_path
    return absolute(path)


# Attributes holding an address that ammonia does not rewrite itself (it rewrites href and src).
ADDRESS_ATTRIBUTES = {"cite", "poster"}


def absolute_address(element, attribute, value):
    if attribute in ADDRESS_ATTRIBUTES:
        return absolute(value)
    return value


def sanitised_body_html(html):
    """HTML safe to embed on another site: no script, no event handler, no unknown tag, and every
    address (links, images, video, quotation sources) made absolute. The one sanitiser of
    everything a channel receives as HTML."""
    return nh3.clean(
        html,
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        attribute_filter=absolute_address,
        url_relative=("rewrite_with_base", site_base_url()),
        url_schemes={"http", "https", "mailto", "tel"},
    )


def republishable(data):
    """Every field of an item that a channel may put into its own HTML, made safe in one place:
    the body sanitised, plain text (a summary) escaped. Text fields stay text in the JSON; the
    HTML a channel shows is ``content_html`` (the whole item) and ``summary_html``, here alone.
    Applied to every item sent, by webhook or in a feed, so payloads frozen before are covered."""
    summary = data.get("summary") or ""
    parts = []
    if data.get("body_html"):
        parts.append(data["body_html"])
    elif summary:
        parts.append(format_html("<p>{}</p>", summary))
    if data.get("type") == "video" and data.get("video"):
        parts.append(format_html('<video controls src="{}"></video>', data["video"]["url"]))
    safe = dict(data)
    if data.get("body_html"):
        safe["body_html"] = sanitised_body_html(data["body_html"])
    safe["content_html"] = sanitised_body_html("".join(parts))
    safe["summary_html"] = escape(summary)
    return safe


def image_payload(image, alt=""):
    if image is None:
        return None
    rendition = image.get_rendition(IMAGE_RENDITION)
    return {
        "url": absolute(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": alt or image.title,
    }


def cited_statutes(page):
    cited = []
    for block in page.body:
        if block.block_type != "statute_citation":
            continue
        statute = block.value.get("statute")
        article = cited_article(block.value)
        if statute is None:
            continue
        cited.append(
            {
                "law_id": statute.law_id,
                "name": statute.name,
                "article": article.label if article else None,
                "text": article.text if article else None,
                "url": absolute(
                    article.get_absolute_url() if article else statute.get_absolute_url()
                ),
            }
        )
    return cited


def item_payload(page):
    """The channel-independent part of the item: what was published, frozen at distribution."""
    page = page.specific
    topic = page.get_parent().specific
    item = {
        "id": page.pk,
        "type": "video" if isinstance(page, VideoPage) else "article",
        "title": page.title,
        "summary": page.summary,
        "date": page.date.isoformat() if page.date else None,
        "url": page_url(page),
        "topic": {"title": topic.title, "url": page_url(topic)},
        "tags": sorted(tag.name for tag in page.tags.all()),
        "first_published_at": page.first_published_at.isoformat()
        if page.first_published_at
        else None,
        "last_published_at": page.last_published_at.isoformat() if page.last_published_at else None,
    }
    if isinstance(page, ArticlePage):
        item.update(
            body_html=sanitised_body_html(str(page.body.render_as_block())),
            body_text=page.body_text(),
            cover=image_payload(page.cover_image, page.cover_alt),
            source=page.source,
            author=page.author,
            statutes=cited_statutes(page),
        )
    else:
        video = page.video
        item.update(
            poster=image_payload(page.poster),
            video={
                "url": absolute(video.file.url),
                "duration_seconds": video.duration or None,
                "width": video.width or None,
                "height": video.height or None,
                "captions_url": absolute(video.captions.url) if video.captions else None,
                "captions_language": video.captions_language if video.captions else None,
            },
            transcript=page.transcript,
            statutes=[],
        )
    return item


def channel_payload(delivery, now=None):
    """The webhook body (Standard Webhooks: type, timestamp, data) for one channel."""
    distribution = delivery.distribution
    item = dict(distribution.payload or {})
    if delivery.event_type == "item.retracted":
        data = {"id": item.get("id"), "title": distribution.page_title}
    else:
        data = republishable(item)
        data["url"] = delivery.channel.tracked_url(item["url"]) if item.get("url") else None
    data["distribution_id"] = distribution.pk
    data["delivery_id"] = delivery.webhook_id
    data["channel"] = delivery.channel.code
    return {
        "type": delivery.event_type,
        "timestamp": (now or timezone.now()).isoformat(),
        "data": data,
    }
