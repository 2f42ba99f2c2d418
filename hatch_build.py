"""Build hook: ship the knowledge base pre-parsed as JSON inside the wheel.

Every ``crstrat plan`` loads the knowledge base; JSON parses about ten times
faster than YAML. crstrat uses the cache only while its fingerprint matches the
YAML files installed beside it, so an edited knowledge file is never shadowed.
Editable installs get no cache and parse the YAML.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class KnowledgeCacheHook(BuildHookInterface):  # type: ignore[misc]
    """Adds crstrat/knowledge/parsed.json to regular (not editable) wheels."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        sys.path.insert(0, str(root / "src"))
        try:
            from crstrat.knowledge import CACHE_FILE, write_cache
        finally:
            sys.path.pop(0)
        target = Path(tempfile.mkdtemp(prefix="crstrat-build-")) / CACHE_FILE
        write_cache(root / "knowledge", target)
        build_data["force_include"][str(target)] = f"crstrat/knowledge/{CACHE_FILE}"
