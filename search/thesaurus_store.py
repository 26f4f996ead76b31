"""The thesaurus as editors have it now: the maintained file plus the admin's entries, one copy
per process, rebuilt when the table changes. Each search first reads a stamp of the table (one
small query), so a change made in the admin reaches every web process on its next search."""

import threading
import time

from search.analysis import legal_terms, segmenter
from search.models import ThesaurusEntry
from search.thesaurus import Thesaurus, file_entries

# How long a process trusts its copy before it reads the table's stamp again.
CHECK_EVERY_SECONDS = 1.0


class _Current:
    def __init__(self):
        self.lock = threading.Lock()
        self.stamp = None
        self.thesaurus = None
        self.checked = 0.0

    def forget(self):
        """This process changed the table: read it again on the next search."""
        with self.lock:
            self.checked = 0.0

    def get(self):
        now = time.monotonic()
        if self.thesaurus is not None and now - self.checked < CHECK_EVERY_SECONDS:
            return self.thesaurus
        stamp = ThesaurusEntry.objects.stamp()
        with self.lock:
            self.checked = now
            if self.thesaurus is None or stamp != self.stamp:
                entries = (*file_entries(), *ThesaurusEntry.objects.as_entries())
                self.thesaurus = Thesaurus(entries, extra_terms=legal_terms())
                segmenter().add_thesaurus(self.thesaurus)
                self.stamp = stamp
            return self.thesaurus


_current = _Current()


def current():
    return _current.get()


def forget():
    _current.forget()
