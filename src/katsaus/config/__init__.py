"""Configuration files (TOML) validated with pydantic into core objects; every problem is coded and names the
file and the key (a configuration with problems is refused: katsaus.core.errors.Refused)."""

from .load import Config, load_config_dir, load_config_files

__all__ = ["Config", "load_config_dir", "load_config_files"]
