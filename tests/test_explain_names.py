"""``crstrat explain`` takes a type's display name as readily as its id."""

from __future__ import annotations

from typing import Any

import pytest

Cli = Any


@pytest.mark.parametrize(
    "typed", ["self_service", "Self-service", "self service", "SELF-SERVICE", "Self_Service"]
)
def test_id_or_display_name(cli: Cli, typed: str) -> None:
    result = cli("explain", typed)
    assert result.code == 0, result.err
    assert result.out.startswith("Self-service (self_service)")


def test_an_unknown_name_suggests_the_closest(cli: Cli) -> None:
    result = cli("explain", "selfservice")
    assert result.code == 2 and "did you mean 'self_service'?" in result.err
