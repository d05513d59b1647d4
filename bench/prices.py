"""The unit price table used for the cost estimate: bench/prices.json, or a file given with --prices.

A --prices file may set any subset of the "prices" and "assumptions" keys; the rest keep the defaults.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from .errors import ConfigError

DEFAULT_PRICES_FILE = Path(__file__).with_name("prices.json")
SECTIONS = ("prices", "assumptions")


def load_prices(path: Path | None = None) -> dict[str, Any]:
    """Return the default table, with the "prices" and "assumptions" of ``path`` laid over it."""
    table = _read(DEFAULT_PRICES_FILE)
    if path is None:
        return table

    override = _read(path)
    for section in SECTIONS:
        values = override.get(section, {})
        if not isinstance(values, dict):
            raise ConfigError(f"invalid prices file {path}: {section!r} must be an object of names to numbers")
        for name, value in values.items():
            if name not in table[section]:
                known = ", ".join(sorted(table[section]))
                raise ConfigError(f"invalid prices file {path}: unknown {section} key {name!r}; known keys: {known}")
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
                raise ConfigError(f"invalid prices file {path}: {section}.{name} must be a number >= 0, got {value!r}")
            table[section][name] = value
    for key in ("description", "recorded", "region", "sources"):
        if key in override:
            table[key] = override[key]
    table["file"] = str(path)
    return table


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise ConfigError(f"prices file {path} not found") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"invalid prices file {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"invalid prices file {path}: the top level must be a JSON object")
    return data
