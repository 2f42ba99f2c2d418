"""The held-out strategist cases (tests/heldout/): measured, never tuned on.

Written by a strategist who had not seen the code (tests/heldout/README.md).
The advice's choices must agree with them at least as often as the advice did
before the economics were added (91.5%); the economics checks follow the
contract's formulas and must all hold.
"""

from __future__ import annotations

from pathlib import Path

from casecheck import score_folder

HELDOUT = Path(__file__).parent / "heldout"
MIN_SHARE = 0.9


def test_held_out_cases_agree_with_the_advice() -> None:
    passed, total, failures = score_folder(HELDOUT)
    assert total >= 160, total
    assert passed / total >= MIN_SHARE, (passed, total, failures)


def test_held_out_economics_follow_the_contract() -> None:
    _, _, failures = score_folder(HELDOUT)
    assert not [f for f in failures if "economics" in f]
