"""Bodies and answers of signing in, sessions and organiser accounts."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field, field_validator

from api.schemas.common import Name
from api.schemas.requests import Places, Request
from api.schemas.responses import Place

SignInPhone = Annotated[
    str,
    Field(min_length=5, max_length=20, examples=["13800138000"], description="手机号"),
]


def _phone(value: str) -> str:
    digits = [c for c in value if c.isdigit()]
    if not all(c.isdigit() or c in "+- " for c in value) or not 5 <= len(digits) <= 15:
        raise ValueError("手机号只能包含 5 至 15 位数字，以及空格、+ 和 -")
    return value


class SmsCodeAsk(Request):
    phone: SignInPhone
    purpose: Literal["sign_in", "bind"] = "sign_in"

    check_phone = field_validator("phone")(_phone)


class SmsSignIn(Request):
    phone: SignInPhone
    code: Annotated[str, Field(min_length=1, max_length=12, examples=["123456"])]
    role: Literal["member", "organizer"] = Field(
        default="member", alias="as", description="以志愿者或组织者身份登录"
    )

    check_phone = field_validator("phone")(_phone)


RefreshToken = Annotated[str, Field(min_length=1, max_length=200)]


class RefreshAsk(Request):
    refresh_token: RefreshToken


class WeChatSignIn(Request):
    code: Annotated[
        str, Field(min_length=1, max_length=128, description="wx.login 得到的登录码")
    ]


class WeChatBind(Request):
    binding_token: Annotated[str, Field(min_length=1, max_length=1000)]
    phone: SignInPhone
    code: Annotated[str, Field(min_length=1, max_length=12, examples=["123456"])]

    check_phone = field_validator("phone")(_phone)


class OidcSignIn(Request):
    id_token: Annotated[str, Field(min_length=1, max_length=16_000)]


class CodeAsked(BaseModel):
    retry_after: int = Field(description="可再次请求验证码前的秒数")


class SessionAnswer(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"]
    expires_in: int = Field(description="访问令牌的有效秒数（至多 900）")
    refresh_expires_in: int
    role: Literal["member", "organizer"]
    member_id: UUID | None = None
    organiser_id: UUID | None = None


class OrganiserCreate(Request):
    name: Name
    phone: SignInPhone
    community_ids: Places = Field(default_factory=list)
    street_ids: Places = Field(default_factory=list)
    district_ids: Places = Field(default_factory=list)
    team_ids: Places = Field(default_factory=list)

    check_phone = field_validator("phone")(_phone)


class OrganiserAnswer(BaseModel):
    id: UUID
    name: str
    phone: str = Field(description="手机号（隐去中间几位）")
    district_ids: list[UUID]
    street_ids: list[UUID]
    community_ids: list[UUID]
    team_ids: list[UUID]
    places: list[Place] = Field(
        default_factory=list, description="权限范围内各处的种类、id 和名称"
    )
    removed: bool = False
    position: int | None = None


class Organisers(BaseModel):
    items: list[OrganiserAnswer]
