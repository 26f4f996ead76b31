"""What the load will ask for, read off the running portal once before the load starts, as a
crawler would (its user agent says so, so none of this counts as a view). Visiting every page
once also makes the image renditions, as any site's first visitors do."""

import json
import re
from urllib.parse import urlsplit

import httpx

AGENT = "prodcheck-discovery-bot/1.0"
PAGE_ID = re.compile(r'data-reach-page="(\d+)"')
BODY_CLASS = re.compile(r'<body class="([^"]*)"')
VIDEO_SRC = re.compile(r'<source src="([^"]+)"')
SCRIPT_SRC = re.compile(r'src="(/static/[^"]+\.js)"')


def discover(base, path):
    site = {"articles": {}, "videos": {}, "topics": [], "home_id": None, "static_file": None}
    headers = {"User-Agent": AGENT, "Accept-Language": "zh-CN,zh;q=0.9"}
    with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
        sitemap = client.get("/sitemap.xml").raise_for_status().text
        for url in re.findall(r"<loc>([^<]+)</loc>", sitemap):
            page_path = urlsplit(url).path
            if page_path.startswith("/laws/"):
                continue
            html = client.get(page_path).raise_for_status().text
            kind = BODY_CLASS.search(html)[1] if BODY_CLASS.search(html) else ""
            page_id = int(PAGE_ID.search(html)[1]) if PAGE_ID.search(html) else None
            if "article-page" in kind:
                site["articles"][page_path] = page_id
                site["static_file"] = SCRIPT_SRC.search(html)[1]
            elif "video-page" in kind:
                site["videos"][page_path] = [page_id, VIDEO_SRC.search(html)[1]]
            elif "topic-index-page" in kind:
                site["topics"].append(page_path)
            elif page_path == "/":
                site["home_id"] = page_id
    missing = [name for name, value in site.items() if not value]
    if missing:
        raise RuntimeError(f"the portal has no {', '.join(missing)} to load")
    path.write_text(json.dumps(site, ensure_ascii=False))
    return site
