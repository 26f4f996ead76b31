"""/api/search/: the search JSON API (Django Ninja, in the portal's one OpenAPI schema)."""

from typing import Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from portal.api_types import INVALID, PLAIN_TEXT_PATTERN, UNREADABLE
from search.analysis import MAX_QUERY_CHARS
from search.documents import STATUSES
from search.engines import EngineUnavailable
from search.service import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    SearchForm,
    log_click,
    log_search,
    run_search,
    suggest,
)

router = Router(tags=["search"])


class SearchParams(Schema):
    """The same limits as the search page's form, stated in the schema."""

    q: str = Field("", max_length=MAX_QUERY_CHARS, description="检索词，简体或繁体")
    type: Literal["", "article", "video", "statute"] = ""
    topic: str = Field("", max_length=100, description="栏目名称")
    law: str = Field("", max_length=64, description="法规编号（law_id）")
    level: str = Field("", max_length=64, description="效力级别，如 法律")
    status: Literal["", *STATUSES] = Field("", description="时效性；为空时只含现行有效的法律")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class ResultOut(Schema):
    type: str
    title: str
    url: str
    snippet: str
    score: float
    topic: str | None
    law_id: str | None
    law_name: str | None
    article_no: str | None
    status: str | None
    in_force: bool
    published: str | None


class SearchOut(Schema):
    query: str
    total: int
    page: int
    page_size: int
    results: list[ResultOut]
    facets: dict[str, dict[str, int]]
    facet_labels: dict[str, dict[str, str]]
    did_you_mean: str | None
    engine: str
    took_ms: float


class SuggestionOut(Schema):
    text: str
    type: str
    url: str


class ErrorOut(Schema):
    detail: str


@router.get(
    "/",
    response={200: SearchOut, 400: ErrorOut, 503: ErrorOut, **INVALID},
    url_name="search",
    summary="全文检索：普法文章、视频与法律条文",
)
def search(request, params: Query[SearchParams]):
    """Chinese full-text search. `q` in simplified or traditional Chinese; snippets mark matches
    with `<mark>` and are HTML-escaped otherwise. Repealed and historical statutes appear only
    when `status` asks for them."""
    # NUL characters mean nothing in a search and Django's forms refuse them: drop them.
    data = {k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in params.dict().items()}
    form = SearchForm(data)
    if not form.is_valid():
        return Status(400, {"detail": form.errors_text()})
    try:
        answer = run_search(form.cleaned_data)
    except EngineUnavailable:
        return Status(503, {"detail": _("检索服务暂时不可用，请稍后再试。")})
    log_search(answer)
    return Status(
        200,
        {
            "query": answer.query,
            "total": answer.total,
            "page": answer.page,
            "page_size": answer.page_size,
            "results": answer.results,
            "facets": {
                f: {i["value"]: i["count"] for i in items} for f, items in answer.facets.items()
            },
            "facet_labels": {
                f: {i["value"]: i["label"] for i in items if i["label"] != i["value"]}
                for f, items in answer.facets.items()
            },
            "did_you_mean": answer.did_you_mean or None,
            "engine": answer.engine,
            "took_ms": answer.took_ms,
        },
    )


@router.get(
    "/suggest/",
    response={200: list[SuggestionOut], 503: ErrorOut, **INVALID},
    url_name="search_suggestions",
    summary="输入提示：标题与法律名称",
)
def suggestions(request, q: str = Query("", max_length=MAX_QUERY_CHARS)):
    """Up to 8 titles and law names starting with `q` (simplified or traditional)."""
    try:
        return Status(200, suggest(q))
    except EngineUnavailable:
        return Status(503, {"detail": _("检索服务暂时不可用，请稍后再试。")})


class ClickIn(Schema):
    q: str = Field(
        ...,
        min_length=1,
        max_length=MAX_QUERY_CHARS,
        pattern=PLAIN_TEXT_PATTERN,
        description="结果所属的检索词",
    )


@router.post(
    "/click/",
    response={204: None, **UNREADABLE, **INVALID},
    url_name="search_click",
    summary="记录一次检索结果的点击（检索页的信标）",
    description="检索页上打开一条结果时发送，供编辑查看“有结果但无人点击”的问题；不记录是谁。",
)
def click(request, payload: ClickIn):
    log_click(payload.q)
    return HttpResponse(status=204)
