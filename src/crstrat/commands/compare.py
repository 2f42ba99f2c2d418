"""``crstrat compare A.yaml B.yaml...``: scenarios side by side, for a consultant's client."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import KbOption, console, emit, format_option, load_kb
from ._outputs import choose_format as pick_format
from ._outputs import output_option

if TYPE_CHECKING:
    from ..comparison import Comparison
    from ..model import KnowledgeBase

HELP = """\
Compare scenarios side by side: two or more answers files, segment by segment.

For each segment (matched by name across the files): the recommended mix, the
figures (customers, a customer's yearly value, the budget, the cost of the
mix; lifetime value where the plan has it), the warnings, and what changed
from the first file: the answers given differently, the primary, the types
added or dropped. A segment only some scenarios have is shown as absent in
the others, so two ways to segment the same customers compare too.

\b
Examples:
  crstrat compare today.yaml bigger-budget.yaml
  crstrat compare a.yaml b.yaml c.yaml -f markdown -o options.md
  crstrat compare a.yaml b.yaml -f json
"""


class CompareFormat(StrEnum):
    """The formats ``crstrat compare`` can print."""

    table = "table"
    markdown = "markdown"
    json = "json"


#: The module under crstrat.render that writes each format.
RENDERERS = {
    CompareFormat.table: "compare_table",
    CompareFormat.markdown: "compare_markdown",
    CompareFormat.json: "compare_json",
}

ScenariosArgument = Annotated[
    list[Path],
    typer.Argument(
        metavar="FILE...",
        help="Two or more answers files, the first being the one the others are compared to.",
        show_default=False,
        dir_okay=False,
    ),
]
FormatOption = Annotated[CompareFormat | None, format_option()]
OutputOption = Annotated[Path | None, output_option("the comparison", ".json, .md")]


def labels(paths: list[Path]) -> list[str]:
    """Each scenario's label: its file name without extension, or its path when two
    files share a name."""
    stems = [path.stem for path in paths]
    return [
        stem if stems.count(stem) == 1 else str(path)
        for stem, path in zip(stems, paths, strict=True)
    ]


def build_comparison(kb: KnowledgeBase, paths: list[Path]) -> Comparison:
    """Load, plan and compare the scenarios (an unusable file raises InputError)."""
    from ..answers import load_answers
    from ..comparison import Scenario, compare
    from ..mix import make_plan

    scenarios = [
        Scenario(label, make_plan(kb, load_answers(kb, path)))
        for label, path in zip(labels(paths), paths, strict=True)
    ]
    return compare(scenarios)


def choose_format(fmt: CompareFormat | None, output: Path | None) -> CompareFormat:
    """The explicit format, else the output file's extension, else terminal or not."""
    by_suffix = {
        ".json": CompareFormat.json,
        ".md": CompareFormat.markdown,
        ".markdown": CompareFormat.markdown,
    }
    return pick_format(fmt, output, by_suffix, CompareFormat.table, CompareFormat.json)


def compare(
    scenarios: ScenariosArgument,
    fmt: FormatOption = None,
    output: OutputOption = None,
    kb_dir: KbOption = None,
) -> None:
    """Compare scenarios side by side."""
    import importlib

    from ..errors import UsageError
    from ..outputs import check_outputs, folder_inputs

    if len(scenarios) < 2:
        raise UsageError("give two or more answers files to compare")
    check_outputs(
        {"--output": output or Path("-")},
        [*(("a scenario", path) for path in scenarios), *folder_inputs("--kb", kb_dir)],
    )
    kb = load_kb(kb_dir)
    comparison = build_comparison(kb, scenarios)
    out_format = choose_format(fmt, output)
    if out_format is CompareFormat.table and (output is None or str(output) == "-"):
        from ..render.compare_table import print_comparison

        print_comparison(console(), comparison, kb)
        return
    module = importlib.import_module(f"crstrat.render.{RENDERERS[out_format]}")
    emit(module.render(comparison, kb), output)
