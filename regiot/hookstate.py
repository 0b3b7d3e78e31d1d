"""Shared state between the thin MkDocs hooks of one build (plain Python)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class BuildState:
    config_id: int = 0
    site: Any = None
    renderer: Any = None
    pages: dict[str, str] = field(default_factory=dict)  # generated files rendered up front
    lazy: dict[str, Callable[[], str]] = field(default_factory=dict)  # generated pages rendered when read
    edit_sources: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


STATE = BuildState()
