"""Public URLs of distribution, mounted at /feeds/ in portal/urls.py."""

from django.urls import path

from distribution import views

urlpatterns = [
    path("<slug:code>/rss.xml", views.feed_rss, name="distribution_feed_rss"),
    path("<slug:code>/feed.json", views.feed_json, name="distribution_feed_json"),
]
