"""Grading: a submission's proposals against crstrat's recommendation.

A course exercise is handed in as an answers file whose segments carry a
``proposal``: the relationship types a student proposes, the primary first.
:class:`Grader` compares each proposal with the recommended mix
(:func:`crstrat.mix.plan_segment`) by the rubric in the knowledge base's
``grading`` block, and says in the knowledge base's words which choice cost
points and why.

The rubric, per segment (each part is a credit from 0 to 1, weighted by
``grading.weights``):

``primary``
    1 when the first proposed type is the recommended primary,
    ``grading.primary_in_mix`` when the mix has it in another role, else 0.
``overlap``
    the proposal against the recommended mix, each type weighted by its score
    for the segment: the scores of the types in both, divided by the scores of
    the types in either.
``affordability``
    1, minus ``grading.unaffordable_penalty`` for each proposed type whose
    yearly cost is more than the segment's budget (never below 0). A type the
    recommendation itself uses is not held against the proposal: a fallback is
    costed only for the customers it reaches, and when no type fits the budget
    the advisor's cheapest choice is not the student's fault.

A segment without a proposal scores 0. A submission scores the mean over its
segments and passes at the minimum score or above.

Graded against an assigned case (``Grader(kb, case=answers)``), a submission's
proposals are matched to the case's segments (by name, else by position) and
graded on the case's figures, whatever the submission says; each figure it
changed is named (:class:`Change`), and a case segment it leaves out scores 0.
A submission may give just each segment's name and proposal.

Everything here is pure but :meth:`Grader.grade_file`, which reads one file.
The recommendation for a segment is computed once per distinct segment, so a
class handing in the same case costs one plan; the caches keep the most recent
plans and grades only (:data:`CACHE_SIZE`), so a class of any size fits in memory.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple, Protocol, TypeVar

from .answers import answers_to_data, load_answers, read_answers_data, validate_answers
from .comparison import Change, planned_values, segment_changes
from .errors import InputError, KnowledgeError
from .figures import listing
from .mix import answers_terms, plan_segment
from .model import Answers, KnowledgeBase, MixEntry, RankedType, Segment, SegmentPlan
from .scoring import Terms

#: How many plans and segment grades the caches keep (the oldest go first):
#: a class answering one case shares them, and ten thousand different
#: businesses still grade in bounded memory.
CACHE_SIZE = 2048

_T = TypeVar("_T")

#: The parts of a segment's score, in the order they are reported.
PARTS = ("primary", "overlap", "affordability")

#: Scores are compared with the minimum at this precision, so that 0.6 passes 0.6.
_EPSILON = 1e-9

_planned = planned_values


class Remark(NamedTuple):
    """One choice that cost points: the rubric part, the points lost (0..1), why."""

    part: str
    points: float
    text: str


class SegmentGrade(NamedTuple):
    """One segment's grade: its score, the credit of each part, and the remarks."""

    name: str
    score: float
    proposal: tuple[str, ...]
    recommended: tuple[MixEntry, ...]
    parts: Mapping[str, float]
    remarks: tuple[Remark, ...]
    changed: tuple[Change, ...] = ()


class SubmissionGrade(NamedTuple):
    """One submission (file): its score, or the error that kept it from being graded."""

    file: str
    score: float | None
    passed: bool
    error: str | None = None
    segments: tuple[SegmentGrade, ...] = ()
    changed: tuple[Change, ...] = ()


class Summary(NamedTuple):
    """The counts of a batch of submissions."""

    submissions: int
    passed: int
    failed: int
    errors: int
    min_score: float
    mean_score: float | None


class GradeReport(NamedTuple):
    """A graded batch: one result per submission, the summary, the knowledge base used."""

    results: tuple[SubmissionGrade, ...]
    summary: Summary
    knowledge_base: str
    knowledge_sha256: str


class Outcome(Protocol):
    """What a summary counts of a result."""

    @property
    def score(self) -> float | None: ...
    @property
    def passed(self) -> bool: ...
    @property
    def error(self) -> str | None: ...


class Tally:
    """The summary of a batch counted as its results go by (none of them kept)."""

    def __init__(self, min_score: float) -> None:
        self.min_score = min_score
        self.submissions = self.passed = self.errors = 0
        self.scored = 0
        self.total = 0.0

    def add(self, result: Outcome) -> None:
        """Count one result (a SubmissionGrade, or anything with its score, passed and error)."""
        self.submissions += 1
        self.passed += result.passed
        self.errors += result.error is not None
        if result.score is not None:
            self.scored += 1
            self.total += result.score

    def summary(self) -> Summary:
        """The counts so far."""
        return Summary(
            submissions=self.submissions,
            passed=self.passed,
            failed=self.submissions - self.passed - self.errors,
            errors=self.errors,
            min_score=self.min_score,
            mean_score=self.total / self.scored if self.scored else None,
        )


class Grader:
    """Grades submissions against one knowledge base, by its rubric.

    Holds the knowledge base and caches, so that a batch loads the knowledge
    once, plans each distinct segment once and grades each distinct proposal
    for it once: a class answering the same case shares the work.
    """

    def __init__(
        self, kb: KnowledgeBase, min_score: float | None = None, case: Answers | None = None
    ) -> None:
        if kb.grading is None:
            raise KnowledgeError("has no grading rubric (meta.yaml grading)", source=kb.location)
        self.kb = kb
        self.rules = kb.grading
        self.min_score = self.rules.min_score if min_score is None else min_score
        self._names = {t.id: t.name for t in kb.types}
        self._summaries = {t.id: t.summary for t in kb.types}
        self.case = case
        self._case_data = answers_to_data(case) if case is not None else {}
        self._plans: dict[tuple[object, ...], SegmentPlan] = {}
        self._grades: dict[tuple[object, ...], SegmentGrade] = {}

    # ------------------------------------------------------------------ batch

    def grade_file(self, path: Path, label: str | None = None) -> SubmissionGrade:
        """Read and grade one answers file; a file that cannot be used is an error result."""
        name = label if label is not None else str(path)
        try:
            if self.case is None:
                answers = load_answers(self.kb, path)
            else:
                data, text = read_answers_data(path)
                data = with_case_figures(data, self._case_data)
                answers = validate_answers(self.kb, data, source=str(path), text=text)
        except InputError as exc:
            return SubmissionGrade(name, None, False, exc.located(source=name).message)
        return self.grade_answers(answers, name)

    def grade_answers(self, answers: Answers, file: str = "answers") -> SubmissionGrade:
        """Grade validated answers: every segment, and their mean as the score.

        With an assigned case, the case's segments are graded on the case's
        figures, each with the proposal of the submission's matching segment.
        """
        if self.case is not None:
            return self._grade_against_case(self.case, answers, file)
        terms = answers_terms(self.kb, answers)
        segments = tuple(self._graded(terms, seg) for seg in answers.segments)
        score = sum(s.score for s in segments) / len(segments)
        return SubmissionGrade(file, score, self.passes(score), None, segments)

    def _grade_against_case(self, case: Answers, answers: Answers, file: str) -> SubmissionGrade:
        currency = case.currency or self.kb.defaults.currency
        terms = answers_terms(self.kb, case)
        matched, added = match_segments(case.segments, answers.segments)
        segments = []
        for assigned, submitted in zip(case.segments, matched, strict=True):
            if submitted is None:
                segments.append(self._left_out(assigned, terms))
                continue
            grade = self._graded(terms, dataclasses.replace(assigned, proposal=submitted.proposal))
            changed = segment_changes(assigned, submitted)
            if changed:
                remark = Remark("case", 0.0, self._changed_text(changed))
                grade = grade._replace(changed=changed, remarks=(remark, *grade.remarks))
            segments.append(grade)
        changed = tuple(Change("segments", None, seg.name) for seg in added)
        if (answers.currency or currency) != currency:
            changed = (Change("currency", case.currency, answers.currency), *changed)
        score = sum(s.score for s in segments) / len(segments)
        return SubmissionGrade(file, score, self.passes(score), None, tuple(segments), changed)

    def _left_out(self, assigned: Segment, terms: Terms) -> SegmentGrade:
        plan = self._recommendation((terms, _planned(assigned)), terms, assigned)
        remark = Remark(
            "case",
            1.0,
            "Your submission leaves out this segment of the case: add it, with the "
            "relationship types you propose under 'proposal', the primary first.",
        )
        return SegmentGrade(assigned.name, 0.0, (), plan.mix, dict.fromkeys(PARTS, 0.0), (remark,))

    def _changed_text(self, changed: tuple[Change, ...]) -> str:
        return (
            f"You changed the case's figures ({changes_text(changed)}); your proposal is "
            "graded on the case as assigned."
        )

    def passes(self, score: float) -> bool:
        """True when a score reaches the minimum."""
        return score >= self.min_score - _EPSILON

    def report(self, results: Iterable[SubmissionGrade] = ()) -> GradeReport:
        """The batch's results with their summary (a streamed batch: see :class:`Tally`)."""
        done = tuple(results)
        tally = Tally(self.min_score)
        for result in done:
            tally.add(result)
        return GradeReport(done, tally.summary(), self.kb.name, self.kb.sha256)

    # ------------------------------------------------------------------ one segment

    def _recommendation(
        self, key: tuple[object, ...], terms: Terms, segment: Segment
    ) -> SegmentPlan:
        plan = self._plans.get(key)
        if plan is None:
            unproposed = dataclasses.replace(segment, proposal=())
            plan = plan_segment(self.kb, terms.context(self.kb, unproposed), tactics=False)
            _remember(self._plans, key, plan)
        return plan

    def _graded(self, terms: Terms, segment: Segment) -> SegmentGrade:
        # the money terms change every amount, so they key the caches
        planned = (terms, _planned(segment))
        key = (planned, segment.proposal)
        grade = self._grades.get(key)
        if grade is None:
            plan = self._recommendation(planned, terms, segment)
            grade = self.grade_segment(segment, plan)
            _remember(self._grades, key, grade)
        return grade

    def grade_segment(self, segment: Segment, plan: SegmentPlan) -> SegmentGrade:
        """Grade one segment's proposal against its plan (see the module docstring)."""
        proposal = segment.proposal
        if not proposal:
            remark = Remark(
                "proposal",
                1.0,
                "There is no proposal for this segment: list the relationship types you "
                "propose under 'proposal', the primary first.",
            )
            parts = dict.fromkeys(PARTS, 0.0)
            return SegmentGrade(segment.name, 0.0, (), plan.mix, parts, (remark,))

        weights = self.rules.weights
        ranked = {r.type: r for r in plan.ranking}
        roles = {entry.type: entry for entry in plan.mix}
        remarks: list[Remark] = []
        told: set[str] = set()  # types already explained, so each is explained once

        # primary: is the first proposed type the recommended primary?
        first = proposal[0]
        if first == plan.primary:
            primary = 1.0
        else:
            primary = self.rules.primary_in_mix if first in roles else 0.0
            lost = weights["primary"] * (1.0 - primary)
            text = self._primary_text(plan, ranked, first, roles)
            remarks.append(Remark("primary", lost, text))
            told.update((first, plan.primary))

        # overlap: shared score over the score of everything either side names
        either = [r for r in plan.ranking if r.type in roles or r.type in proposal]
        total = sum(r.score for r in either)
        shared = sum(r.score for r in either if r.type in roles and r.type in proposal)
        if total > 0:
            overlap = shared / total
        else:
            overlap = 1.0 if set(proposal) == set(roles) else 0.0
        for entry in plan.mix:
            if entry.type not in proposal:
                lost = _share(weights["overlap"], ranked[entry.type].score, total)
                remarks.append(Remark("overlap", lost, self._missing_text(entry, told)))
                told.add(entry.type)
        for type_id in proposal:
            if type_id not in roles:
                lost = _share(weights["overlap"], ranked[type_id].score, total)
                remarks.append(Remark("overlap", lost, self._extra_text(ranked[type_id], told)))
                told.add(type_id)

        # affordability: a penalty for each proposed type the budget cannot carry
        affordability = 1.0
        for type_id in proposal:
            rank = ranked[type_id]
            if type_id in roles or rank.costing.affordable:
                continue
            after = max(0.0, affordability - self.rules.unaffordable_penalty)
            lost = weights["affordability"] * (affordability - after)
            affordability = after
            remarks.append(Remark("affordability", lost, self._cost_text(rank)))

        parts = {"primary": primary, "overlap": overlap, "affordability": affordability}
        score = sum(weights[part] * parts[part] for part in PARTS)
        remarks.sort(key=lambda r: -r.points)  # stable: the costliest choice first
        return SegmentGrade(
            segment.name, min(1.0, max(0.0, score)), proposal, plan.mix, parts, tuple(remarks)
        )

    # ------------------------------------------------------------------ feedback

    def _name(self, type_id: str) -> str:
        return self._names[type_id]

    def _primary_text(
        self,
        plan: SegmentPlan,
        ranked: Mapping[str, RankedType],
        first: str,
        roles: Mapping[str, MixEntry],
    ) -> str:
        best, chosen = ranked[plan.primary], ranked[first]
        lead = f"You lead with {self._name(first).lower()}"
        if first in roles:
            lead += f", which the recommended mix has only as {roles[first].role}"
        text = (
            f"{lead}; the primary should be {self._name(plan.primary).lower()}, "
            f"{roles[plan.primary].basis}."
        )
        # an unaffordable choice has its own remark: the cost is said there, once
        said_elsewhere = first not in roles and not chosen.costing.affordable
        behind = _shortfalls(chosen, best, skip_economics=said_elsewhere)
        if behind:
            text += f" {self._name(first)} {behind[0]}." + "".join(f" It {t}." for t in behind[1:])
        return f"{text} {self._name(plan.primary)}: {self._summaries[plan.primary]}"

    def _missing_text(self, entry: MixEntry, told: set[str]) -> str:
        name = self._name(entry.type)
        role = _ROLE_WORDS.get(entry.role, f"a {entry.role}")
        text = f"Your proposal leaves out {name.lower()}, {role} in the recommended mix"
        if entry.type in told:  # why it belongs there was said with the primary
            return f"{text}."
        # a support's reason reads under the type's name in the plan ("is already in
        # place, and adds ..."); after a colon it needs its subject
        why = f"it {entry.basis}" if entry.role == "support" else entry.basis
        return f"{text}: {why}. {name}: {self._summaries[entry.type]}"

    def _extra_text(self, rank: RankedType, told: set[str]) -> str:
        text = f"{self._name(rank.type)} is not in the recommended mix"
        if rank.type in told:
            return f"{text}."
        # the cost is the affordability remark's to explain
        reasons = [
            r
            for r in rank.reasons
            if r.fit < 1.0 and (r.criterion != "economics" or rank.costing.affordable)
        ]
        weakest = sorted(reasons, key=lambda r: -(r.weight * (1.0 - r.fit)))[:2]
        return f"{text}: it {listing([r.text for r in weakest])}." if weakest else f"{text}."

    def _cost_text(self, rank: RankedType) -> str:
        economics = next(r for r in rank.reasons if r.criterion == "economics")
        return f"{self._name(rank.type)} {economics.text}."


def match_segments(
    assigned: tuple[Segment, ...], submitted: tuple[Segment, ...]
) -> tuple[list[Segment | None], list[Segment]]:
    """Each case segment's counterpart in a submission, and the submission's extra segments.

    A case segment is matched by name (ignoring case), else by the submitted
    segment at the same position if that one's name matches no case segment (a
    student who renamed it); returns one entry per case segment (``None`` when the
    submission has none) and the submitted segments left over, in their order.
    """
    by_name = {seg.name.casefold(): seg for seg in submitted}
    names = {seg.name.casefold() for seg in assigned}
    matched: list[Segment | None] = []
    for index, seg in enumerate(assigned):
        same = by_name.get(seg.name.casefold())
        if same is None and index < len(submitted):
            there = submitted[index]
            same = there if there.name.casefold() not in names else None
        matched.append(same)
    used = {id(seg) for seg in matched if seg is not None}
    return matched, [seg for seg in submitted if id(seg) not in used]


def with_case_figures(data: object, case: Mapping[str, Any]) -> object:
    """Answers data whose segments that give only a name and a proposal get the figures
    of the case segment of that name (``case`` as answers data): a student may hand in
    just the proposals. Other data is returned as it is, for the validator to judge.
    """
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        return data
    figures = {
        str(seg["name"]).casefold(): seg for seg in case.get("segments", ()) if "name" in seg
    }
    segments = []
    for seg in data["segments"]:
        assigned = (
            figures.get(seg["name"].casefold())
            if isinstance(seg, dict) and isinstance(seg.get("name"), str)
            else None
        )
        if assigned is not None and set(seg) <= {"name", "proposal"}:
            seg = {**{k: v for k, v in assigned.items() if k != "proposal"}, **seg}
        segments.append(seg)
    return {**data, "segments": segments}


def changes_text(changed: Iterable[Change]) -> str:
    """Changed figures in words: ``budget_share from 0.02 to 0.5; a segment 'X' added``."""
    return "; ".join(
        f"a segment '{c.after}' added, which the case does not have (not graded)"
        if c.key == "segments"
        else f"{c.key} from {_shown(c.before)} to {_shown(c.after)}"
        for c in changed
    )


def remark_line(remark: Remark) -> str:
    """A remark as a feedback line: ``- [-0.50 primary] text`` (``- [case] text`` at no cost)."""
    cost = f"-{remark.points:.2f} " if remark.points else ""
    return f"- [{cost}{remark.part}] {remark.text}"


def _shown(value: object) -> str:
    """A case figure in words: lists without brackets, absence said, whole numbers
    and decimals with thousands separators as every other figure crstrat shows
    (9,000; 1,234.5)."""
    if value is None:
        return "nothing"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value) if value else "nothing"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return f"{value:,.0f}"
    if isinstance(value, float) and math.isfinite(value):
        return f"{value:,}"  # 1,234.5
    return str(value)


def _remember(cache: dict[tuple[object, ...], _T], key: tuple[object, ...], value: _T) -> None:
    """Store ``value`` in a cache of at most :data:`CACHE_SIZE` entries (oldest out first)."""
    if len(cache) >= CACHE_SIZE:
        del cache[next(iter(cache))]
    cache[key] = value


_ROLE_WORDS = {"primary": "the primary", "support": "a support type", "fallback": "the fallback"}


def _share(weight: float, score: float, total: float) -> float:
    return weight * score / total if total > 0 else 0.0


def _shortfalls(
    chosen: RankedType, best: RankedType, most: int = 2, *, skip_economics: bool = False
) -> list[str]:
    """The chosen type's reasons on the criteria where it falls furthest behind the best
    (leaving out its economics when another remark speaks of its cost)."""
    best_by = {r.criterion: r.contribution for r in best.reasons}
    gaps = sorted(
        (
            (best_by[r.criterion] - r.contribution, r.text)
            for r in chosen.reasons
            if not (skip_economics and r.criterion == "economics")
        ),
        key=lambda gap: -gap[0],
    )
    return [text for gap, text in gaps[:most] if gap > 1e-9]
