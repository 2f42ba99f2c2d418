"""``crstrat report``: a consultant's report in markdown or HTML, from an answers file."""

from __future__ import annotations

import contextlib
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import KbOption, emit, load_kb

if TYPE_CHECKING:
    from ..model import KnowledgeBase, Plan
from .plan import AnswersOption, ExampleOption, OutputOption

HELP = """\
Write a report for a client: markdown, or one self-contained HTML page.

For each segment: the relationship stance and why, the score breakdown, the
cost trade-offs, tactics by goal with first steps, examples from other
industries, challenges, the key-elements checklist, cost tips when the budget
is tight, what would change the recommendation (computed), charts (personal
touch against cost to serve, each type's cost against the budget, the score
breakdown), and a Customer Relationships block ready to paste into the canvas.

\b
Examples:
  crstrat report --example airline                    markdown on stdout
  crstrat report -a client.yaml -o report.md
  crstrat report -a client.yaml -f html -o report.html
  crstrat report -a client.yaml -o report.md --charts  the charts as SVG files too
  crstrat report --write-template my-report.md.j2     the built-in template, to restyle
  crstrat report -a client.yaml --template my-report.md.j2 -o report.md

The markdown comes from a Jinja2 template; --write-template writes the
built-in one out as a starting point (its first lines list what it can use),
--template uses your copy. HTML is made from that markdown, with inline CSS,
charts drawn inline as SVG and no scripts; it reads on a phone and prints
well. The markdown shows the personal-touch chart as mermaid (GitHub draws it)
unless --charts writes every chart as an SVG file beside it. With -o a .html or .htm file name picks HTML
unless --format is given; the file is written atomically, so a failed run
leaves it as it was. The same answers give a byte-identical report: there is
no date unless --date asks for one.
"""


class ReportFormat(StrEnum):
    """The formats ``crstrat report`` can write."""

    markdown = "markdown"
    html = "html"


FormatOption = Annotated[
    ReportFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format [default: html for a .html/.htm output file, else markdown].",
        show_default=False,
        case_sensitive=False,
    ),
]
TemplateOption = Annotated[
    Path | None,
    typer.Option(
        "--template",
        "-t",
        metavar="PATH",
        help="Use your own markdown template (Jinja2) instead of the built-in one.",
        show_default=False,
        dir_okay=False,
    ),
]
WriteTemplateOption = Annotated[
    Path | None,
    typer.Option(
        "--write-template",
        metavar="PATH",
        help="Write the built-in template to PATH ('-' for stdout) to restyle it, and stop.",
        show_default=False,
        dir_okay=False,
    ),
]
ChartsOption = Annotated[
    bool,
    typer.Option(
        "--charts",
        help="With a markdown file (-o FILE.md): also write each chart as an SVG file "
        "beside it (FILE-ID.svg) and show it in the markdown instead of mermaid.",
    ),
]
DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        metavar="DATE",
        help="Put a date on the report: YYYY-MM-DD, or 'today' (the clock).",
        show_default=False,
    ),
]


def choose_format(fmt: ReportFormat | None, output: Path | None) -> ReportFormat:
    """The explicit format, else the output file's extension, else markdown."""
    if fmt is not None:
        return fmt
    if output is not None and output.suffix.lower() in (".html", ".htm"):
        return ReportFormat.html
    return ReportFormat.markdown


def report_date(value: str | None) -> str | None:
    """``--date``: an ISO date as given, or today's with ``today``; None without the flag."""
    import datetime

    from ..errors import InputError

    if value is None:
        return None
    if value.strip().lower() == "today":
        return datetime.date.today().isoformat()
    try:
        return datetime.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise InputError(
            f"'{value}' is not a date; give YYYY-MM-DD or 'today'", path="--date"
        ) from None


def write_template(path: Path) -> None:
    """Write the built-in report template to ``path`` (or stdout for ``-``), never over a file."""
    from ..errors import InputError
    from ..outputs import is_stdout, write_atomic, write_output
    from ..render.report import builtin_template

    text = builtin_template()
    if is_stdout(path) or (path.exists() and not path.is_file()):
        write_output(path, text, announce=False)  # stdout, a FIFO, /dev/null
        return
    if path.exists():
        raise InputError(
            "already exists; crstrat does not overwrite a template (you may have edited it): "
            "remove it or give another name",
            source=str(path),
        )
    write_atomic(path, text)
    sys.stderr.write(
        f"crstrat: wrote {path}; use it with: crstrat report --answers FILE --template {path}\n"
    )


def read_template(path: Path) -> str:
    """A consultant's template file as text; an unreadable one is an InputError."""
    from ..yamlfile import read_text

    return read_text(path)


def report(
    answers: AnswersOption = None,
    example: ExampleOption = None,
    fmt: FormatOption = None,
    template: TemplateOption = None,
    output: OutputOption = None,
    date: DateOption = None,
    charts: ChartsOption = False,
    write_template_to: WriteTemplateOption = None,
    kb_dir: KbOption = None,
) -> None:
    """Write a consultant's report (markdown or HTML) from an answers file."""
    from ..errors import UsageError

    if write_template_to is not None:
        if answers is not None or example is not None or template is not None or output:
            raise UsageError(
                "--write-template writes the template and stops; run the report separately"
            )
        write_template(write_template_to)
        return
    if answers is None and example is None:
        raise UsageError(
            "give --answers FILE or --example NAME (see crstrat examples); "
            "--write-template PATH writes the template to restyle"
        )

    from ..bounds import bounded
    from ..outputs import check_outputs, folder_inputs, keeps_a_file

    out_format = choose_format(fmt, output)
    if charts and (
        out_format is not ReportFormat.markdown or output is None or not keeps_a_file(output)
    ):
        raise UsageError(
            "--charts writes SVG files beside a markdown report: give -o FILE.md "
            "(the HTML report draws its charts inside the page)"
        )

    from ..mix import make_plan
    from ..render.report import render
    from ..whatif import what_if_plan
    from .plan import gather_answers

    check_outputs(
        {"--output": output or Path("-")},
        [("--answers", answers), ("--template", template), *folder_inputs("--kb", kb_dir)],
    )
    kb = load_kb(kb_dir)
    day = report_date(date)
    template_text = read_template(template) if template is not None else None
    chosen = gather_answers(
        kb,
        answers_file=answers,
        example=example,
        sets=[],
        use_defaults=False,
        interactive=False,
    )
    plan = make_plan(kb, chosen)
    what_ifs = what_if_plan(kb, plan)
    # a user's template is bounded in time, memory and recursion; the built-in one is known
    with bounded(str(template)) if template is not None else contextlib.nullcontext():
        text = render(
            plan,
            kb,
            what_ifs,
            fmt=out_format.value,
            template=template_text,
            template_source=str(template) if template is not None else "template",
            date=day,
        )
    if charts and output is not None:
        text = _write_charts(text, plan, kb, output)
    emit(text, output)


def _write_charts(text: str, plan: Plan, kb: KnowledgeBase, output: Path) -> str:
    """Write the charts as SVG files beside ``output``; the markdown showing them."""
    from ..outputs import write_atomic
    from ..render.report import chart_files, link_charts

    files = chart_files(plan, kb, output.stem)
    for name, _, svg in files.values():
        write_atomic(output.parent / name, svg)
    sys.stderr.write(f"crstrat: wrote {len(files)} charts beside {output}\n")
    return link_charts(
        text, {chart_id: (name, title) for chart_id, (name, title, _) in files.items()}
    )
