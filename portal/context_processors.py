"""Template context every page needs."""

from django.conf import settings


def public_address(request):
    """The site's public address (SITE_URL), for absolute links in meta tags: behind a proxy
    the request's own host may be an internal name."""
    return {"site_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")}
