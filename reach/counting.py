"""Counting page views honestly and without personal data.

A visitor is ``BLAKE2b(key=today's salt, IP | user agent | item)``, Plausible-style: the same
person opening the same item twice on one day gives the same digest (so the second view is not
counted), but nothing stored can be turned back into an IP address or a user agent, and once the
day's salt is deleted, not even the person's own IP and user agent can be matched to the digest.
"""

import hashlib
import logging
import secrets

from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.db import DatabaseError, IntegrityError
from django.utils import timezone

from reach.models import DailySalt, ViewEvent

logger = logging.getLogger(__name__)

# One detector for the process: its compiled patterns and its small LRU cache are shared.
_crawler_detect = CrawlerDetect()
# The salt of the day, kept in memory so that counting a view is one INSERT.
_salt_cache = {}


def salt_for(day):
    """Today's salt, created on first use. Only today's salt ever exists: older ones are deleted
    here and by the hourly ``rotate_salts`` task."""
    salt = _salt_cache.get(day)
    if salt is not None:
        return salt
    try:
        row, created = DailySalt.objects.get_or_create(
            date=day, defaults={"salt": secrets.token_bytes(32)}
        )
    except IntegrityError:  # another process created it between our SELECT and INSERT
        row, created = DailySalt.objects.get(date=day), False
    if created:
        delete_past_salts(day)
    _salt_cache.clear()
    _salt_cache[day] = bytes(row.salt)
    return _salt_cache[day]


def delete_past_salts(today=None):
    """Forget every salt older than today; returns how many were deleted."""
    today = today or timezone.localdate()
    deleted, _ = DailySalt.objects.filter(date__lt=today).delete()
    for day in [d for d in _salt_cache if d < today]:
        del _salt_cache[day]
    return deleted


def client_ip(request):
    """The visitor's address as the server that terminated the connection saw it; behind a
    reverse proxy set ``REACH_CLIENT_IP_HEADER`` to the header it sets (e.g. HTTP_X_REAL_IP)."""
    return request.META.get(settings.REACH_CLIENT_IP_HEADER) or request.META.get("REMOTE_ADDR", "")


def user_agent(request):
    return request.META.get("HTTP_USER_AGENT", "")[:512]


def visitor_digest(salt, ip, agent, page_id):
    data = f"{ip}\x1f{agent}\x1f{page_id}".encode("utf-8", "replace")
    return hashlib.blake2b(data, key=salt, digest_size=16).digest()


def is_bot(agent):
    """Crawlers, monitoring probes and clients that send no user agent are not readers."""
    return not agent.strip() or _crawler_detect.is_crawler(agent)


def is_staff_viewer(request):
    """Editors, reviewers and officials (anyone who can open the Wagtail admin) looking at the
    site are not the public the figures describe."""
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))


def channel_for_code(code):
    """The active channel of a tracked link's ``?ch=`` code, or None (the region is then
    unknown, and counted as such)."""
    from distribution.models import Channel

    code = (code or "").strip()
    if not code or len(code) > 32:
        return None
    return Channel.objects.filter(code=code, active=True).only("pk", "region_id").first()


def record_view(request, page_id, channel_code=None):
    """Count one view of an article or video, once per visitor per item per day. The row is
    committed before this returns (autocommit), so the answer to the visitor is only sent after
    the view is on disk. Returns True when the view is on record (a repeat by the same visitor
    included), False when it is not counted (bot, staff, or the database refused it: logged)."""
    agent = user_agent(request)
    if is_bot(agent) or is_staff_viewer(request):
        return False
    now = timezone.now()
    day = timezone.localdate(now)
    channel = channel_for_code(channel_code)
    event = ViewEvent(
        date=day,
        page_id=page_id,
        channel_id=channel.pk if channel else None,
        region_id=channel.region_id if channel else None,
        visitor=visitor_digest(salt_for(day), client_ip(request), agent, page_id),
        seen_at=now,
    )
    try:
        # INSERT … ON CONFLICT DO NOTHING: a repeat view by the same visitor is not an error.
        ViewEvent.objects.bulk_create([event], ignore_conflicts=True)
    except DatabaseError:
        logger.exception("reach: view of page %s could not be recorded", page_id)
        return False
    return True
