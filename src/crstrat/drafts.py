"""Drafts: the answers an interrupted questionnaire keeps, to resume from.

Plain files and YAML, no terminal: ``crstrat plan`` reads and retires drafts
without loading the prompts (the questionnaire module) it needs only to ask.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from . import yamlfile
from .answers import TOP_KEYS
from .errors import InputError
from .knowledge import builtin_location
from .model import KnowledgeBase
from .outputs import write_atomic

#: Where the answers go on Ctrl-C when no --save-answers path is given.
DRAFT_NAME = "crstrat-answers.draft.yaml"


def draft_path(save_path: Path | None) -> Path:
    """Where an interrupted questionnaire keeps its answers: beside --save-answers
    (``mine.yaml`` -> ``mine.draft.yaml``), else (no path, ``-``) in the current folder."""
    if save_path is None or str(save_path) == "-":
        return Path(DRAFT_NAME)
    return save_path.with_name(f"{save_path.stem}.draft.yaml")


def _draft_text(answers: dict[str, Any]) -> str:
    ordered = {key: answers[key] for key in TOP_KEYS if key in answers}
    header = (
        "# crstrat answers, schema 1: a draft kept when the questions were interrupted.\n"
        "# Resume with  crstrat plan --answers FILE  (only what is missing is asked).\n"
    )
    return header + yamlfile.dump(ordered)


def answer_count(answers: object) -> int:
    """How many answers a draft holds: the top-level ones and each segment's."""
    if not isinstance(answers, dict):
        return 0
    segments = answers.get("segments")
    count = sum(1 for key in answers if key not in ("crstrat", "segments"))
    if isinstance(segments, list):
        count += sum(len(seg) if isinstance(seg, dict) else 1 for seg in segments)
    return count


def read_draft(path: Path) -> dict[str, Any] | None:
    """The answers of an existing draft, None when there is none or it cannot be read."""
    try:
        data, _ = yamlfile.load(path)
    except InputError:
        return None
    return data if isinstance(data, dict) else None


def keep_draft(answers: dict[str, Any], save_path: Path | None) -> Path:
    """Write the answers to a draft and return its path; raises InputError if no place takes it.

    A draft that holds more answers is never replaced: the new one takes the
    next free name (``mine.draft-2.yaml``). Where the draft cannot be written
    (the folder of --save-answers is gone), the current folder, then the
    temporary folder, take it.
    """
    import tempfile

    first = draft_path(save_path)
    places = [first.parent, Path("."), Path(tempfile.gettempdir())]
    problem: InputError | None = None
    if not answer_count(answers) and read_draft(first):
        return first  # nothing new to keep, and an earlier draft is there: it stays
    for folder in dict.fromkeys(places):
        path = folder / first.name
        number = 1
        while path.exists() and answer_count(read_draft(path)) > answer_count(answers):
            number += 1
            path = folder / first.name.replace(".draft.yaml", f".draft-{number}.yaml")
        try:
            write_atomic(path, _draft_text(answers))
        except InputError as exc:
            problem = problem or exc
            continue
        return path
    assert problem is not None
    raise problem


def resume_command(kb: KnowledgeBase, path: Path, save_path: Path | None) -> str:
    """The command that resumes from a draft."""
    command = f"crstrat plan --answers {shlex.quote(str(path))}"
    if save_path is not None:
        command += f" --save-answers {shlex.quote(str(save_path))}"
    if kb.location and Path(kb.location).resolve() != builtin_location():
        command += f" --kb {shlex.quote(kb.location)}"
    return command
