"""The one place configuration is declared: environment variables prefixed ``PEACEOPS_``."""

from __future__ import annotations

import contextlib
import os
import secrets
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from peaceops.errors import ConfigurationError

REPO_ROOT = Path(__file__).resolve().parents[2]
# In a checkout var/ sits beside src/; an installed package (a wheel in site-packages) has no such home, so
# its var/ is the working directory's (the container's WORKDIR) unless PEACEOPS_VAR_DIR says otherwise.
HOME = REPO_ROOT if (REPO_ROOT / "pyproject.toml").is_file() else Path.cwd()
# Who PEACEOPS_REQUIRE_TOTP_FOR can oblige to sign in with a second factor (access.policy applies it).
TOTP_GROUPS = ("admin", "holders")


class Settings(BaseSettings):
    """Typed settings; every field can be set as ``PEACEOPS_<NAME>`` in the environment or a ``.env`` file."""

    model_config = SettingsConfigDict(env_prefix="PEACEOPS_", env_file=".env", extra="ignore")

    mode: Literal["development", "production"] = Field(
        "development", description="production refuses to start without an explicit secret key."
    )
    var_dir: Path = Field(HOME / "var", description="Where the SQLite file, caches and models live.")
    data_dir: Path = Field(
        HOME.parent / "shared" / "data",
        description="Folder holding the public data sets (un_peacekeeping/, ucdp/, ...).",
    )
    database_url: str = Field("", description="SQLAlchemy URL; empty means SQLite at <var_dir>/peaceops.sqlite.")
    secret_key: str = Field(
        "", description="Signs session cookies; generated once into <var_dir>/secret_key when empty."
    )
    session_max_age: int = Field(8 * 3600, description="Seconds a login stays valid at most (absolute timeout).")
    session_idle_minutes: int = Field(30, description="Minutes without a request after which a login ends.")
    max_body_kb: int = Field(
        1024,
        ge=1,
        description="Largest request body, in KB, for forms and JSON; a larger one is refused (413) unread.",
    )
    max_upload_mb: int = Field(
        25,
        ge=1,
        description="Largest request body, in MB, on the file-upload routes (imports); refused (413) unread.",
    )
    require_totp_for: str = Field(
        "",
        description="Who must sign in with a second factor (TOTP): a comma-separated list of admin "
        "(administrators) and holders (anyone granted a compartment); empty: optional for everyone.",
    )
    ucdp_base_url: str = Field(
        "https://ucdp.uu.se/downloads",
        description="UCDP's download site; `peaceops fetch ucdp-ged` reads <this>/ged/ged{YY}{N}-csv.zip.",
    )
    base_url: str = Field(
        "http://127.0.0.1:8000",
        description="The address people open the app at; notifications link to <this>/<page>.",
    )
    log_format: Literal["json", "text"] = Field(
        "json", description="How `peaceops serve` writes its logs to stderr: JSON lines (one per request) or text."
    )
    engine: Literal["duckdb", "spark"] = Field(
        "duckdb",
        description="Where panels, features and batch forecast scoring run: duckdb (this process) or spark "
        "(Apache Spark at PEACEOPS_SPARK_MASTER; needs the spark extra). Training stays on one machine.",
    )
    spark_master: str = Field(
        "local[*]",
        description="Spark master URL with PEACEOPS_ENGINE=spark: local[*] uses this machine's cores; "
        "spark://host:7077, yarn or k8s://... a cluster.",
    )
    smtp_host: str = Field("", description="SMTP server for notification e-mail; empty: e-mail stays pending.")
    smtp_port: int = Field(25, ge=1, le=65535, description="The SMTP server's port (587 with STARTTLS, as a rule).")
    smtp_from: str = Field("peaceops@localhost", description="The From address of notification e-mail.")
    smtp_user: str = Field("", description="SMTP login name; empty: send without logging in.")
    smtp_password: str = Field("", description="SMTP password, used with PEACEOPS_SMTP_USER.")
    smtp_starttls: bool = Field(False, description="Upgrade the SMTP connection with STARTTLS before logging in.")

    @field_validator("require_totp_for")
    @classmethod
    def _known_totp_groups(cls, value: str) -> str:
        groups = [part.strip().lower() for part in value.split(",") if part.strip()]
        unknown = [group for group in groups if group not in TOTP_GROUPS]
        if unknown:
            raise ConfigurationError(
                f"PEACEOPS_REQUIRE_TOTP_FOR names {', '.join(unknown)}; use admin, holders, both "
                "(admin,holders) or leave it empty."
            )
        return ",".join(group for group in TOTP_GROUPS if group in groups)

    @property
    def totp_required_for(self) -> frozenset[str]:
        """The groups that must sign in with a second factor (``require_totp_for`` as a set)."""
        return frozenset(filter(None, self.require_totp_for.split(",")))

    @model_validator(mode="after")
    def _production_needs_secret(self) -> Settings:
        if self.mode == "production" and len(self.secret_key) < 32:
            raise ConfigurationError(
                "PEACEOPS_SECRET_KEY must be set to at least 32 random characters in production mode."
            )
        return self

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'peaceops.sqlite'}"

    @cached_property
    def session_secret(self) -> str:
        """The configured key, or one generated once and kept in var/ so logins survive restarts."""
        if self.secret_key:
            return self.secret_key
        path = self.var_dir / "secret_key"
        if not path.exists():
            # Several server workers may start at once: each writes its own candidate, and the first to link
            # it into place wins (a link never replaces a file), so all of them read the same key.
            self.var_dir.mkdir(parents=True, exist_ok=True)
            candidate = self.var_dir / f".secret_key.{os.getpid()}"
            candidate.write_text(secrets.token_urlsafe(48))
            candidate.chmod(0o600)
            with contextlib.suppress(FileExistsError):
                os.link(candidate, path)
            candidate.unlink()
        return path.read_text().strip()

    def data_path(self, *parts: str) -> Path:
        """A path inside the data directory, with a clear error when the directory is missing."""
        if not self.data_dir.is_dir():
            raise ConfigurationError(
                f"The data directory {self.data_dir} does not exist. Point PEACEOPS_DATA_DIR at the folder "
                "that holds un_peacekeeping/ (the shared public data sets)."
            )
        return self.data_dir.joinpath(*parts)
