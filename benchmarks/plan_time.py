"""Plan time: how long the advice itself takes, per segment, in one process.

The start-up ratios (startup.py) include the interpreter and the imports; this
measures what the economics and the decision add on top: every shipped example
and every strategist case planned again and again, the median of the rounds.

    python benchmarks/plan_time.py [--rounds 20]

Plain Python, no dependency; the figures are for comparing two builds on one
machine, never for a test's pass or fail.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import yaml

from crstrat.answers import load_answers, validate_answers
from crstrat.errors import InputError
from crstrat.knowledge import example_names, example_path, load_knowledge
from crstrat.mix import make_plan

TESTS = Path(__file__).resolve().parent.parent / "tests"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--folders", nargs="*", default=["cases", "heldout"])
    args = parser.parse_args()
    kb = load_knowledge()
    answers = [load_answers(kb, example_path(kb, name)) for name in example_names(kb)]
    for folder in args.folders:
        for case in sorted((TESTS / folder).glob("*.yaml")):
            spec = yaml.safe_load(case.read_text(encoding="utf-8"))
            try:
                answers.append(validate_answers(kb, spec["answers"], source=str(case)))
            except InputError:  # an older build refuses newer keys: compare what both read
                continue
    segments = sum(len(a.segments) for a in answers)
    timings = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for one in answers:
            make_plan(kb, one)
        timings.append(time.perf_counter() - start)
    median = statistics.median(timings)
    print(
        f"{len(answers)} answers files, {segments} segments: median {median * 1000:.1f} ms a "
        f"round, {median / segments * 1e6:.0f} us a segment ({args.rounds} rounds)"
    )


if __name__ == "__main__":
    main()
