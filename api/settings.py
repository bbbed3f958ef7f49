from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from api.wechat import WECHAT_API
from domain.commands.redemption import DEFAULT_POINTS_VALID_YEARS
from domain.commands.saving import AGGREGATE_CACHE_SIZE
from domain.points import DEFAULT_STAR_THRESHOLDS
from infrastructure.retries import WRITE_WAIT_SECONDS
from infrastructure.storage import DEFAULT_DATABASE_URL


class Settings(BaseSettings):
    """Configuration from the environment (``VPOINTS_*``)."""

    model_config = SettingsConfigDict(env_prefix="VPOINTS_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    read_database_url: str | None = None
    admin_token: SecretStr | None = None
    cipher_key: SecretStr | None = None
    star_thresholds: Annotated[tuple[Decimal, ...], NoDecode] = DEFAULT_STAR_THRESHOLDS
    read_wait_seconds: float = Field(default=5.0, ge=0, le=60)
    write_wait_seconds: float = Field(default=WRITE_WAIT_SECONDS, ge=0, le=60)
    aggregate_cache_size: int = Field(default=AGGREGATE_CACHE_SIZE, ge=0)
    cache_mb: int = Field(default=256, ge=1, le=1_000_000)
    points_valid_years: int = Field(default=DEFAULT_POINTS_VALID_YEARS, ge=0, le=100)
    log_level: str = "INFO"
    session_key: SecretStr | None = None
    sms_webhook_url: str | None = None
    wechat_app_id: str | None = None
    wechat_app_secret: SecretStr | None = None
    wechat_api_base: str = WECHAT_API
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    oidc_jwks_url: str | None = None

    @field_validator("star_thresholds", mode="before")
    @classmethod
    def parse_thresholds(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(Decimal(v.strip()) for v in value.split(",") if v.strip())
        return value

    @field_validator("star_thresholds")
    @classmethod
    def check_thresholds(cls, value: tuple[Decimal, ...]) -> tuple[Decimal, ...]:
        if list(value) != sorted(value) or any(v <= 0 for v in value):
            raise ValueError("star thresholds must be positive and ascending")
        return value
