"""The statute library in /sitemap.xml, beside Wagtail's pages: every law's page, so that search
engines on the intranet or the internet can find the text of the law the articles cite."""

from django.contrib.sitemaps import Sitemap

from content.models import Statute


class StatuteSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Statute.objects.in_force_first().only("law_id", "status", "version_date")

    def lastmod(self, statute):
        return statute.version_date

    def priority(self, statute):
        return 0.6 if statute.is_in_force else 0.2
