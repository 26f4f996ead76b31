from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp, csp_replace
from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.decorators.cache import never_cache
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from portal import views
from portal.api import api
from portal.sitemaps import SITEMAPS
from reach.officials import admin_home

# The Wagtail admin still runs inline scripts of its own (Wagtail's CSP work is not finished,
# wagtail/wagtail#1288), so there scripts may be inline; everything else is as strict as on the
# public site. The public site's policy, with no inline scripts, is sent beside it as report-only,
# so the browser's console names what would break.
admin_csp = csp_replace({"script-src": [SELF, UNSAFE_INLINE]})
admin_csp_report = csp(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], REPORT_ONLY=True)
admin_urlpatterns = [
    # Before Wagtail's own home: an official's admin home is the coverage dashboard.
    path("admin/", admin_home),
    path("admin/", include(wagtailadmin_urls)),
]
admin_urlpatterns = decorate_urlpatterns(
    decorate_urlpatterns(admin_urlpatterns, admin_csp), admin_csp_report
)

# Private: the admin and documents are never cached by the public cache layer.
private_urlpatterns = [
    *admin_urlpatterns,
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", views.healthz, name="healthz"),
]

public_urlpatterns = [
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("laws/", include("content.urls")),
    path("search/", include("search.urls")),
    path("feeds/", include("distribution.urls")),
    path("", include("reach.urls")),  # /map/ (普法地图), /reach/channel/ (渠道数据)
    path("api/", api.urls),
]

# One place for caching: nothing private is ever stored by a browser or a cache on the way.
private_urlpatterns = decorate_urlpatterns(private_urlpatterns, never_cache)

urlpatterns = private_urlpatterns + public_urlpatterns

if settings.PORTAL_SERVE_MEDIA:
    # On a single machine the application serves uploads itself; in production the proxy does.
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            views.serve_media,
            name="media",
        )
    ]

# Wagtail's page serving is last: it answers every path not matched above.
urlpatterns += [path("", include(wagtail_urls))]

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
