"""How `Settings` reads its variables: one explicit mapping, blank as unset, secrets as set or not.

`from_env` runs pydantic-settings' env source over the mapping it is given (os.environ, or a
test's dict, never both) and turns the first validation error into a `ConfigurationError` that
starts with the variable's name.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Self

from pydantic import ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from crypto_assets.environment_checks import ConfigurationError


@dataclass(frozen=True)
class SetAmong:
    """Field metadata: the field holds which of `names` are set, never their values (secrets)."""

    names: tuple[str, ...]
    # DAGSTER_PG_*: the instance file reads a blank value as a value, so blank counts as set.
    blank_counts: bool = False

    def of(self, environ: Mapping[str, str]) -> tuple[str, ...]:
        """The names set in `environ`, in the order of `names`."""
        if self.blank_counts:
            return tuple(name for name in self.names if name in environ)
        return tuple(name for name in self.names if environ.get(name, "").strip())


class EnvironSource(EnvSettingsSource):
    """pydantic-settings' env source over one explicit mapping instead of os.environ."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self.environ = environ  # read by _load_env_vars, which the base __init__ calls
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        # Blank means unset, as in the shell's ${VAR:-default}.
        stripped = ((name, value.strip()) for name, value in self.environ.items())
        return {name: value for name, value in stripped if value}

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        """The variable's value, or for a `SetAmong` field which of its variables are set."""
        among = next((m for m in field.metadata if isinstance(m, SetAmong)), None)
        if among is None:
            return super().get_field_value(field, field_name)
        return among.of(self.environ), field_name, False


class EnvironmentSettings(BaseSettings):
    """Settings built by `from_env` alone: frozen, names matched case-sensitively as the shell's."""

    # Frozen, so hashable. The validators check the text of a variable that is set, so defaults
    # (already typed values) skip them; a list (CRYPTO_SUBREDDITS) is comma-separated, not JSON.
    model_config = SettingsConfigDict(
        frozen=True, case_sensitive=True, validate_default=False, enable_decoding=False
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Read and validate the variables (os.environ by default); a bad value names its variable."""
        source = EnvironSource(cls, os.environ if environ is None else environ)
        try:
            return cls(**source())
        except ValidationError as exc:
            raise configuration_error(exc) from None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Only the values passed in: no os.environ or .env file behind `from_env`'s back."""
        return (init_settings,)

    @classmethod
    def variable(cls, field_name: str) -> str:
        """The environment variable a field reads (its validation alias)."""
        alias = cls.model_fields[field_name].validation_alias
        return alias if isinstance(alias, str) else field_name


def configuration_error(exc: ValidationError) -> ConfigurationError:
    """The first error of a validation as the contract reports it, starting with the variable."""
    error = exc.errors()[0]
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, ConfigurationError):
        return cause  # a check's own message, which names its variable
    where = error["loc"][0] if error["loc"] else "environment"
    return ConfigurationError(f"{where}: {error['msg']}")
