"""Validating the generator's options (``plugins: - briefing:`` in mkdocs.yml): one helper
for every concern, so every mistake reads alike and names mkdocs.yml and the option.

- ``Section``: a concern's options, a ``mkdocs.config.base.Config`` of its own. An unknown
  key is a warning (a strict build fails on it), a wrong value an error, each naming
  ``mkdocs.yml`` and the option's dotted name (``briefing.key_figures.fiel``).
- ``Positive``: a number above 0 (a bound in seconds, a count).
"""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError

PLUGIN = "briefing"  # the plugin's name in mkdocs.yml


class Positive(c.Type):
    """A number above 0 (never a bool, which Python counts as a number)."""

    def run_validation(self, value):
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ValidationError(f"Expected a number above 0 but received: {value!r}")
        return value


class Section(c.SubConfig):
    """One concern's options, validated with its Config class; messages name mkdocs.yml."""

    def __init__(self, config_class: type[Config], name: str, optional: bool = False):
        super().__init__(config_class)
        self.config_class = config_class  # SubConfig sets it only for itself, not a subclass
        self.name = name
        self.optional = optional
        if optional:
            self.default = None  # left out: None (the concern is off), not a Config of defaults

    def run_validation(self, value: object) -> Config | None:
        where = self._config_file_path or "mkdocs.yml"
        if value is None:
            if self.optional:
                return None
            value = {}
        if not isinstance(value, dict):
            raise ValidationError(f"{where}: {PLUGIN}.{self.name} must be a mapping of options, not {value!r}")
        config = self.config_class(config_file_path=self._config_file_path)
        config.load_dict(value)
        failed, warnings = config.validate()
        self.warnings.extend(message(where, self.name, key, text) for key, text in warnings)
        if failed:
            raise ValidationError("; ".join(message(where, self.name, key, text) for key, text in failed))
        return config


def message(where: str, section: str, key: str, text: str) -> str:
    """``mkdocs.yml: briefing.section.key: text``."""
    return f"{where}: {PLUGIN}.{section}.{key}: {text}"


def validate(config_class: type[Config], name: str, raw: object, where: str = "mkdocs.yml") -> tuple[Config, list[str]]:
    """One section's options validated as the plugin validates them (for tools and tests):
    the options and the warnings; ValueError (naming ``where`` and the option) for a wrong value."""
    section = Section(config_class, name)
    section._config_file_path = where
    try:
        config = section.validate(raw)
    except ValidationError as error:
        raise ValueError(str(error)) from error
    return config, list(section.warnings)
