"""``crstrat canvas init`` and ``crstrat canvas apply``: Business Model Canvas files (BMML v2)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ._common import KbOption, emit, load_kb, new_app, read_answers_input
from ._outputs import output_option

HELP = """\
Business Model Canvas files in BMML v2 (.bmml): start answers from a canvas,
write the recommended relationships back into it.

\b
  crstrat canvas init model.bmml -o answers.yaml     a segment per canvas segment
  (replace the default figures in answers.yaml with the segments' own)
  crstrat canvas apply model.bmml --answers answers.yaml -o model-new.bmml

apply replaces the canvas's customer_relationships with crstrat's
recommendation, each linked to its segments, and leaves every other line of the
file as it was, comments included (ruamel.yaml, installed with crstrat, does the writing).
"""

app = new_app("canvas", HELP)

ForceOption = Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")]
CanvasArgument = Annotated[
    Path,
    typer.Argument(metavar="CANVAS", help="A BMML v2 canvas file (.bmml).", show_default=False),
]


def _needs_ruamel() -> None:
    from ..errors import UsageError

    try:
        import ruamel.yaml  # noqa: F401
    except ImportError:
        raise UsageError(
            "crstrat canvas needs ruamel.yaml, which is not installed: "
            "pip install 'ruamel.yaml>=0.18'"
        ) from None


def _refuse_overwriting(output: Path | None, inputs: list[Path], force: bool = False) -> None:
    """No input is ever overwritten, nor an existing file without --force."""
    from ..errors import UsageError
    from ..outputs import check_outputs, is_stdout

    check_outputs({"--output": output}, [("the canvas or answers", path) for path in inputs])
    if output is None or is_stdout(output):
        return
    if output.is_file() and not force:  # a FIFO or /dev/null is written to, as by >
        raise UsageError(f"{output} exists; give another -o file, or --force to replace it")


@app.command("init")
def init(
    canvas: CanvasArgument,
    output: Annotated[Path | None, output_option("the answers")] = None,
    force: ForceOption = False,
    kb_dir: KbOption = None,
) -> None:
    """Start an answers file from a canvas's customer segments (their ids kept as links)."""
    from ..bmml import answers_text, read_canvas

    _refuse_overwriting(output, [canvas], force)
    kb = load_kb(kb_dir)
    segments, _, name = read_canvas(canvas)
    emit(answers_text(kb, segments, name, canvas.name), output)


@app.command("apply")
def apply(
    canvas: CanvasArgument,
    answers: Annotated[
        Path,
        typer.Option(
            "--answers",
            "-a",
            metavar="FILE",
            help=(
                "The answers file, whose segments are the canvas's (crstrat canvas init); "
                "'-' reads it from standard input."
            ),
            show_default=False,
        ),
    ],
    output: Annotated[Path | None, output_option("the new canvas")] = None,
    force: ForceOption = False,
    kb_dir: KbOption = None,
) -> None:
    """Write the recommended relationships into a canvas's customer_relationships."""
    from ..answers import validate_answers
    from ..bmml import (
        PLACEHOLDER,
        apply_relationships,
        block_text,
        placeholders_left,
        read_canvas,
        relationships,
        segment_links,
    )
    from ..figures import counted, printable
    from ..mix import make_plan
    from ..yamlfile import input_name

    _needs_ruamel()
    _refuse_overwriting(output, [canvas, answers], force)
    kb = load_kb(kb_dir)
    segments, canvas_text, _ = read_canvas(canvas)
    data, text = read_answers_input(answers)
    source = input_name(answers)
    chosen = validate_answers(kb, data, source=source, text=text)
    names = [s.name for s in chosen.segments]
    links = segment_links(names, text, segments, source)
    items = relationships(kb, make_plan(kb, chosen), links)
    emit(apply_relationships(canvas_text, block_text(items, canvas_text)), output)
    unreplaced = placeholders_left(text)
    if unreplaced:
        sys.stderr.write(
            f"crstrat: {counted(unreplaced, 'answer')} in {printable(source)} still carry "
            f"canvas init's mark '{PLACEHOLDER}': the relationships written rest on its "
            "defaults where the client's own figures were not put in (remove each mark "
            "once its answer is the client's)\n"
        )
    left = [s.name for s in segments if s.id not in links]
    if left:
        sys.stderr.write(
            f"crstrat: no answers for the canvas segments {', '.join(left)}: "
            "they get no relationship\n"
        )
