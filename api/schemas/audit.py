"""Audit: the hash chain's head and the verdict of a walk of it."""

from __future__ import annotations

from pydantic import BaseModel, Field


class AuditHead(BaseModel):
    position: int = Field(description="链上最后一个事件的日志位置")
    digest: str = Field(description="到该位置的哈希链摘要（64 位十六进制）")


class AuditVerdict(BaseModel):
    ok: bool
    checked: int = Field(description="核对过的事件数")
    first_broken_position: int | None = Field(
        description="第一个与哈希链不符的位置（被改动、删除或插入的行）"
    )
    resumed_from: int = Field(
        description="本次从这个位置之后接着核验（0：从头核验整个日志）；"
        "此前的部分由本进程先前的核验确认"
    )
    head: AuditHead
