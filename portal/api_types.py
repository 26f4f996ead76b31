"""Types and error answers shared by every router of the portal's one API, so that each
parameter's limits are stated once, in the OpenAPI schema, and enforced by the same pydantic
validation that the schema describes."""

import datetime
import re
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError


def json_whole_number(value):
    """A whole number as JSON writes it (120 or 120.0), not true, not "120", not 1.5: in a JSON
    body pydantic alone would take a boolean or a string of digits for an integer."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise PydanticCustomError("int_type", "须为整数")


# An integer field of a JSON body.
WholeNumber = Annotated[int, BeforeValidator(json_whole_number)]
# Django's AutoField ids (pages, distributions): 32-bit, positive.
MAX_ID = 2**31 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# A region's six-digit administrative code (行政区划代码), e.g. 420100 for 武汉市.
AdCode = Annotated[int, Field(ge=100000, le=999999)]
# A channel's tracking code (?ch=): a slug, as Channel.code stores it.
CHANNEL_CODE_PATTERN = r"^[-a-zA-Z0-9_]+$"
# Text that may reach a database: no control characters (PostgreSQL refuses NUL outright).
PLAIN_TEXT_PATTERN = r"^[^\x00-\x1f\x7f]*$"

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_day(value):
    """A calendar day written YYYY-MM-DD and nothing else (pydantic alone would also take a
    number of seconds since 1970 for a date)."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and ISO_DAY.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("date_parsing", "须为 YYYY-MM-DD 格式的日期")


Day = Annotated[datetime.date, BeforeValidator(iso_day)]


class Problem(Schema):
    detail: str = Field(..., description="原因（中文）")


class InvalidRequest(Schema):
    detail: str = Field(..., description="哪些参数有误（中文）")
    errors: list[dict[str, Any]] = Field(
        [], description="逐项的校验错误（pydantic 格式）；数据本身不可接受时为空"
    )


# The answers an operation gives besides its own: 422 when the request does not match the
# schema, 401 where a credential is needed. Each router adds its own 400/403/404/429.
INVALID = {422: InvalidRequest}
UNAUTHORISED = {401: Problem}
# A body that is not JSON at all is answered 400 before any field is looked at.
UNREADABLE = {400: Problem}
