"""Pull feeds: each channel's own RSS 2.0 and JSON Feed 1.1 of the items distributed to it,
with links carrying its tracking code. Rendered feeds are cached by their ETag, which changes
whenever an item enters or leaves the feed."""

import hashlib
import json
import mimetypes

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _

from distribution.models import Distribution
from distribution.payload import absolute, channel_payload

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


class RssWithContent(Rss201rev2Feed):
    """RSS 2.0 with the full body in content:encoded, as feed readers expect it."""

    def rss_attributes(self):
        attrs = super().rss_attributes()
        attrs["xmlns:content"] = "http://purl.org/rss/1.0/modules/content/"
        return attrs

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


def retracted_items(channel):
    """Items retracted from this channel (it received them, then the page was unpublished)."""
    return list(
        channel.deliveries.filter(distribution__kind=Distribution.Kind.RETRACT)
        .order_by("-created_at")
        .values_list("distribution__payload__id", "created_at")[:100]
    )


def feed_version(channel, listed, retracted):
    """ETag and Last-Modified of a channel's feed, from what is in it."""
    key = json.dumps([channel.pk, channel.code, [d.pk for d in listed], [r[0] for r in retracted]])
    etag = hashlib.sha256(key.encode()).hexdigest()[:32]
    times = [d.created_at for d in listed] + [r[1] for r in retracted]
    return etag, max(times) if times else channel.created_at


def video_type(url):
    return mimetypes.guess_type(url)[0] or "video/mp4"


def feed_item(delivery):
    """The item as the channel's webhook would carry it (made safe there), and its picture."""
    data = channel_payload(delivery)["data"]
    return data, data.get("cover") or data.get("poster")


def render_rss(channel, listed):
    feed = RssWithContent(
        title=_("湖北网络普法 · %(name)s") % {"name": channel.name},
        link=absolute("/"),
        description=_("分发给%(name)s的普法内容") % {"name": channel.name},
        language="zh-cn",
        feed_url=absolute(reverse("distribution_feed_rss", args=[channel.code])),
    )
    for delivery in listed:
        data, image = feed_item(delivery)
        enclosures = None
        if data.get("type") == "video":
            video_url = data["video"]["url"]
            enclosures = [Enclosure(video_url, "0", video_type(video_url))]
        feed.add_item(
            title=data["title"],
            link=data["url"],
            # RSS readers show the description as HTML.
            description=data["summary_html"],
            pubdate=delivery.first_sent_at,
            updateddate=delivery.created_at,
            unique_id=f"urn:hubei-pufa:item:{data['id']}",
            unique_id_is_permalink=False,
            categories=[data["topic"]["title"], *data.get("tags", [])],
            enclosures=enclosures,
            content_html=data["content_html"],
        )
    return feed.writeString("utf-8"), feed.content_type


def render_json(channel, listed, retracted):
    items = []
    for delivery in listed:
        data, image = feed_item(delivery)
        item = {
            "id": f"urn:hubei-pufa:item:{data['id']}",
            "url": data["url"],
            "title": data["title"],
            "summary": data.get("summary") or "",
            "content_html": data["content_html"],
            "date_published": delivery.first_sent_at.isoformat(),
            # A correction keeps the entry's id and moves this.
            "date_modified": delivery.created_at.isoformat(),
            "tags": [data["topic"]["title"], *data.get("tags", [])],
            "_pufa": data,
        }
        if image:
            item["image"] = image["url"]
        if data.get("type") == "video":
            video_url = data["video"]["url"]
            item["attachments"] = [{"url": video_url, "mime_type": video_type(video_url)}]
        items.append(item)
    feed = {
        "version": JSON_FEED_VERSION,
        "title": _("湖北网络普法 · %(name)s") % {"name": channel.name},
        "home_page_url": absolute("/"),
        "feed_url": absolute(reverse("distribution_feed_json", args=[channel.code])),
        "language": "zh-CN",
        "items": items,
        # Extension (JSON Feed allows "_" keys): items to take down from the channel's site.
        "_pufa": {"retracted": [f"urn:hubei-pufa:item:{r[0]}" for r in retracted]},
    }
    body = json.dumps(feed, ensure_ascii=False, indent=1)
    return body, "application/feed+json; charset=utf-8"


def build_feed(channel, fmt, listed, retracted, etag):
    """The rendered feed (body, content type), cached under its version."""
    key = f"distribution:feed:{channel.pk}:{fmt}:{etag}"
    cached = cache.get(key)
    if cached is None:
        if fmt == "rss":
            cached = render_rss(channel, listed)
        else:
            cached = render_json(channel, listed, retracted)
        cache.set(key, cached, settings.DISTRIBUTION_FEED_CACHE_SECONDS)
    return cached
