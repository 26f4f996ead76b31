"""Counting page views honestly and without personal data.

Every page load of an article or video is one view (浏览量), recorded once: by the server hook
when it renders the page, or by the page's beacon when a cache served it; the load id the hook
puts in the page lets the beacon of a rendered load find it instead of counting it again.

A visitor is ``BLAKE2b(key=today's salt, IP | user agent | item)``, Plausible-style: the same
person opening the same item twice on one day gives the same digest, so visitors (访客) are the
distinct digests of a day and item; nothing stored can be turned back into an IP address or a
user agent, and once the day's salt is deleted, not even the person's own IP and user agent can
be matched to the digest.
"""

import hashlib
import logging
import secrets
import threading

from cachetools import TTLCache
from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection
from django.utils import timezone

from portal.proxies import client_ip
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
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False  # no session, no login: skip loading the session and the user
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))


# Tracked-link codes seen in the last minute: a deactivated channel stops counting within it.
_channels = TTLCache(maxsize=4096, ttl=60)
_channels_lock = threading.Lock()


def channel_for_code(code):
    """(channel id, region adcode) of an active channel's ``?ch=`` code, or None (the region is
    then unknown, and counted as such)."""
    from distribution.models import Channel

    code = (code or "").strip()
    if not code or len(code) > 32:
        return None
    with _channels_lock:
        if code in _channels:
            return _channels[code]
    found = Channel.objects.filter(code=code, active=True).values_list("pk", "region_id").first()
    with _channels_lock:
        _channels[code] = found
    return found


def countable(request):
    """Whether a request is from a reader the figures describe (not a bot, not staff)."""
    return not is_bot(user_agent(request)) and not is_staff_viewer(request)


def record_view(request, page_id, channel_code=None):
    """The server rendered an article or video: count the load. Returns the load's id (hex) for
    the page to hand to its beacon, or None when the load is not counted (bot, staff, or the
    database refused it: logged)."""
    if not countable(request):
        return None
    load = count_load(page_id, client_ip(request), user_agent(request), channel_code)
    return load.hex() if load else None


def record_beacon(request, page_id, channel_code=None, load=None):
    """The page's beacon: the same load as a rendered view is not counted twice; a page shown
    from a cache (no render, or a load id someone else's render put in a cached copy) is."""
    if not countable(request):
        return False
    return count_beacon(page_id, client_ip(request), user_agent(request), channel_code, load)


def count_load(page_id, ip, agent, channel_code=None, at=None):
    """Record one page load by the visitor (ip, agent); the one function that counts a view, for
    the page hook, the beacon and the demo alike. ``at`` is the time of the load (now by default).
    Returns the load id, or None when the database refused it (logged, never raised)."""
    at = at or timezone.now()
    day = timezone.localdate(at)
    channel_id, region_id = channel_for_code(channel_code) or (None, None)
    visitor = visitor_digest(salt_for(day), ip, agent, page_id)
    load = secrets.token_bytes(16)
    try:
        insert_view(day, page_id, region_id, channel_id, visitor, load, False, at)
    except DatabaseError:
        logger.exception("reach: view of page %s could not be recorded", page_id)
        return None
    return load


def count_beacon(page_id, ip, agent, channel_code=None, load=None, at=None):
    """A beacon from the visitor (ip, agent): if it names a load the server rendered for this
    same visitor today and no beacon has claimed it yet, it is that load (already counted);
    otherwise it is a load the server never saw, counted now. Returns True when on record."""
    at = at or timezone.now()
    day = timezone.localdate(at)
    visitor = visitor_digest(salt_for(day), ip, agent, page_id)
    try:
        if load and claim_load(day, page_id, visitor, load):
            return True
        channel_id, region_id = channel_for_code(channel_code) or (None, None)
        insert_view(day, page_id, region_id, channel_id, visitor, load, True, at)
    except DatabaseError:
        logger.exception("reach: beacon of page %s could not be recorded", page_id)
        return False
    return True


def parse_load(value):
    """A load id as the page gives it (32 hex digits), or None."""
    if not isinstance(value, str) or len(value) != 32:
        return None
    try:
        return bytes.fromhex(value)
    except ValueError:
        return None


def claim_load(day, page_id, visitor, load):
    """Mark the rendered load's row as confirmed by its beacon; one statement, so two beacons
    of one load cannot both claim it. True when there was such a row."""
    return bool(
        ViewEvent.objects.filter(
            page_id=page_id, date=day, visitor=visitor, load=load, beacon=False
        ).update(beacon=True)
    )


_INSERT_VIEW = None


def insert_view(day, page_id, region_id, channel_id, visitor, load, beacon, seen_at):
    """One autocommitted INSERT, the cheapest durable write: the row is on disk before the page
    is answered. Written by hand because this runs on every page view and the ORM's create adds
    a model instance and its signals."""
    global _INSERT_VIEW
    if _INSERT_VIEW is None:
        meta = ViewEvent._meta
        quote = connection.ops.quote_name
        columns = [
            meta.get_field(name).column
            for name in ("date", "page", "region", "channel", "visitor", "load", "beacon")
        ]
        columns.append(meta.get_field("seen_at").column)
        _INSERT_VIEW = (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(map(quote, columns))}) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
        )
    date_field = ViewEvent._meta.get_field("date")
    seen_field = ViewEvent._meta.get_field("seen_at")
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT_VIEW,
            [
                date_field.get_db_prep_value(day, connection),
                page_id,
                region_id,
                channel_id,
                visitor,
                load,
                beacon,
                seen_field.get_db_prep_value(seen_at, connection),
            ],
        )
