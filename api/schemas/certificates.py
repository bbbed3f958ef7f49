"""Service certificates (志愿服务证明): as issued, and as the public
verification shows them."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import HoursText

NUMBER = Field(
    description="证明编号（ASCII 字母、数字和连字符）", examples=["VPC-2026-7K3F9Q2M"]
)


class CertificateFigures(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    number: str = NUMBER
    hours: HoursText = Field(description="期间内的志愿服务时长（小时）")
    activities: int = Field(description="期间内参加的活动次数")
    period_from: date = Field(alias="from", description="起始日期")
    period_to: date = Field(alias="to", description="截止日期")
    issued_at: date = Field(description="出具日期（上海时间）")
    issuer: str = Field(description="出具组织：社区（及其街道、区县）")


class CertificateIssued(CertificateFigures):
    member_id: UUID = Field(description="志愿者编号")
    name: str
    masked_phone: str | None = Field(description="脱敏的手机号")
    position: int = Field(description="数字读取时读模型所在的事件日志位置")
    head_digest: str = Field(description="事件日志截至 position 的 SHA-256 链摘要")
    digest: str = Field(description="证明内容的 SHA-256 摘要")


class CertificateVerified(CertificateFigures):
    genuine: bool = Field(description="编号是否为本系统出具的真实证明")
    name: str = Field(description="脱敏的姓名（保留姓氏）", examples=["侯**"])
