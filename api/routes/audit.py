"""Audit (审计): the hash chain's head, and a walk of the chain that names the
first position where the log was changed behind the application's back."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api import deps, permissions
from api.schemas.audit import AuditHead, AuditVerdict
from infrastructure.digest import chained_recorder

router = APIRouter(prefix="/v1/audit", tags=["audit"])


@router.get(
    "/head",
    response_model=AuditHead,
    operation_id="get_audit_head",
    dependencies=deps.READ,
)
def get_audit_head(principal: deps.PrincipalDep, system: deps.SystemDep) -> Any:
    """The position and digest of the hash chain's last link (admin)."""
    permissions.can_administer(principal, "只有管理员可以查看审计信息")
    position, digest = chained_recorder(system.app).chain_head()
    return {"position": position, "digest": digest.hex()}


@router.get(
    "/verify",
    response_model=AuditVerdict,
    operation_id="verify_audit_chain",
    dependencies=deps.READ,
)
async def verify_audit_chain(
    principal: deps.PrincipalDep, system: deps.SystemDep, full: deps.FullCheck = False
) -> Any:
    """Walk the stored events and their links of the chain, recomputing each
    digest: the first position where a row was changed, deleted or inserted
    behind the application's back (admin). One walk at a time per process, a
    caller arriving meanwhile sharing its answer; each resumes after the last
    link verified (``resumed_from``) unless ``full``."""
    permissions.can_administer(principal, "只有管理员可以查看审计信息")
    verdict = await system.checked(("audit", full), system.chain.verify, full)
    return {
        "ok": verdict.ok,
        "checked": verdict.checked,
        "first_broken_position": verdict.first_broken_position,
        "resumed_from": verdict.resumed_from,
        "head": {"position": verdict.head_position, "digest": verdict.head_digest},
    }
