"""Typed settings, read once from the environment (and an optional .env file), validated at start."""

from __future__ import annotations

import ipaddress
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from dotenv import dotenv_values

from nwow.content_gate import ALLOW_SETTING
from nwow.faq.setting_refs import ANSWER_SETTINGS
from nwow.paths import default_data_dir, default_faq_dir
from nwow.schedule import Schedule
from nwow.tickets.hours import BusinessHours

APP_TYPES: Final = ("MultiTenant", "SingleTenant", "UserAssignedMSI")
LOG_LEVELS: Final = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS: Final = ("text", "json")


class SettingsError(ValueError):
    """One or more settings are invalid; the message lists each problem and how to fix it."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("Invalid settings:\n" + "\n".join(f"  - {p}" for p in problems))


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its environment.

    The upper-case attributes are the names `ConfigurationBotFrameworkAuthentication` reads.
    """

    APP_ID: str = ""
    APP_PASSWORD: str = field(default="", repr=False)
    APP_TYPE: str = "MultiTenant"
    APP_TENANTID: str = ""

    dev_mode: bool = False
    host: str = "127.0.0.1"
    port: int = 3978
    data_dir: Path = field(default_factory=default_data_dir)
    database_url: str = ""
    faq_dir: Path = field(default_factory=default_faq_dir)
    faq_reload_seconds: float = 2.0
    log_level: str = "INFO"
    log_format: str = "text"
    max_body_bytes: int = 256 * 1024

    # None: derived from the knowledge base at each load (see nwow/faq/calibration.py).
    match_threshold: float | None = None
    match_ambiguity_gap: float | None = None

    pseudonym_key: str = field(default="", repr=False)
    min_group_size: int = 5
    dri_members: frozenset[str] = frozenset()
    ambassador_members: frozenset[str] = frozenset()
    retention_days: int = 730
    db_timeout_seconds: float = 3.0
    min_free_disk_mb: int = 100
    # Serve draft security entries and example offices outside development mode (nwow.content_gate).
    allow_unvalidated_content: bool = False
    ambassador_team_id: str = ""
    digest_schedule: str = ""
    digest_lang: str = "nl"
    proactive_rate: float = 30.0
    # Ask an ambassador: one reminder when nobody took a question after this much working time (0: none).
    ticket_reminder_hours: float = 4.0
    business_hours: str = "08:00-17:00"  # Monday to Friday, Europe/Brussels
    business_holidays: bool = True  # Belgium's public holidays are not working days

    # Where the SDK fetches OpenID metadata for incoming tokens; overridable for tests on loopback.
    openid_metadata_url: str = ""

    @property
    def effective_database_url(self) -> str:
        """The database to use: NWOW_DATABASE_URL, else the SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'nwow.sqlite3'}"

    def with_overrides(self, **changes: Any) -> Settings:
        updated = replace(self, **changes)
        updated.validate()
        return updated

    def validate(self, *, serving: bool = True) -> None:
        """Raise SettingsError listing every problem. `serving=False` (a command-line tool) leaves out what
        only the running bot uses: its credentials, the pseudonym key and development mode."""
        problems = self._serving_problems() if serving else []
        if not 0 < self.port < 65536:
            problems.append(f"Port {self.port} is out of range (1-65535).")
        if self.log_level not in LOG_LEVELS:
            problems.append(f"NWOW_LOG_LEVEL is {self.log_level!r}; use one of {', '.join(LOG_LEVELS)}.")
        if self.log_format not in LOG_FORMATS:
            problems.append(f"NWOW_LOG_FORMAT is {self.log_format!r}; use one of {', '.join(LOG_FORMATS)}.")
        scheme = urlsplit(self.effective_database_url).scheme
        if scheme not in ("sqlite", "postgresql", "postgres"):
            problems.append(
                f"NWOW_DATABASE_URL has scheme {scheme!r}; use sqlite:///PATH or postgresql://USER@HOST/DB."
            )
        if self.match_threshold is not None and not 0.0 < self.match_threshold < 1.0:
            problems.append("NWOW_MATCH_THRESHOLD must be between 0 and 1 (exclusive), or empty (derived).")
        if self.match_ambiguity_gap is not None and not 0.0 <= self.match_ambiguity_gap <= 5.0:
            problems.append("NWOW_MATCH_AMBIGUITY_GAP must be between 0 and 5, or empty (derived).")
        if self.min_group_size < 1:
            problems.append("NWOW_MIN_GROUP_SIZE must be at least 1.")
        if self.retention_days < 1:
            problems.append("NWOW_RETENTION_DAYS must be at least 1 (the bot deletes older feedback daily).")
        if not 0.1 <= self.db_timeout_seconds <= 60:
            problems.append("NWOW_DB_TIMEOUT_SECONDS must be between 0.1 and 60.")
        if self.min_free_disk_mb < 0:
            problems.append("NWOW_MIN_FREE_DISK_MB must be 0 or more.")
        if self.digest_lang not in ("nl", "fr", "de", "en"):
            problems.append(f"NWOW_DIGEST_LANGUAGE is {self.digest_lang!r}; use nl, fr, de or en.")
        if self.digest_schedule:
            try:
                Schedule.parse(self.digest_schedule)
            except ValueError as exc:
                problems.append(str(exc))
        if not 0 < self.proactive_rate <= 50:
            problems.append(
                "NWOW_PROACTIVE_RATE must be above 0 and at most 50 (messages per second; Teams allows "
                "about 50 per app and tenant)."
            )
        if not 0 <= self.ticket_reminder_hours <= 200:
            problems.append(
                "NWOW_TICKET_REMINDER_HOURS must be between 0 (no reminder) and 200 working hours."
            )
        try:
            BusinessHours.parse(self.business_hours)
        except ValueError as exc:
            problems.append(f"NWOW_BUSINESS_HOURS: {exc}")
        if self.max_body_bytes < 1024:
            problems.append("NWOW_MAX_BODY_BYTES must be at least 1024.")
        if problems:
            raise SettingsError(problems)

    def _serving_problems(self) -> list[str]:
        problems: list[str] = []
        if self.APP_TYPE not in APP_TYPES:
            problems.append(f"MicrosoftAppType is {self.APP_TYPE!r}; use one of {', '.join(APP_TYPES)}.")
        if self.APP_ID and not self.APP_PASSWORD and self.APP_TYPE != "UserAssignedMSI":
            problems.append("MicrosoftAppId is set but MicrosoftAppPassword is empty: set the client secret.")
        if self.APP_TYPE == "SingleTenant" and self.APP_ID and not self.APP_TENANTID:
            problems.append("MicrosoftAppType is SingleTenant: set MicrosoftAppTenantId to your tenant id.")
        if not self.APP_ID and not self.dev_mode:
            problems.append(
                "MicrosoftAppId is not set. Set MicrosoftAppId/MicrosoftAppPassword for Teams, or start "
                "with `nwow serve --dev` to run locally without authentication (loopback only)."
            )
        if self.dev_mode and self.APP_ID:
            problems.append(
                "Development mode is for running without an app id: unset MicrosoftAppId or drop --dev."
            )
        if self.dev_mode and not _is_loopback_host(self.host):
            problems.append(f"Development mode listens on loopback only; --host {self.host} is not loopback.")
        if self.APP_ID and len(self.pseudonym_key) < 16:
            problems.append(
                "NWOW_PSEUDONYM_KEY must be set (16 characters or more) in production: it keys the hash "
                "that pseudonymises user ids in the feedback store."
            )
        return problems

    @property
    def working_hours(self) -> BusinessHours:
        """The business hours reminders and times to answer are counted in."""
        return BusinessHours.parse(self.business_hours, holidays=self.business_holidays)

    @property
    def answer_values(self) -> dict[str, str]:
        """The settings FAQ answers may quote ({setting:NAME}, nwow.faq.setting_refs), as this bot has them."""
        return {name: str(getattr(self, name)) for name in ANSWER_SETTINGS}

    @property
    def refuse_unvalidated_content(self) -> bool:
        """Whether draft security entries and example offices are refused (never in development mode)."""
        return not (self.dev_mode or self.allow_unvalidated_content)

    @property
    def effective_pseudonym_key(self) -> bytes:
        """The key for user-id hashes; in development mode a fixed local key stands in."""
        return (self.pseudonym_key or "nwow-development-only-key").encode()

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        dotenv_path: Path | None = None,
        serving: bool = True,
        **overrides: Any,
    ) -> Settings:
        """Read settings from `environ` (default os.environ) over an optional .env file, then validate
        (`serving=False`: as a command-line tool, see `validate`)."""
        env = read_environment(environ, dotenv_path)
        problems: list[str] = []

        def number(name: str, default: float, kind: type[int] | type[float]) -> Any:
            raw = env.get(name, "").strip()
            if not raw:
                return kind(default)
            try:
                return kind(raw)
            except ValueError:
                problems.append(f"{name}={raw!r} is not a {'whole ' if kind is int else ''}number.")
                return kind(default)

        def optional_number(name: str) -> float | None:
            """Empty or unset: None (the value is derived elsewhere)."""
            if not env.get(name, "").strip():
                return None
            value: float = number(name, 0.0, float)
            return value

        def flag(name: str) -> bool:
            raw = env.get(name, "").strip().lower()
            if raw in ("", "false", "0", "no"):
                return False
            if raw in ("true", "1", "yes"):
                return True
            problems.append(f"{name}={env[name]!r} is not a yes/no setting; use true or false.")
            return False

        def members(name: str) -> frozenset[str]:
            return frozenset(p.strip().lower() for p in env.get(name, "").split(",") if p.strip())

        values: dict[str, Any] = {
            "APP_ID": env.get("MicrosoftAppId", "").strip(),
            "APP_PASSWORD": env.get("MicrosoftAppPassword", ""),
            "APP_TYPE": env.get("MicrosoftAppType", "").strip() or "MultiTenant",
            "APP_TENANTID": env.get("MicrosoftAppTenantId", "").strip(),
            "database_url": env.get("NWOW_DATABASE_URL", "").strip(),
            "log_level": env.get("NWOW_LOG_LEVEL", "INFO").strip().upper() or "INFO",
            "log_format": env.get("NWOW_LOG_FORMAT", "text").strip().lower() or "text",
            "pseudonym_key": env.get("NWOW_PSEUDONYM_KEY", ""),
            "dri_members": members("NWOW_DRI_MEMBERS"),
            "ambassador_members": members("NWOW_AMBASSADOR_MEMBERS"),
            "ambassador_team_id": env.get("NWOW_AMBASSADOR_TEAM_ID", "").strip(),
            "digest_schedule": env.get("NWOW_DIGEST_SCHEDULE", "").strip(),
            "digest_lang": env.get("NWOW_DIGEST_LANGUAGE", "nl").strip().lower() or "nl",
            "openid_metadata_url": env.get("NWOW_OPENID_METADATA_URL", "").strip(),
            "faq_reload_seconds": number("NWOW_FAQ_RELOAD_SECONDS", 2.0, float),
            "max_body_bytes": number("NWOW_MAX_BODY_BYTES", 256 * 1024, int),
            "match_threshold": optional_number("NWOW_MATCH_THRESHOLD"),
            "match_ambiguity_gap": optional_number("NWOW_MATCH_AMBIGUITY_GAP"),
            "min_group_size": number("NWOW_MIN_GROUP_SIZE", 5, int),
            "retention_days": number("NWOW_RETENTION_DAYS", 730, int),
            "db_timeout_seconds": number("NWOW_DB_TIMEOUT_SECONDS", 3.0, float),
            "min_free_disk_mb": number("NWOW_MIN_FREE_DISK_MB", 100, int),
            "proactive_rate": number("NWOW_PROACTIVE_RATE", 30.0, float),
            "ticket_reminder_hours": number("NWOW_TICKET_REMINDER_HOURS", 4.0, float),
            "business_hours": env.get("NWOW_BUSINESS_HOURS", "").strip() or "08:00-17:00",
            "allow_unvalidated_content": flag(ALLOW_SETTING),
        }
        holidays = env.get("NWOW_BUSINESS_HOLIDAYS", "belgium").strip().lower() or "belgium"
        if holidays not in ("belgium", "none"):
            problems.append(f"NWOW_BUSINESS_HOLIDAYS is {holidays!r}; use belgium or none.")
        values["business_holidays"] = holidays == "belgium"
        if env.get("NWOW_DATA_DIR", "").strip():
            values["data_dir"] = Path(env["NWOW_DATA_DIR"].strip()).expanduser()
        if env.get("NWOW_FAQ_DIR", "").strip():
            values["faq_dir"] = Path(env["NWOW_FAQ_DIR"].strip()).expanduser()
        values.update(overrides)
        settings = cls(**values)
        try:
            settings.validate(serving=serving)
        except SettingsError as exc:
            problems.extend(exc.problems)
        if problems:
            raise SettingsError(problems)
        return settings

    @classmethod
    def for_tools(cls) -> Settings:
        """The settings for a command-line tool (a feedback report): the bot's environment, validated for
        what a tool uses. A tool needs no secret, pseudonym key or development mode, so a machine with only
        the database settings (or none: the local SQLite file) runs it."""
        return cls.from_env(serving=False)


def read_environment(
    environ: Mapping[str, str] | None = None, dotenv_path: Path | None = None
) -> dict[str, str]:
    """`environ` (default os.environ) over the variables of an optional .env file (default ./.env)."""
    env: dict[str, str] = {}
    path = dotenv_path if dotenv_path is not None else Path(".env")
    if path.is_file():
        env.update({k: v for k, v in dotenv_values(path).items() if v is not None})
    env.update(os.environ if environ is None else environ)
    return env


def _is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def configure_logging(settings: Settings) -> None:
    """Set up the root logger once, as text or JSON lines."""
    from bot.logging_setup import install_log_handler

    install_log_handler(settings.log_level, settings.log_format)
    logging.getLogger(__name__).debug("logging configured: %s/%s", settings.log_level, settings.log_format)
