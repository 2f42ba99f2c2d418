"""Benchmark: grading a class's submissions against parsing the same files.

Run from the repository with crstrat installed (the project's venv)::

    python benchmarks/grade_bench.py                 # 1,000 submissions, median of 7 runs
    python benchmarks/grade_bench.py --runs 11 --submissions 2000
    python benchmarks/grade_bench.py --distinct      # worst case: no two segments alike

It writes the submissions to a temporary folder, then times two whole
processes, interleaved, with ``time.perf_counter`` around ``subprocess.run``:

- ``python -m crstrat grade DIR --format json`` (stdout to /dev/null);
- ``python -c "..."`` that walks the same folder and parses every file with
  PyYAML's ``CSafeLoader`` and nothing else: the floor of any YAML tool.

and prints the median of each and their ratio; the target is at most 1.6 (and
well under 2 s for the grade). Each command runs once first, unmeasured, and
``PYTHONDONTWRITEBYTECODE`` is dropped from the children's environment, so
that crstrat runs from compiled bytecode as an installed package does.

The submissions are what a course hands in: each student answers one of the
shipped example cases (its figures as given) with a proposal per segment; some
copy the advisor's mix, some lead with its worst choice, the others propose a
few types at random. ``--distinct`` changes every segment's number of
customers, so that no two submissions share a recommendation.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from crstrat.answers import load_answers
from crstrat.knowledge import example_names, example_path, load_knowledge
from crstrat.mix import make_plan

PARSE_ONLY = """\
import os, sys, yaml
loader = yaml.CSafeLoader
found = []
for root, dirs, files in os.walk(sys.argv[1]):
    found += [os.path.join(root, f) for f in files if f.endswith((".yaml", ".yml", ".json"))]
for name in sorted(found):
    with open(name, encoding="utf-8") as handle:
        yaml.load(handle.read(), Loader=loader)
"""


def write_submissions(folder: Path, count: int, *, distinct: bool, seed: int = 5) -> None:
    """Write ``count`` answers files with proposals, as a class would hand them in."""
    kb = load_knowledge()
    rng = random.Random(seed)
    cases = []
    for name in example_names(kb):
        data = yaml.safe_load(example_path(kb, name).read_text(encoding="utf-8"))
        plan = make_plan(kb, load_answers(kb, example_path(kb, name)))
        advice = [([e.type for e in seg.mix], seg.ranking[-1].type) for seg in plan.segments]
        cases.append((name, data, advice))
    for student in range(count):
        name, data, advice = cases[student % len(cases)]
        answers: dict[str, Any] = json.loads(json.dumps(data))  # a deep copy
        answers["company"] = f"{answers.get('company', name)} (student {student + 1})"
        for seg, (mix, worst) in zip(answers["segments"], advice, strict=True):
            style = student % 3
            if style == 0:
                seg["proposal"] = mix
            elif style == 1:
                seg["proposal"] = [worst]
            else:
                seg["proposal"] = rng.sample(list(kb.type_ids), rng.randint(1, 3))
            if distinct:
                seg["customers"] = int(seg["customers"]) + student + 1
        text = f"# Student {student + 1}: the {name} case\n" + yaml.safe_dump(
            answers, sort_keys=False, allow_unicode=True
        )
        (folder / f"student-{student + 1:04d}.yaml").write_text(text, encoding="utf-8")


def timed(command: list[str], env: dict[str, str]) -> float:
    """Seconds one whole process takes, its output thrown away."""
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, env=env, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1: some submissions are below the minimum
        raise SystemExit(f"{' '.join(command)} exited with {done.returncode}")
    return seconds


def main() -> None:
    """Generate the submissions, time both commands, print the medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--distinct", action="store_true", help="no two segments alike")
    args = parser.parse_args()

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="crstrat-grade-bench-") as tmp:
        folder = Path(tmp)
        write_submissions(folder, args.submissions, distinct=args.distinct)
        grade = [sys.executable, "-m", "crstrat", "grade", str(folder), "--format", "json"]
        parse = [sys.executable, "-c", PARSE_ONLY, str(folder)]

        output = subprocess.run(grade, capture_output=True, text=True, env=env, check=False)
        results = json.loads(output.stdout)["results"]
        if len(results) != args.submissions or any(r["error"] for r in results):
            raise SystemExit("crstrat grade did not grade every submission")
        timed(parse, env)

        grade_times, parse_times = [], []
        for _ in range(args.runs):
            parse_times.append(timed(parse, env))
            grade_times.append(timed(grade, env))

    graded, parsed = statistics.median(grade_times), statistics.median(parse_times)
    figures = "distinct figures" if args.distinct else "the shipped cases' figures"
    print(f"submissions: {args.submissions} ({figures}), median of {args.runs} runs")
    print(f"parse only (CSafeLoader):     {parsed:.3f} s")
    print(f"crstrat grade --format json:  {graded:.3f} s")
    print(f"ratio: {graded / parsed:.2f} (target: at most 1.6)")


if __name__ == "__main__":
    main()
