"""Configuration files (TOML) validated with pydantic into core objects; errors name file, key and problem."""

from .load import Config, ConfigError, load_config_dir, load_config_files

__all__ = ["Config", "ConfigError", "load_config_dir", "load_config_files"]
