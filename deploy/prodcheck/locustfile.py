"""prod-check's load: citizens and officials as browsers would send it, through nginx only.

Every simulated person has an ordinary browser's user agent and a loopback address of its own
(127.0.x.y), so that visitors and rate limits are per person as on the internet. A citizen who
opens an article or a video sends the page-view beacon as the page's script does; each person
opens each item at most once (then takes a new address, as the next reader would), so every
accepted beacon is exactly one view the portal must count. One probe sends beacons past the
limit on purpose (for the home page, which counts no views) to show the limit holds across
processes. What was sent is written to PRODCHECK_RESULTS when the run stops.

Run by deploy/prodcheck (``make prod-check``), never against another host: it refuses any
address but 127.0.0.1.
"""

import itertools
import json
import os
import random
import re
import time
import tomllib
from pathlib import Path
from urllib.parse import quote, urlsplit

from locust import HttpUser, between, constant_throughput, events, task
from requests.adapters import HTTPAdapter

ROOT = Path(__file__).resolve().parents[2]
# Citizens' questions, as the search evaluation set writes them down (bench/search_eval.toml).
QUESTIONS = [
    q["q"] for q in tomllib.loads((ROOT / "bench/search_eval.toml").read_text())["question"]
]
AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.6478.71 Mobile Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.6 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Linux; Android 13; PGKM10 Build/TP1A.220905.001) AppleWebKit/537.36 (KHTML, "
    "like Gecko) Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160117 MMWEBSDK/20240301 "
    "MicroMessenger/8.0.48.2580(0x28003035) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN",
]
ACCEPT_LANGUAGE = "zh-CN,zh;q=0.9,en;q=0.6"
# The load id a rendered page hands its beacon (empty when a cache served the page).
LOAD_ID = re.compile(r'data-reach-load="([0-9a-f]*)"')
CHANNEL_CODES = [f"hb{code}" for code in ("420100", "420500", "421000", "420102", "422800")]
# What deploy/prodcheck/discover.py found on the portal before the load.
SITE = json.loads(Path(os.environ["PRODCHECK_SITE"]).read_text())


class Site:
    articles = SITE["articles"]  # path → page id
    videos = SITE["videos"]  # path → [page id, media path]
    topics = SITE["topics"]
    home_id = SITE["home_id"]
    static_file = SITE["static_file"]


class Results:
    beacons_accepted = set()  # (address, agent, page id): one view each
    beacons_refused = 0  # 429 outside the probe: a person refused, an error
    probe = {"sent": 0, "accepted": 0, "refused": 0, "seconds": 0.0}
    cache_status = {}  # X-Cache of article pages


def addresses():
    for third, fourth in itertools.product(range(1, 255), range(2, 255)):
        yield f"127.0.{third}.{fourth}"


ADDRESSES = addresses()


class SourceAddressAdapter(HTTPAdapter):
    def __init__(self, address, **kwargs):
        self.address = address
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


@events.test_start.add_listener
def only_this_machine(environment, **kwargs):
    if urlsplit(environment.host).hostname != "127.0.0.1":
        raise SystemExit("prod-check's load goes to 127.0.0.1 only")


@events.test_stop.add_listener
def write_results(environment, **kwargs):
    path = os.environ.get("PRODCHECK_RESULTS")
    if not path:
        return
    Path(path).write_text(
        json.dumps(
            {
                "views_sent": len(Results.beacons_accepted),
                "beacons_refused": Results.beacons_refused,
                "limit_probe": Results.probe,
                "article_cache": Results.cache_status,
                "articles": len(Site.articles),
                "videos": len(Site.videos),
            }
        )
    )


class Person(HttpUser):
    abstract = True

    def on_start(self):
        self.become_someone_new()

    def become_someone_new(self):
        self.address = next(ADDRESSES)
        self.agent = random.choice(AGENTS)  # noqa: S311 - simulation
        self.client.cookies.clear()
        adapter = SourceAddressAdapter(self.address)
        self.client.mount("http://", adapter)
        self.client.headers.update({"User-Agent": self.agent, "Accept-Language": ACCEPT_LANGUAGE})
        self.seen = set()

    def get(self, path, name, **kwargs):
        return self.client.get(path, name=name, **kwargs)


class Citizen(Person):
    weight = 10
    # A task every 2.2 s, about 1.5 requests each (a page and its beacon, or one page): the
    # 57 citizens of 60 users offer about 38 requests a second, above the 30 the check requires,
    # with room for slow answers before a citizen falls behind.
    wait_time = constant_throughput(0.45)

    def unseen(self, items):
        fresh = [path for path in items if path not in self.seen]
        if not fresh:
            return None
        return random.choice(fresh)  # noqa: S311

    def beacon(self, page_id, channel=None, load=None):
        """What the page's script (reach/static/reach/beacon.js) sends once the page loaded."""
        body = {"page": page_id, **({"ch": channel} if channel else {})}
        if load:
            body["load"] = load
        with self.client.post(
            "/api/reach/view/", json=body, name="beacon", catch_response=True
        ) as response:
            if response.status_code == 204:
                Results.beacons_accepted.add((self.address, self.agent, page_id))
                response.success()
            elif response.status_code == 429:
                Results.beacons_refused += 1
                response.failure("a reader's view was refused (429)")
            else:
                response.failure(f"beacon answered {response.status_code}")

    def read(self, path, page_id, name):
        channel = random.choice([None, None, *CHANNEL_CODES])  # noqa: S311
        url = f"{path}?ch={channel}" if channel else path
        response = self.get(url, name)
        if response.status_code == 200:
            if name == "article":
                status = response.headers.get("X-Cache", "NONE")
                Results.cache_status[status] = Results.cache_status.get(status, 0) + 1
            self.seen.add(path)
            load = LOAD_ID.search(response.text)
            self.beacon(page_id, channel, load[1] if load else None)
        return response

    def next_person_if_done(self):
        if len(self.seen) >= len(Site.articles) + len(Site.videos):
            self.become_someone_new()

    @task(8)
    def article(self):
        path = self.unseen(Site.articles)
        if path is None:
            return self.next_person_if_done()
        self.read(path, Site.articles[path], "article")

    @task(3)
    def video(self):
        path = self.unseen(Site.videos)
        if path is None:
            return self.next_person_if_done()
        page_id, media = Site.videos[path]
        if self.read(path, page_id, "video page").status_code == 200:
            # The player asks for the start of the file, as phones do, then seeks.
            with self.client.get(
                media, headers={"Range": "bytes=0-65535"}, name="video range", catch_response=True
            ) as response:
                if response.status_code != 206:
                    response.failure(f"range request answered {response.status_code}")

    @task(3)
    def home(self):
        self.get("/", "home")

    @task(3)
    def topic(self):
        self.get(random.choice(Site.topics), "topic")  # noqa: S311

    @task(1)
    def topic_filtered(self):
        """Only a topic's videos, or only its articles: rendered for each reader, never cached."""
        kind = random.choice(["video", "article"])  # noqa: S311
        self.get(f"{random.choice(Site.topics)}?type={kind}", "topic (filtered)")  # noqa: S311

    @task(4)
    def search(self):
        question = random.choice(QUESTIONS)  # noqa: S311
        self.get(f"/search/?q={quote(question)}", "search")

    @task(1)
    def public_map(self):
        self.get("/map/", "map")

    @task(2)
    def coverage_api(self):
        level = random.choice(["prefecture", "county"])  # noqa: S311
        self.get(f"/api/coverage/?level={level}", "coverage api")

    @task(3)
    def static_file(self):
        """The peer: nginx sending a small file from disk, the ceiling of this machine."""
        self.get(Site.static_file, "static file (nginx)")


class Official(Person):
    """Signed in (a session cookie: never served from the page cache)."""

    weight = 1
    fixed_count = 2
    wait_time = between(2, 4)
    accounts = itertools.cycle(["official", "official-wuhan"])

    def on_start(self):
        super().on_start()
        self.client.get("/admin/login/", name="login")
        token = self.client.cookies.get("csrftoken")
        response = self.client.post(
            "/admin/login/",
            data={
                "username": next(self.accounts),
                "password": os.environ.get("DEMO_PASSWORD", "pufa-demo-2026"),
                "csrfmiddlewaretoken": token,
                "next": "/admin/coverage/",
            },
            headers={"Referer": f"{self.host}/admin/login/"},
            name="login",
        )
        if "/admin/login/" in response.url:
            raise SystemExit("an official could not log in")

    @task(3)
    def dashboard(self):
        self.get("/admin/coverage/", "dashboard")

    @task(1)
    def dashboard_counties(self):
        self.get("/admin/coverage/?level=county", "dashboard")

    @task(2)
    def coverage_api(self):
        self.get("/api/coverage/?level=county", "coverage api")


class LimitProbe(Person):
    """Beacons from one address, one after another with no pause, thirty more than
    REACH_BEACON_RATE allows, for the home page (a page that counts no views): within the limit's
    window the first ones are accepted and the rest refused with 429, whichever web process
    answers. Then it idles."""

    weight = 1
    fixed_count = 1
    burst = int(os.environ["PRODCHECK_BEACON_LIMIT"]) + 30

    def wait_time(self):
        return 0 if Results.probe["sent"] < self.burst else 3600

    @task
    def beacon(self):
        if Results.probe["sent"] >= self.burst:
            return
        if Results.probe["sent"] == 0:
            self.probe_started = time.monotonic()
        Results.probe["sent"] += 1
        with self.client.post(
            "/api/reach/view/",
            json={"page": Site.home_id},
            name="beacon (limit probe)",
            catch_response=True,
        ) as response:
            if response.status_code == 204:
                Results.probe["accepted"] += 1
                response.success()
            elif response.status_code == 429:
                Results.probe["refused"] += 1
                response.success()
            else:
                response.failure(f"beacon answered {response.status_code}")
        Results.probe["seconds"] = time.monotonic() - self.probe_started
