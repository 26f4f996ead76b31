"""The portal's one JSON API, with one OpenAPI schema at /api/openapi.json and docs at /api/docs
(served from our static files: "ninja" is an installed app, so no CDN). Each app adds its router
here, in the order data flows."""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

api = NinjaAPI(
    title="湖北网络普法 API",
    version="1.0",
    description=str(_("检索、分发、触达与覆盖数据的接口")),
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc):
    """Chinese first: name the parameters that are wrong; keep pydantic's details for programs."""
    names = sorted({str(e["loc"][-1]) for e in exc.errors if e.get("loc")})
    message = _("参数有误：%(names)s。请检查类型和取值范围。") % {"names": "、".join(names)}
    return api.create_response(request, {"detail": message, "errors": exc.errors}, status=422)


# Routers of the apps, added in the order data flows (search → distribution → reach):
api.add_router("/search/", "search.api.router")
api.add_router("/distribution/", "distribution.api.router")
api.add_router("/reach/", "reach.api.router")
api.add_router("/coverage/", "reach.api.coverage_router")
