"""The portal's one JSON API, with one OpenAPI schema at /api/openapi.json and docs at /api/docs
(served from our static files: "ninja" is an installed app, so no CDN). Each app adds its router
here, in the order data flows."""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 as it is: messages and names read as Chinese, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=ChineseJSONRenderer(),
    title="湖北网络普法 API",
    version="1.0",
    description=str(_("检索、分发、触达与覆盖数据的接口")),
    urls_namespace="api",
)


# pydantic's error types, said in Chinese (the English message stays in "errors").
PARAMETER_ERRORS = {
    "missing": _("必须填写"),
    "int_parsing": _("必须是整数"),
    "int_type": _("必须是整数"),
    "greater_than_equal": _("不能小于 {ge}"),
    "less_than_equal": _("不能大于 {le}"),
    "string_too_long": _("最多 {max_length} 个字"),
    "string_too_short": _("不能为空"),
    "string_pattern_mismatch": _("含有不允许的字符"),
    "string_unicode": _("不是有效的文字"),
    "string_type": _("必须是文字"),
    "literal_error": _("只能是 {expected}"),
    "date_parsing": _("须为 YYYY-MM-DD 格式的日期"),
    "date_from_datetime_parsing": _("须为 YYYY-MM-DD 格式的日期"),
    "date_from_datetime_inexact": _("须为 YYYY-MM-DD 格式的日期"),
    "date_type": _("须为 YYYY-MM-DD 格式的日期"),
}


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc):
    """Chinese first: name the parameters that are wrong; keep pydantic's details for programs."""
    problems = []
    for error in exc.errors:
        # The parameter's name, also for one item of a list (whose location ends in its index).
        names = [str(part) for part in error.get("loc", ()) if not isinstance(part, int)]
        name = names[-1] if names else ""
        template = str(PARAMETER_ERRORS.get(error.get("type"), _("取值无效")))
        context = dict(error.get("ctx", {}))
        if "expected" in context:  # pydantic lists the choices as "'a' or 'b'"
            context["expected"] = str(context["expected"]).replace(" or ", str(_(" 或 ")))
        try:
            problems.append(f"{name}{template.format(**context)}")
        except (KeyError, IndexError):
            problems.append(f"{name}{_('取值无效')}")
    message = _("参数有误：%(problems)s。") % {"problems": "；".join(problems)}
    return api.create_response(request, {"detail": message, "errors": exc.errors}, status=422)


# Routers of the apps, added in the order data flows (content → search → distribution → reach):
api.add_router("/laws/", "content.api.router")
api.add_router("/search/", "search.api.router")
api.add_router("/distribution/", "distribution.api.router")
api.add_router("/reach/", "reach.api.router")
api.add_router("/coverage/", "reach.api.coverage_router")
