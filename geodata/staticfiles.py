"""Static files the map needs from outside our own folders: Leaflet and d3 straight from their
PyPI xstatic packages (no copy in our tree, no CDN), and the shipped county shapes, which the
browser fetches on the first drill-down."""

import xstatic.pkg.d3
import xstatic.pkg.leaflet
from django.contrib.staticfiles.finders import FileSystemFinder
from django.core.files.storage import FileSystemStorage

from geodata.boundaries import BOUNDARIES_DIR

LOCATIONS = [
    ("geodata/vendor/leaflet", xstatic.pkg.leaflet.BASE_DIR),
    ("geodata/vendor/d3", xstatic.pkg.d3.BASE_DIR),
    ("geodata/boundaries", str(BOUNDARIES_DIR)),
]


class GeodataFinder(FileSystemFinder):
    """STATICFILES_DIRS-style locations that belong to geodata rather than to the settings."""

    def __init__(self, app_names=None, *args, **kwargs):
        self.locations = list(LOCATIONS)
        self.storages = {}
        for prefix, root in self.locations:
            storage = FileSystemStorage(location=root)
            storage.prefix = prefix
            self.storages[root] = storage

    def check(self, **kwargs):
        return []
