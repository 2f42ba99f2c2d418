"""The knowledge base: complete, consistent, and every problem named with file, line and key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from crstrat.errors import KnowledgeError
from crstrat.knowledge import builtin_location, example_names, fingerprint, load_knowledge
from crstrat.model import GOALS, KnowledgeBase

SIX = {
    "personal_assistance",
    "dedicated_personal_assistance",
    "self_service",
    "automated_services",
    "communities",
    "co_creation",
}


def test_built_in_has_the_six_types_documented(kb: KnowledgeBase) -> None:
    assert set(kb.type_ids) == SIX
    for rel_type in kb.types:
        assert rel_type.definition and rel_type.summary
        assert rel_type.benefits and rel_type.drawbacks and rel_type.fits_when
        assert rel_type.examples and rel_type.other_industries
        assert rel_type.cost.assumptions
        assert all(a.source in kb.sources for a in rel_type.cost.assumptions)


def test_weights_are_data_and_add_up(kb: KnowledgeBase) -> None:
    assert sum(kb.scoring.weights.values()) == pytest.approx(1.0)
    assert {
        "expectation",
        "goals",
        "channels",
        "complexity",
        "market",
        "economics",
        "scale",
    } <= set(kb.scoring.weights)


def test_tactics_cover_every_goal_for_every_type(kb: KnowledgeBase) -> None:
    for goal in GOALS:
        for type_id in kb.type_ids:
            assert any(goal in t.goals and type_id in t.types for t in kb.tactics), (goal, type_id)
    kinds = {t.kind for t in kb.tactics}
    assert kinds == {"tactic", "strategy"}
    strategies = {t.id for t in kb.tactics if t.kind == "strategy"}
    assert {
        "personalization",
        "omnichannel_support",
        "proactive_service",
        "social_media_engagement",
        "data_driven_insights",
        "feedback_loops",
    } <= strategies


def test_elements_challenges_tips_and_examples(kb: KnowledgeBase) -> None:
    assert len(kb.elements) >= 8
    assert len(kb.challenges) >= 3 and len(kb.cost_tips) >= 3
    assert len(example_names(kb)) >= 3


def test_fingerprint_follows_the_content(tmp_path: Path) -> None:
    copy = tmp_path / "kb"
    shutil.copytree(builtin_location(), copy)
    assert fingerprint(copy) == load_knowledge().sha256
    meta = copy / "meta.yaml"
    meta.write_text(meta.read_text().replace("name: built-in", "name: my-market"))
    changed = load_knowledge(copy)
    assert changed.name == "my-market"
    assert changed.sha256 != load_knowledge().sha256


def broken(tmp_path: Path, file: str, old: str, new: str) -> KnowledgeError:
    copy = tmp_path / "kb"
    shutil.copytree(builtin_location(), copy)
    path = copy / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(copy)
    assert str(path) in caught.value.message
    return caught.value


def test_unknown_key_is_named_with_line(tmp_path: Path) -> None:
    error = broken(tmp_path, "types.yaml", "    human: true", "    humane: true")
    assert error.path == "types[0].humane"
    assert error.line is not None and error.line > 1
    assert "did you mean 'human'" in error.message


def test_a_misspelt_criterion_is_named_among_all_criteria(tmp_path: Path) -> None:
    error = broken(
        tmp_path,
        "meta.yaml",
        "hosted_support_min_fit: {horizon: 0}",
        "hosted_support_min_fit: {horizn: 0}",
    )
    assert error.path == "mix.hosted_support_min_fit.horizn"
    assert "did you mean 'horizon'" in error.message


def test_bad_number_is_named(tmp_path: Path) -> None:
    error = broken(tmp_path, "types.yaml", "cost_per_contact: 8.0", "cost_per_contact: cheap")
    assert error.path == "types[0].cost.cost_per_contact"


def test_weights_must_add_up(tmp_path: Path) -> None:
    error = broken(tmp_path, "meta.yaml", "expectation: 0.22", "expectation: 0.5")
    assert "add up to 1" in error.message


def test_unknown_source_is_named(tmp_path: Path) -> None:
    error = broken(tmp_path, "tactics.yaml", "source: ", "source: nowhere_")
    assert "not declared" in error.message


def test_missing_folder_and_file(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="not a folder"):
        load_knowledge(tmp_path / "nope")
    with pytest.raises(KnowledgeError, match="no such file"):
        load_knowledge(tmp_path)


def test_parsed_cache_gives_the_same_knowledge(tmp_path: Path) -> None:
    from crstrat.knowledge import CACHE_FILE, write_cache

    copy = tmp_path / "kb"
    shutil.copytree(builtin_location(), copy, ignore=shutil.ignore_patterns(CACHE_FILE))
    parsed = load_knowledge(copy)
    write_cache(copy, copy / CACHE_FILE)
    assert load_knowledge(copy) == parsed._replace(location=str(copy))
    # an edited YAML file is never shadowed by a stale cache
    meta = copy / "meta.yaml"
    meta.write_text(meta.read_text().replace("name: built-in", "name: edited"))
    assert load_knowledge(copy).name == "edited"


def test_cached_knowledge_still_names_lines(tmp_path: Path) -> None:
    from crstrat.knowledge import CACHE_FILE, write_cache

    copy = tmp_path / "kb"
    shutil.copytree(builtin_location(), copy, ignore=shutil.ignore_patterns(CACHE_FILE))
    types = copy / "types.yaml"
    types.write_text(types.read_text().replace("    human: true", "    humane: true", 1))
    write_cache(copy, copy / CACHE_FILE)
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(copy)
    assert caught.value.line is not None and caught.value.path == "types[0].humane"


def test_a_book_given_twice_is_refused(tmp_path: Path) -> None:
    error = broken(
        tmp_path,
        "types.yaml",
        "        book_size:\n",
        "        accounts_per_person: {b2b: 50, b2c: 80}\n        book_size:\n",
    )
    assert error.path is not None and error.path.endswith("staff.book_size")
    assert "accounts_per_person" in error.message


def test_free_members_go_with_accounts_per_person_only(tmp_path: Path) -> None:
    error = broken(
        tmp_path,
        "types.yaml",
        "        book_size:\n",
        "        free_members_per_person: 1000000\n        book_size:\n",
    )
    assert error.path is not None and error.path.endswith("staff.free_members_per_person")
    assert "book_size" in error.message


def test_economics_and_currencies_are_data(kb: KnowledgeBase) -> None:
    assert kb.economics is not None and kb.currencies is not None
    assert set(kb.economics.gross_margin) == {"b2c", "b2b"}
    assert kb.currencies.rates[kb.currencies.cost_currency] == 1
    for code in ("EUR", "GBP", "JPY"):
        assert kb.currencies.rates[code] > 0
