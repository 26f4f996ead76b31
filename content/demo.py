"""Demo content for `manage.py load_demo`: the site tree, eight topics, articles and short videos
written for this portal (texts in content/demo_data/), generated cover images, posters and videos,
and the demo accounts. Idempotent: what exists is kept; `--reset` removes the demo pages and media
and loads them again.

Every quote of the law is a statute citation block pointing at the imported library, so the text
the reader sees is the law's, not ours. Pages go live the way editors' pages do: an editor's
revision, submitted to the 法律审核 workflow, approved by the reviewer, so each has a history."""

import datetime
import functools
import io
import math
import subprocess
import tomllib
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.html import escape
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images.models import Image
from wagtail.models import Collection, Page, Site

from content.blocks import find_article
from content.citations import parse_article
from content.media import captions_vtt, encode_mp4, probe_video
from content.models import ArticlePage, HomePage, Statute, TopicIndexPage, VideoMedia, VideoPage
from content.roles import EDITORS, OFFICIALS, REVIEWERS

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"
DEMO_COLLECTION = "演示内容"
DEMO_USERS = [
    # username, group (None: superuser), (名 first name, 姓 last name): shown as "演示 编辑"
    ("admin", None, ("系统", "管理员")),
    ("editor", EDITORS, ("演示", "编辑")),
    ("reviewer", REVIEWERS, ("演示", "审核")),
    ("official", OFFICIALS, ("演示", "官员")),
]
COVER_SIZE = (1200, 675)
VIDEO_SIZE = (640, 360)
VIDEO_FPS = 12
WHITE = (255, 255, 255)


def load(stdout, reset=False):
    content = read_demo_data()
    statutes = cited_statutes(content)
    users = ensure_users()
    if reset:
        remove_demo_content(content)
        stdout.write("  已删除演示栏目、文章、视频和图片")
    home = ensure_home(content["home"])
    collection = ensure_collection()
    topics = {
        spec["title"]: ensure_topic(home, spec, collection, users) for spec in content["topics"]
    }
    feature_topics(home, [topics[title] for title in content["home"]["featured"]], users)

    created = 0
    for spec in content["articles"]:
        created += ensure_article(topics[spec["topic"]], spec, statutes, collection, users)
    for spec in content["videos"]:
        created += ensure_video(topics[spec["topic"]], spec, statutes, collection, users)

    stdout.write(
        f"  栏目 {len(topics)} 个，文章 {len(content['articles'])} 篇，"
        f"视频 {len(content['videos'])} 个（本次新建 {created} 项）"
    )
    stdout.write(
        "  演示账号："
        + "、".join(username for username, *_ in DEMO_USERS)
        + "（密码见 DEMO_PASSWORD）"
    )


# --- The texts ---------------------------------------------------------------------------------


@functools.cache
def read_demo_data():
    """The demo texts: home and topics, articles, videos (TOML files written for this portal)."""
    data = {}
    for name in ("site", "articles", "videos"):
        with open(DEMO_DATA / f"{name}.toml", "rb") as handle:
            data.update(tomllib.load(handle))
    return data


def cited_articles(content=None):
    """Every (law name, article number) the demo quotes, for checking and for tests."""
    content = content or read_demo_data()
    in_articles = {
        (block["law"], block["article"])
        for spec in content["articles"]
        for block in spec["body"]
        if block["type"] == "cite"
    }
    in_videos = {(law, number) for spec in content["videos"] for law, number in spec["cite"]}
    return sorted(in_articles | in_videos)


def cited_statutes(content):
    """The laws the demo cites, from the imported library; a clear error if they are missing."""
    statutes, missing = {}, []
    for name, number in cited_articles(content):
        statute = statutes.get(name) or Statute.objects.in_force().filter(name=name).first()
        if statute is None or find_article(statute, parse_article(str(number))) is None:
            missing.append(f"《{name}》第{number}条")
            continue
        statutes[name] = statute
    if missing:
        raise CommandError(
            "演示文章引用的法条在法律法规库中找不到："
            + "、".join(missing[:5])
            + ("等" if len(missing) > 5 else "")
            + "。请先运行 `manage.py import_statutes` 导入法律法规库，再运行 load_demo。"
        )
    return statutes


# --- Accounts, site tree -----------------------------------------------------------------------


def ensure_users():
    User = get_user_model()
    users = {}
    for username, group_name, (first_name, last_name) in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.is_staff = group_name is None
            user.is_superuser = group_name is None
        # Both names, as the account form asks for them (demo accounts of older loads too).
        if (user.first_name, user.last_name) != (first_name, last_name):
            user.first_name, user.last_name = first_name, last_name
            user.save()
        elif created:
            user.save()
        if group_name:
            user.groups.add(Group.objects.get(name=group_name))
        users[username] = user
    return users


def ensure_home(spec):
    """The portal's HomePage as the default site's root, replacing Wagtail's welcome page."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(
                title=spec["title"],
                slug="hubei-pufa",
                hero_title=spec["hero_title"],
                hero_text=spec["hero_text"],
            )
        )
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    if site.root_page_id != home.pk:
        site.root_page = home
        site.hostname = site.hostname or "localhost"
        site.port = site.port or 80
        site.site_name = settings.WAGTAIL_SITE_NAME
        site.save()
    # Wagtail's "Welcome to your new Wagtail site!" page: a plain Page, no longer any site's root.
    welcome = Page.objects.filter(
        depth=2,
        content_type__app_label="wagtailcore",
        content_type__model="page",
        sites_rooted_here=None,
    )
    for page in welcome:
        page.delete()
    return home


def ensure_collection():
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=DEMO_COLLECTION).first()
    return existing or root.add_child(name=DEMO_COLLECTION)


def ensure_topic(home, spec, collection, users):
    topic = TopicIndexPage.objects.child_of(home).filter(slug=spec["slug"]).first()
    if topic is not None:
        return topic
    topic = TopicIndexPage(title=spec["title"], slug=spec["slug"], intro=spec["intro"])
    home.add_child(instance=topic)
    # Topics are the site's structure, set up by the administrator rather than reviewed.
    topic.save_revision(user=users["admin"], log_action=True).publish(user=users["admin"])
    return topic


def feature_topics(home, topics, users):
    if home.featured_topics.exists():
        return
    if home.hero_image is None:
        home.hero_image = banner_image(home)
    for topic in topics:
        home.featured_topics.create(topic=topic)
    home.save_revision(user=users["admin"], log_action=True).publish(user=users["admin"])


def remove_demo_content(content):
    slugs = [spec["slug"] for spec in content["topics"]]
    for topic in TopicIndexPage.objects.filter(slug__in=slugs):
        topic.delete()
    home = HomePage.objects.first()
    if home is not None:
        home.featured_topics.all().delete()
        home.hero_image = None
        home.save_revision().publish()
    collection = Collection.objects.filter(name=DEMO_COLLECTION).first()
    if collection is not None:
        Image.objects.filter(collection=collection).delete()
        VideoMedia.objects.filter(collection=collection).delete()


# --- Articles and videos -----------------------------------------------------------------------


def ensure_article(topic, spec, statutes, collection, users):
    if ArticlePage.objects.child_of(topic).filter(slug=spec["slug"]).exists():
        return 0
    article = ArticlePage(
        title=spec["title"],
        slug=spec["slug"],
        summary=spec["summary"],
        date=spec["date"],
        source=spec.get("source", "湖北网络普法"),
        author=spec.get("author", ""),
        cover_image=cover_image(spec, topic.title, collection),
        cover_alt=spec["cover_alt"],
        body=[body_block(block, statutes) for block in spec["body"]],
    )
    article.tags.add(*spec["tags"])
    topic.add_child(instance=article)
    publish_through_review(article, users, spec["date"])
    return 1


def body_block(block, statutes):
    kind = block["type"]
    if kind == "paragraph":
        return ("paragraph", paragraphs_html(block["text"]))
    if kind == "heading":
        return ("heading", {"text": block["text"], "level": block.get("level", "h2")})
    if kind == "quote":
        return ("quote", {"quote": block["text"], "attribution": block.get("by", "")})
    if kind == "qa":
        return ("qa", {"question": block["question"], "answer": paragraphs_html(block["answer"])})
    if kind == "cite":
        return (
            "statute_citation",
            {
                "statute": statutes[block["law"]],
                "article": str(block["article"]),
                "note": block.get("note", ""),
            },
        )
    raise ValueError(f"unknown demo block type {kind!r}")


def paragraphs_html(text):
    return "".join(f"<p>{escape(part.strip())}</p>" for part in text.split("\n\n") if part.strip())


def transcript(spec, statutes):
    """The narration, then the exact text of each law it refers to, from the library."""
    parts = [spec["transcript"].strip()]
    for law, number in spec["cite"]:
        article = find_article(statutes[law], parse_article(str(number)))
        parts.append(f"法条原文：《{law}》{article.label}：{article.text}")
    return "\n\n".join(parts)


def ensure_video(topic, spec, statutes, collection, users):
    if VideoPage.objects.child_of(topic).filter(slug=spec["slug"]).exists():
        return 0
    poster = poster_image(spec, topic.title, collection)
    video = VideoPage(
        title=spec["title"],
        slug=spec["slug"],
        summary=spec["summary"],
        date=spec["date"],
        video=video_media(spec, collection),
        poster=poster,
        transcript=transcript(spec, statutes),
    )
    video.tags.add(*spec["tags"])
    topic.add_child(instance=video)
    publish_through_review(video, users, spec["date"])
    return 1


def publish_through_review(page, users, date):
    """Editor's revision → 法律审核 workflow → reviewer approves → live, as in real use."""
    page.save_revision(user=users["editor"], log_action=True)
    workflow = page.get_workflow()
    if workflow is None:
        page.get_latest_revision().publish(user=users["reviewer"])
    else:
        state = workflow.start(page, users["editor"])
        state.current_task_state.approve(user=users["reviewer"], comment="演示内容：引用已核对。")
    # Listings are newest first: let the demo's publication dates read as its items' dates.
    published = timezone.make_aware(datetime.datetime.combine(date, datetime.time(9, 0)))
    type(page).objects.filter(pk=page.pk).update(
        first_published_at=published, last_published_at=published
    )


# --- Generated pictures and videos -------------------------------------------------------------


@functools.cache
def cjk_font_path(bold=False):
    """A font with Chinese glyphs from the system (fontconfig), or None to use Pillow's own."""
    pattern = "Noto Sans CJK SC" + (":style=Bold" if bold else "")
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}:%{index}", pattern],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path, _, index = found.rpartition(":")
    if not path or not Path(path).exists():
        return None
    return path, int(index or 0)


@functools.cache
def font(size, bold=False):
    found = cjk_font_path(bold)
    if found:
        path, index = found
        return ImageFont.truetype(path, size, index=index)
    return ImageFont.load_default(size)


def hex_colour(value):
    value = value.lstrip("#")
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))


def wrap(draw, text, typeface, width):
    """Lines of text that fit the width; Chinese breaks between any two characters."""
    lines, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=typeface) > width and line:
            lines.append(line)
            line = char
        else:
            line += char
    return lines + [line] if line else lines


def card_picture(title, label, colour, size, motif):
    """A flat illustration: coloured ground, the motif's circles, the label and the title."""
    width, height = size
    base = hex_colour(colour)
    picture = PILImage.new("RGB", size, base)
    draw = ImageDraw.Draw(picture)
    lighter = tuple(min(255, c + 40) for c in base)
    darker = tuple(max(0, c - 40) for c in base)
    for index in range(6):
        radius = height * (0.15 + 0.12 * ((motif + index) % 4))
        cx = width * (0.55 + 0.08 * index)
        cy = height * (0.2 + 0.13 * ((motif * 3 + index) % 6))
        draw.ellipse(
            (cx - radius, cy - radius, cx + radius, cy + radius),
            fill=lighter if index % 2 else darker,
        )
    margin = width // 14
    label_font = font(height // 20, bold=True)
    label_width = draw.textlength(label, font=label_font) + height // 10
    draw.rounded_rectangle(
        (margin, margin, margin + label_width, margin + height // 11),
        radius=height // 40,
        fill=WHITE,
    )
    draw.text(
        (margin + label_width / 2, margin + height // 22),
        label,
        font=label_font,
        fill=base,
        anchor="mm",
    )
    typeface = font(height // 11, bold=True)
    lines = wrap(draw, title, typeface, width * 0.62)[:3]
    top = height - margin - len(lines) * height // 8
    for number, line in enumerate(lines):
        draw.text((margin, top + number * height // 8), line, font=typeface, fill=WHITE)
    return picture


def save_image(draw_picture, title, filename, collection):
    """The demo image with this title, drawn and stored the first time it is asked for."""
    existing = Image.objects.filter(title=title, collection=collection).first()
    if existing:
        return existing
    buffer = io.BytesIO()
    draw_picture().save(buffer, "JPEG", quality=88)
    return Image.objects.create(
        title=title, collection=collection, file=ImageFile(buffer, name=filename)
    )


def cover_image(spec, topic_title, collection):
    return save_image(
        lambda: card_picture(
            spec["title"], topic_title, spec["colour"], COVER_SIZE, len(spec["slug"])
        ),
        f"封面：{spec['title']}",
        f"cover-{spec['slug']}.jpg",
        collection,
    )


def poster_image(spec, topic_title, collection):
    return save_image(
        lambda: card_picture(
            spec["title"], f"▶ {topic_title}", spec["colour"], COVER_SIZE, len(spec["slug"])
        ),
        f"海报：{spec['title']}",
        f"poster-{spec['slug']}.jpg",
        collection,
    )


def banner_image(home):
    return save_image(
        lambda: card_picture(home.hero_title, "普法", "#b71c1c", (1200, 400), 3),
        "首页题图",
        "banner-home.jpg",
        ensure_collection(),
    )


def video_frames(spec):
    """Animated frames: each caption cue is a scene whose text slides in over a moving motif."""
    width, height = VIDEO_SIZE
    base = hex_colour(spec["colour"])
    typeface = font(30, bold=True)
    small = font(18)
    cues = spec["cues"]
    total = cues[-1][1]
    for frame_number in range(round(total * VIDEO_FPS)):
        t = frame_number / VIDEO_FPS
        cue = next((c for c in cues if c[0] <= t < c[1]), cues[-1])
        progress = min(1.0, (t - cue[0]) / 0.5)  # half a second to slide in
        picture = PILImage.new("RGB", VIDEO_SIZE, base)
        draw = ImageDraw.Draw(picture)
        for index in range(3):
            phase = t * 1.3 + index * 2.1
            cx = width * (0.5 + 0.38 * math.cos(phase))
            cy = height * (0.45 + 0.3 * math.sin(phase * 1.4))
            radius = 40 + 18 * index
            shade = tuple(min(255, c + 30 + 20 * index) for c in base)
            draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=shade)
        draw.text((24, 20), spec["title"], font=small, fill=WHITE)
        offset = int((1 - progress) * width * 0.6)
        lines = wrap(draw, cue[2], typeface, width - 96)
        for number, line in enumerate(lines[:3]):
            draw.text(
                (width // 2 + offset, height // 2 - 20 + number * 42 - (len(lines) - 1) * 21),
                line,
                font=typeface,
                fill=WHITE,
                anchor="mm",
            )
        draw.rectangle((0, height - 8, int(width * t / total), height), fill=WHITE)
        yield picture


def video_media(spec, collection):
    title = f"视频：{spec['title']}"
    existing = VideoMedia.objects.filter(title=title, collection=collection).first()
    if existing:
        return existing
    data = encode_mp4(video_frames(spec), fps=VIDEO_FPS, size=VIDEO_SIZE)
    info = probe_video(io.BytesIO(data), "mp4")  # the same reading the upload form does
    poster = io.BytesIO()
    card_picture(spec["title"], "▶", spec["colour"], VIDEO_SIZE, 1).save(poster, "PNG")
    return VideoMedia.objects.create(
        title=title,
        type="video",
        collection=collection,
        file=ContentFile(data, name=f"{spec['slug']}.mp4"),
        captions=ContentFile(captions_vtt(spec["cues"]).encode(), name=f"{spec['slug']}.vtt"),
        captions_language="zh-Hans",
        thumbnail=ContentFile(poster.getvalue(), name=f"{spec['slug']}.png"),
        duration=info.duration or 0,
        width=info.width,
        height=info.height,
    )
