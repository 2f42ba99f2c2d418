"""Peak memory and time of ``crstrat grade`` on a large class, for several ``--jobs``.

Run it with the Python of an environment crstrat is installed in (Linux: it reads
/proc)::

    python scripts/grade_memory.py --submissions 10000 --jobs 1 2
    python scripts/grade_memory.py --folder /tmp/class --jobs 1 2   # files already written

It writes the submissions once (each a different business: ``grade_bench.py
--distinct``), then runs ``crstrat grade FOLDER --format json`` once per
``--jobs`` value, output to a file, and reports the wall time, the peak of the
memory of the whole process tree (the sum of each process's proportional set
size, sampled every 20 ms: the grading processes count too), the CPU time of the whole tree (which a busy
machine disturbs less than the wall time) and whether the results are
byte-identical to the first run's.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


def memory_of(pid: int) -> int:
    """A process's proportional set size in bytes: its resident pages, each page shared
    with other processes (a forked worker shares its parent's) counted as its share,
    so that the sum over a process tree is the memory the tree really takes."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:  # no smaps_rollup (Linux before 4.14): resident pages, shared ones counted twice
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except OSError:
        return 0


def tree_memory(root: int) -> int:
    """Bytes that ``root`` and all its descendants take now (0 once it is gone)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += memory_of(pid)
        todo += children.get(pid, [])
    return total


def cpu_of_children() -> float:
    """User + system CPU seconds of the finished child processes (and theirs) so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(command: list[str], output: Path) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds, peak tree memory (bytes) and exit code of one run."""
    with output.open("wb") as out:
        cpu = cpu_of_children()
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL)
        peak = 0
        while process.poll() is None:
            peak = max(peak, tree_memory(process.pid))
            time.sleep(0.02)
        wall = time.perf_counter() - start
        return wall, cpu_of_children() - cpu, peak, process.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=10_000)
    parser.add_argument("--folder", type=Path, help="grade these files instead of writing new ones")
    parser.add_argument("--jobs", nargs="+", default=["1", "2"], help="'none': no --jobs flag")
    parser.add_argument("--crstrat", default=str(Path(sys.executable).with_name("crstrat")))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="crstrat-grade-memory-") as tmp:
        folder = args.folder
        if folder is None:
            sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
            from grade_bench import write_submissions

            folder = Path(tmp) / "class"
            folder.mkdir()
            write_submissions(folder, args.submissions, distinct=True)
        count = sum(1 for _ in folder.iterdir())
        print(f"{count} submissions in {folder}")
        first = None
        for jobs in args.jobs:
            result = Path(tmp) / f"jobs-{jobs}.json"
            command = [args.crstrat, "grade", str(folder), "--format", "json"]
            command += [] if jobs == "none" else ["--jobs", jobs]  # none: a crstrat without it
            seconds, cpu, peak, code = measure(command, result)
            digest = hashlib.sha256(result.read_bytes()).hexdigest()
            first = first or digest
            same = "identical" if digest == first else "DIFFERENT"
            print(
                f"--jobs {jobs}: {seconds:6.1f} s ({cpu:5.1f} s CPU), peak memory "
                f"{peak / 2**20:6.0f} MiB, "
                f"exit {code}, results {same} (sha256 {digest[:12]})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
