"""Start-up and batch speed of the installed crstrat, as ratios to bare Python.

Run it with the Python of the environment crstrat is installed in::

    python benchmarks/startup.py              # 30 rounds
    python benchmarks/startup.py --runs 60 --check

Each command is run in pairs with ``python -c pass`` (the interpreter the
``crstrat`` script starts), the order of the two alternating from round to round;
the figure is the median of the per-pair ratios, which moves far less than a
ratio of two medians taken in a fixed order (that moved the grade figure between
1.24x and 1.72x on one build).
Targets (issue 6): ``crstrat --version`` at most 1.6x, ``crstrat --help`` at
most 7x, ``crstrat plan --answers EXAMPLE --format json`` at most 9x, and
``crstrat grade`` on 1,000 submissions at most 1.6x a Python that only parses
the same files with PyYAML's CSafeLoader. ``--check`` exits 1 when a target is
missed. Plain Python (time.perf_counter around subprocess.run), no dependency.

Beside the wall-clock ratios it prints the CPU-time ratios (user + system, from
``getrusage``), which a busy machine disturbs much less: when the two disagree,
the machine was not idle and the CPU ratios are the better guide.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"crstrat --version": 1.6, "crstrat --help": 7.0, "crstrat plan -f json": 9.0}
GRADE_TARGET = 1.6
SUBMISSIONS = 1000

PARSE_ONLY = """\
import sys, yaml
for name in sys.argv[1:]:
    with open(name, "rb") as handle:
        yaml.load(handle.read().decode("utf-8"), Loader=yaml.CSafeLoader)
"""


def find_crstrat(given: str | None) -> tuple[Path, str]:
    """The crstrat command and the Python its first line starts."""
    candidates = [given] if given else []
    candidates += [str(Path(sys.executable).with_name("crstrat")), shutil.which("crstrat")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            script = Path(candidate)
            first = script.read_bytes().split(b"\n", 1)[0].decode()
            python = first[2:].strip() if first.startswith("#!") else sys.executable
            return script, python
    sys.exit("crstrat is not installed here: pip install . (or give --crstrat PATH)")


def cpu_of_children() -> float:
    """User + system CPU time of the finished child processes so far (0 off Unix)."""
    try:
        import resource
    except ImportError:
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run of ``command``."""
    cpu = cpu_of_children()
    start = time.perf_counter()
    done = subprocess.run(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):  # grade exits 1 when a submission is below the mark
        sys.exit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return elapsed, cpu_of_children() - cpu


def paired_ratios(
    commands: dict[str, list[str]], base: list[str], runs: int, env: dict[str, str]
) -> dict[str, tuple[float, float, float, float]]:
    """Each command against ``base``, run in pairs whose order alternates.

    A round runs, for every command, the pair (base, command) on even rounds and
    (command, base) on odd ones, so neither side always comes first (a fixed order
    gives one side the warmer caches). The ratio of a pair is taken at once; the
    result is the median of the per-pair ratios (wall and CPU) and the median
    wall and CPU times of the command, after one unmeasured warm-up round.
    Returns ``{name: (wall_ratio, cpu_ratio, wall_seconds, cpu_seconds)}``.
    """
    pairs: dict[str, list[tuple[float, float, float, float]]] = {name: [] for name in commands}
    for round_ in range(runs + 1):
        for name, command in commands.items():
            if round_ % 2:
                measured, baseline = time_once(command, env), time_once(base, env)
            else:
                baseline, measured = time_once(base, env), time_once(command, env)
            if round_:  # the first round warms the caches and writes the bytecode
                cpu_ratio = measured[1] / baseline[1] if baseline[1] else float("nan")
                pairs[name].append((measured[0] / baseline[0], cpu_ratio, *measured))
    return {
        name: (
            statistics.median(p[0] for p in values),
            statistics.median(p[1] for p in values),
            statistics.median(p[2] for p in values),
            statistics.median(p[3] for p in values),
        )
        for name, values in pairs.items()
    }


def row(name: str, measured: tuple[float, float, float, float], target: float) -> bool:
    """Print one line of the table; True when the wall-clock ratio meets the target."""
    ratio, cpu_ratio, wall, cpu = measured
    verdict = "" if not target else ("  ok" if ratio <= target else "  MISSED")
    goal = f"{target:>7.1f}x" if target else " " * 8
    print(
        f"{name:<26}{wall * 1000:>8.1f}ms{ratio:>7.2f}x{cpu * 1000:>8.1f}ms{cpu_ratio:>7.2f}x"
        f"{goal}{verdict}"
    )
    return not target or ratio <= target


def example_answers(python: str) -> tuple[Path, str]:
    """The shipped airline example and the installed version, asked of crstrat itself."""
    code = (
        "import crstrat, crstrat.knowledge as k;"
        "print(k.builtin_location() / 'examples' / 'airline.yaml');print(crstrat.__version__)"
    )
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True)
    path, version = out.stdout.split()
    return Path(path), version


def write_submissions(example: Path, folder: Path) -> list[str]:
    """A class's worth of submissions: every student answers the same case (the
    example) with a proposal of their own. Each submission's company differs, so
    no two files are alike. (A thousand different businesses, one plan each, is
    ``benchmarks/grade_bench.py --distinct``.)"""
    text = example.read_text(encoding="utf-8")
    proposals = [
        "[automated_services, self_service]",
        "[personal_assistance]",
        "[self_service, communities, personal_assistance]",
        "[dedicated_personal_assistance, personal_assistance]",
        "[co_creation, communities]",
    ]
    names = []
    for number in range(SUBMISSIONS):
        proposal = proposals[number % len(proposals)]
        body = text.replace("company: Kiwi Air", f"company: Kiwi Air (student {number})").replace(
            "  - name:", f"  - proposal: {proposal}\n    name:"
        )
        path = folder / f"student-{number:04d}.yaml"
        path.write_text(body, encoding="utf-8")
        names.append(str(path))
    return names


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="rounds (default 30)")
    parser.add_argument("--grade-runs", type=int, default=10, help="rounds of grade (default 10)")
    parser.add_argument("--crstrat", help="the crstrat command (default: beside this Python)")
    parser.add_argument("--no-grade", action="store_true", help="skip the grade benchmark")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()

    script, python = find_crstrat(args.crstrat)
    example, version = example_answers(python)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["NO_COLOR"] = "1"
    crstrat = [str(script)]
    print(f"crstrat {version}: {script}\npython: {python}\nrounds: {args.runs}\n")

    base = [python, "-c", "pass"]
    commands = {
        "crstrat --version": [*crstrat, "--version"],
        "crstrat --help": [*crstrat, "--help"],
        "crstrat plan -f json": [*crstrat, "plan", "--answers", str(example), "--format", "json"],
    }
    results = paired_ratios(commands, base, args.runs, env)
    print(
        f"{'against python -c pass':<26}{'wall':>10}{'ratio':>8}{'cpu':>10}{'ratio':>8}{'target':>8}"
    )
    missed = False
    for name, measured in results.items():
        missed |= not row(name, measured, TARGETS[name])

    grade_help = subprocess.run([*crstrat, "grade", "--help"], capture_output=True, env=env)
    if args.no_grade or grade_help.returncode != 0:
        print("\ncrstrat grade: skipped" + ("" if args.no_grade else " (no grade command)"))
    else:
        with tempfile.TemporaryDirectory() as folder:
            files = write_submissions(example, Path(folder))
            parse = [python, "-c", PARSE_ONLY, *files]
            grade = {"crstrat grade -f json": [*crstrat, "grade", folder, "--format", "json"]}
            timed = paired_ratios(grade, parse, args.grade_runs, env)
        print(f"\n{SUBMISSIONS} submissions, {args.grade_runs} rounds, against parsing only")
        missed |= not row("crstrat grade -f json", timed["crstrat grade -f json"], GRADE_TARGET)
    return 1 if missed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
