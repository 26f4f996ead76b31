"""Fixtures of the search tests: engines to run the same tests against, a small statute
library, and an index of it."""

import os
import uuid

import pytest

from content.statutes import import_statutes, short_name_of, write_corpus
from search import analysis
from search.engines import get_engine, reset_engine
from search.engines.elastic import ElasticsearchEngine
from search.engines.embedded import EmbeddedEngine
from tests.search.corpus import PAGES, law_documents, subset_laws

# The embedded engine always; Elasticsearch too wherever ELASTICSEARCH_URL is set (CI job).
ENGINES = ["embedded"] + (["elasticsearch"] if os.environ.get("ELASTICSEARCH_URL") else [])


def make_engine(kind, directory):
    if kind == "embedded":
        return EmbeddedEngine(directory)
    return ElasticsearchEngine(os.environ["ELASTICSEARCH_URL"], f"pufa-test-{uuid.uuid4().hex[:8]}")


def drop_engine(engine):
    if isinstance(engine, ElasticsearchEngine) and engine.exists():
        for index in engine.client.indices.get_alias(name=engine.alias):
            engine.client.indices.delete(index=index)
        engine.client.indices.delete_index_template(name=engine.template_name)


@pytest.fixture(scope="session")
def laws():
    return subset_laws()


@pytest.fixture(scope="session")
def law_names(laws):
    return {analysis.fold(n) for law in laws for n in (law["name"], short_name_of(law["name"]))}


def use_law_dictionary(law_names):
    """The segmenter's dictionary holds the test laws' names, as it would the library's (and is
    not read from a database the test may not touch)."""
    if not analysis.knows_law_names(law_names):
        analysis.reset_segmenter(law_names=law_names)


@pytest.fixture(autouse=True)
def law_dictionary(law_names):
    """Again before each test, as a rebuild before it may have reloaded the dictionary from an
    empty library."""
    use_law_dictionary(law_names)


@pytest.fixture(scope="session")
def subset_file(laws, tmp_path_factory):
    """The shipped data file cut down to the test laws."""
    path = tmp_path_factory.mktemp("statutes") / "subset.jsonl.xz"
    write_corpus(laws, path)
    return path


@pytest.fixture
def statutes(db, subset_file):
    """The test laws imported into the database, as `import_statutes` does."""
    import_statutes(subset_file)


@pytest.fixture(scope="module", params=ENGINES)
def conformance_engine(request, laws, law_names, tmp_path_factory):
    """An engine holding the test laws and pages, built once per module and engine (before the
    tests' own fixtures run, so it sets the dictionary itself)."""
    use_law_dictionary(law_names)
    engine = make_engine(request.param, tmp_path_factory.mktemp("index"))
    engine.rebuild([*PAGES, *law_documents(laws)])
    yield engine
    drop_engine(engine)


@pytest.fixture(params=ENGINES)
def fresh_engine(request, tmp_path):
    """An empty engine of each kind, for tests that change the index."""
    engine = make_engine(request.param, tmp_path / "index")
    engine.rebuild([])
    yield engine
    drop_engine(engine)


@pytest.fixture
def site_index(settings, tmp_path):
    """The portal's own engine (what get_engine returns): the embedded one, in a folder of this
    test. The tests of pages, API and commands state the portal's behaviour once; how each
    engine searches is the conformance suite's business."""
    settings.SEARCH_INDEX_DIR = tmp_path / "site-index"
    settings.ELASTICSEARCH_URL = ""
    reset_engine()
    yield get_engine()
    reset_engine()
