"""/api/laws/: the statute library for channels that republish the law (Django Ninja, in the
portal's one OpenAPI schema). Answers carry an ETag of their body; a client that sends it back
in If-None-Match gets 304 Not Modified."""

import hashlib
from datetime import date
from typing import Literal

from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from content.amendments import amendments_by_article
from content.blocks import find_article
from content.citations import ArticleNumberError, parse_article
from content.models import Statute
from content.statute_structure import outline
from content.statutes import filter_statutes
from portal.api_types import INVALID, PLAIN_TEXT_PATTERN, Day

router = Router(tags=["laws"])
MAX_PAGE_SIZE = 100


class LawListParams(Schema):
    q: str = Field(
        "", max_length=50, pattern=PLAIN_TEXT_PATTERN, description="法规名称的一部分，简体或繁体"
    )
    level: str = Field(
        "", max_length=64, pattern=PLAIN_TEXT_PATTERN, description="效力级别，如 法律"
    )
    status: Literal["", "repealed", "historical", "all"] = Field(
        "", description="时效性：为空时现行有效，repealed 已废止，historical 历史版本，all 全部"
    )
    issuing_body: str = Field(
        "", max_length=255, pattern=PLAIN_TEXT_PATTERN, description="制定机关"
    )
    published_from: Day | None = Field(None, description="公布日期不早于（YYYY-MM-DD）")
    published_to: Day | None = Field(None, description="公布日期不晚于（YYYY-MM-DD）")
    page: int = Field(1, ge=1, le=1000)
    page_size: int = Field(30, ge=1, le=MAX_PAGE_SIZE)


class LawOut(Schema):
    law_id: str
    name: str
    short_name: str
    level: str
    issuing_body: str
    department: str
    status: str
    in_force: bool
    publish_date: date | None
    effective_date: date | None
    version_date: date | None
    url: str


class LawListOut(Schema):
    total: int
    page: int
    page_size: int
    results: list[LawOut]


class ArticleEntryOut(Schema):
    number: str = Field(description="133、133-1（之一）或 item-3（没有第N条的条目）")
    article_no: str = Field(description="第一百三十三条之一、条目三或全文")


class HeadingOut(Schema):
    title: str
    level: Literal["编", "分编", "章", "节"]
    articles: list[ArticleEntryOut]
    children: list["HeadingOut"]


HeadingOut.model_rebuild()


class LawDetailOut(LawOut):
    contents: list[HeadingOut] = Field(description="目录：编、分编、章、节，逐级嵌套")
    articles: list[ArticleEntryOut] = Field(description="不在任何编章节之下的条文")


class AmendmentOut(Schema):
    name: str
    url: str
    effective_date: date | None
    kind: Literal["added", "changed"]


class ArticleOut(Schema):
    law_id: str
    law_name: str
    number: str
    form: Literal["article", "item"] = Field(description="article：第N条（之K）；item：条目")
    article_no: str
    text: str
    path: list[str] = Field(description="所在的编、分编、章、节")
    status: str
    in_force: bool
    law_publish_date: date | None
    law_effective_date: date | None = Field(description="本法施行日期（语料没有逐条日期）")
    amendments: list[AmendmentOut] = Field(description="增加或修改本条的修正案（据修正案原文）")
    url: str


class ErrorOut(Schema):
    detail: str


def cached_json(request, data):
    """The JSON answer with an ETag of its body; 304 when the client already has it."""
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=300"
    return response


def law_data(statute):
    return LawOut(
        law_id=statute.law_id,
        name=statute.name,
        short_name=statute.short_name,
        level=statute.level,
        issuing_body=statute.issuing_body,
        department=statute.department,
        status=statute.status,
        in_force=statute.is_in_force,
        publish_date=statute.publish_date,
        effective_date=statute.effective_date,
        version_date=statute.version_date,
        url=statute.get_absolute_url(),
    ).model_dump(mode="json")


def statute_or_404(law_id):
    statute = Statute.objects.filter(law_id=law_id).first()
    if statute is None:
        raise HttpError(404, _("法律法规库中没有编号为 %(id)s 的法律。") % {"id": law_id})
    return statute


def entry(article):
    return {"number": article.key, "article_no": article.label}


def heading(node):
    return {
        "title": node.title,
        "level": node.level,
        "articles": [entry(a) for a in node.articles],
        "children": [heading(child) for child in node.children],
    }


@router.get(
    "/",
    response={200: LawListOut, 304: None, 422: ErrorOut},
    url_name="laws",
    summary="法律法规列表：按名称、效力级别、时效性、制定机关、公布日期筛选",
)
def laws(request, params: Query[LawListParams]) -> HttpResponse:
    """Laws in force first (repealed and historical versions only when `status` asks for them),
    amendments in their numeric order. A filter value no law has finds nothing."""
    statutes = filter_statutes(**params.dict())
    start = (params.page - 1) * params.page_size
    page = list(statutes[start : start + params.page_size])
    return cached_json(
        request,
        {
            "total": statutes.count(),
            "page": params.page,
            "page_size": params.page_size,
            "results": [law_data(statute) for statute in page],
        },
    )


@router.get(
    "/{law_id}",
    response={200: LawDetailOut, 304: None, 404: ErrorOut, **INVALID},
    url_name="law",
    summary="一部法律：基本信息与编章节目录",
)
def law(
    request,
    law_id: str = Path(..., max_length=32, pattern=PLAIN_TEXT_PATTERN, description="法规编号"),
) -> HttpResponse:
    statute = statute_or_404(law_id)
    contents, loose = outline(statute.articles.all())
    return cached_json(
        request,
        law_data(statute)
        | {
            "contents": [heading(node) for node in contents],
            "articles": [entry(a) for a in loose],
        },
    )


@router.get(
    "/{law_id}/articles/{number}",
    response={200: ArticleOut, 304: None, 404: ErrorOut, 422: ErrorOut},
    url_name="law_article",
    summary="一条法条：原文、所在编章节、时效与日期",
)
def article(
    request,
    law_id: str = Path(..., max_length=32, pattern=PLAIN_TEXT_PATTERN, description="法规编号"),
    number: str = Path(
        ..., max_length=32, description="条号：133、133-1、item-3，也接受 第一百三十三条之一 等写法"
    ),
) -> HttpResponse:
    statute = statute_or_404(law_id)
    try:
        ref = parse_article(number)
    except ArticleNumberError as exc:
        raise HttpError(422, str(exc)) from exc
    found = find_article(statute, ref)
    if found is None:
        raise HttpError(
            404,
            _("《%(name)s》没有%(article)s。")
            % {"name": statute.name, "article": ref.label or number},
        )
    amendments = amendments_by_article(statute).get(found.key, [])
    return cached_json(
        request,
        ArticleOut(
            law_id=statute.law_id,
            law_name=statute.name,
            number=found.key,
            form="item" if found.item is not None else "article",
            article_no=found.label,
            text=found.text,
            path=found.path,
            status=statute.status,
            in_force=statute.is_in_force,
            law_publish_date=statute.publish_date,
            law_effective_date=statute.effective_date,
            amendments=[
                AmendmentOut(name=a.name, url=a.url, effective_date=a.effective_date, kind=a.kind)
                for a in amendments
            ],
            url=found.get_absolute_url(),
        ).model_dump(mode="json"),
    )
