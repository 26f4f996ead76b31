"""/sitemap.xml: the pages (Wagtail's sitemap) and the statute library, every address on the
public address SITE_URL. A search engine must be sent to where readers go, not to the host name a
request reached us by (behind a proxy that may be an internal name) or to the Wagtail Site record
(which says localhost on a fresh install)."""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from wagtail.contrib.sitemaps import Sitemap

from content.sitemaps import StatuteSitemap


def on_public_address(url):
    public = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    parts = urlsplit(url)
    return urlunsplit((public.scheme, public.netloc, parts.path, parts.query, parts.fragment))


class OnPublicAddress:
    def get_urls(self, *args, **kwargs):
        urls = super().get_urls(*args, **kwargs)
        for url in urls:
            url["location"] = on_public_address(url["location"])
        return urls


class PageSitemap(OnPublicAddress, Sitemap):
    pass


class LawSitemap(OnPublicAddress, StatuteSitemap):
    pass


SITEMAPS = {"pages": PageSitemap, "laws": LawSitemap}
