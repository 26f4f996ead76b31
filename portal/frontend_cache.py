"""The page cache in front of the portal (nginx's proxy cache, deploy/nginx/portal.conf.template).

Article and video pages are what citizens read most, and the home and topic pages that list them
are what they open on the way; for anonymous readers the proxy may keep them for
``FRONTEND_CACHE_SECONDS`` and answer without Django (views are then counted by the beacon). A
page leaves every proxy the moment a change to it is committed, and so do the pages that list it
(its topic, the home page): publishing, unpublishing (deleting included) and moving purge their
addresses synchronously, in the process that made the change, before that request answers, so
nobody is served an old page or an old list after a publish. The proxy keeps only a page's plain
address (a ``?ch=`` tracking code aside): a topic's ``?page=``, ``?type=`` or ``?tag=`` is rendered
for each request.

Nothing private is marked cacheable: only a 200 for GET/HEAD of a page of those types without
view restrictions, at its plain address, to a request without a session, that sets no cookie.
Everything else keeps Django's headers, and the proxy stores nothing without an explicit
``s-maxage``.
Without ``FRONTEND_CACHE_PURGE_URLS`` (no proxy cache to purge) no page is marked cacheable.
"""

import logging
from itertools import product
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings
from django.db import transaction
from django.utils.cache import patch_cache_control
from wagtail.models import Page, Site

logger = logging.getLogger(__name__)


def is_cached_type(page):
    # Some signals send a plain Page: its specific class tells the type.
    return (page.specific_class or type(page))._meta.label in settings.FRONTEND_CACHE_PAGE_TYPES


# The query a cached page may carry: a channel's tracking code, read by the page's beacon.
TRACKING_QUERY = {"ch"}


class PublicPageCacheMiddleware:
    """Marks an anonymous reader's page as storable by the proxy (not by the browser:
    ``max-age=0``, so a reader's reload always asks the proxy, which is purged)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self.storable(request, response):
            patch_cache_control(
                response, public=True, max_age=0, s_maxage=settings.FRONTEND_CACHE_SECONDS
            )
        return response

    @staticmethod
    def storable(request, response):
        if not settings.FRONTEND_CACHE_PURGE_URLS or request.method not in ("GET", "HEAD"):
            return False
        if response.status_code != 200 or response.cookies or response.has_header("Cache-Control"):
            return False
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return False
        # A purge names plain addresses: a page at another query (a topic's second page, its
        # videos only) could never be purged, so it is never stored.
        if set(request.GET) - TRACKING_QUERY:
            return False
        page = (getattr(response, "context_data", None) or {}).get("page")
        if page is None or not is_cached_type(page):
            return False
        # A page behind a password or a log-in is never stored, not even its form.
        return not page.get_view_restrictions().exists()


def page_paths(page):
    """Every address under which the proxy may hold the page (one per cached path)."""
    url = page.get_url()
    if url is None:
        return []
    base = urlsplit(url).path
    return [urljoin(base, path.lstrip("/")) for path in page.specific_deferred.get_cached_paths()]


def purge_paths(paths):
    """PURGE <purge URL><path> for each path and proxy. The proxy answers 200 (dropped) or 404
    (was not cached); a proxy that cannot be reached is logged, and the page ages out within
    FRONTEND_CACHE_SECONDS."""
    with httpx.Client(timeout=settings.FRONTEND_CACHE_PURGE_TIMEOUT) as client:
        for proxy in settings.FRONTEND_CACHE_PURGE_URLS:
            for path, (language, _name) in product(paths, settings.LANGUAGES):
                # The proxy keys a page by path and answer language: purge each language.
                try:
                    response = client.request(
                        "PURGE", proxy.rstrip("/") + path, headers={"Accept-Language": language}
                    )
                except httpx.HTTPError as exc:
                    logger.warning("page cache: %s%s not purged (%s)", proxy, path, exc)
                    continue
                if response.status_code not in (200, 404):
                    logger.warning(
                        "page cache: %s%s not purged (HTTP %s)", proxy, path, response.status_code
                    )


def purge_on_commit(paths):
    if paths and settings.FRONTEND_CACHE_PURGE_URLS:
        transaction.on_commit(lambda: purge_paths(paths))


def cached_paths(pages):
    """The addresses of those of these pages that the proxy may hold."""
    return [path for page in pages if is_cached_type(page) for path in page_paths(page)]


def listing_paths(page, inclusive=False):
    """The addresses of the cached pages that list this one: its ancestors (topic, home)."""
    return cached_paths(page.get_ancestors(inclusive=inclusive))


def on_page_changed(sender, instance, **kwargs):
    purge_on_commit(cached_paths([instance]) + listing_paths(instance))


def on_page_moved(sender, instance, parent_page_before, url_path_before, **kwargs):
    """The old address, from the url_path before the move, under each site it belonged to, and
    the pages that listed it there; then the new address and the pages that list it now."""
    paths = listing_paths(parent_page_before, inclusive=True)
    if is_cached_type(instance):
        paths += [
            "/" + url_path_before[len(root.root_path) :]
            for root in Site.get_site_root_paths()
            if url_path_before.startswith(root.root_path)
        ]
    purge_on_commit(paths + cached_paths([instance]) + listing_paths(instance))


def on_citation_notices_changed(sender, page_ids, **kwargs):
    """A page's notice that a law it cites changed appeared or went: its cached copy goes."""
    purge_on_commit(cached_paths(Page.objects.filter(pk__in=page_ids).specific()))
