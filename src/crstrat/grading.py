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

Everything here is pure but :meth:`Grader.grade_file`, which reads one file.
The recommendation for a segment is computed once per distinct segment, so a
class handing in the same case costs one plan.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from .answers import load_answers
from .errors import InputError, KnowledgeError
from .figures import listing
from .mix import plan_segment, segment_context
from .model import Answers, KnowledgeBase, MixEntry, RankedType, Segment, SegmentPlan

#: The parts of a segment's score, in the order they are reported.
PARTS = ("primary", "overlap", "affordability")

#: Scores are compared with the minimum at this precision, so that 0.6 passes 0.6.
_EPSILON = 1e-9

#: The fields of a segment that its plan depends on: all but the proposal.
_PLANNED_FIELDS = tuple(f.name for f in dataclasses.fields(Segment) if f.name != "proposal")
_planned = operator.attrgetter(*_PLANNED_FIELDS)


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


class SubmissionGrade(NamedTuple):
    """One submission (file): its score, or the error that kept it from being graded."""

    file: str
    score: float | None
    passed: bool
    error: str | None = None
    segments: tuple[SegmentGrade, ...] = ()


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


class Grader:
    """Grades submissions against one knowledge base, by its rubric.

    Holds the knowledge base and caches, so that a batch loads the knowledge
    once, plans each distinct segment once and grades each distinct proposal
    for it once: a class answering the same case shares the work.
    """

    def __init__(self, kb: KnowledgeBase, min_score: float | None = None) -> None:
        if kb.grading is None:
            raise KnowledgeError("has no grading rubric (meta.yaml grading)", source=kb.location)
        self.kb = kb
        self.rules = kb.grading
        self.min_score = self.rules.min_score if min_score is None else min_score
        self._names = {t.id: t.name for t in kb.types}
        self._summaries = {t.id: t.summary for t in kb.types}
        self._plans: dict[tuple[object, ...], SegmentPlan] = {}
        self._grades: dict[tuple[object, ...], SegmentGrade] = {}

    # ------------------------------------------------------------------ batch

    def grade_file(self, path: Path, label: str | None = None) -> SubmissionGrade:
        """Read and grade one answers file; a file that cannot be used is an error result."""
        name = label if label is not None else str(path)
        try:
            answers = load_answers(self.kb, path)
        except InputError as exc:
            return SubmissionGrade(name, None, False, exc.located(source=name).message)
        return self.grade_answers(answers, name)

    def grade_answers(self, answers: Answers, file: str = "answers") -> SubmissionGrade:
        """Grade validated answers: every segment, and their mean as the score."""
        segments = tuple(self._graded(answers, seg) for seg in answers.segments)
        score = sum(s.score for s in segments) / len(segments)
        return SubmissionGrade(file, score, self.passes(score), None, segments)

    def passes(self, score: float) -> bool:
        """True when a score reaches the minimum."""
        return score >= self.min_score - _EPSILON

    def report(self, results: Iterable[SubmissionGrade]) -> GradeReport:
        """The batch's results with their summary."""
        done = tuple(results)
        scores = [r.score for r in done if r.score is not None]
        errors = sum(1 for r in done if r.error is not None)
        passed = sum(1 for r in done if r.passed)
        summary = Summary(
            submissions=len(done),
            passed=passed,
            failed=len(done) - passed - errors,
            errors=errors,
            min_score=self.min_score,
            mean_score=sum(scores) / len(scores) if scores else None,
        )
        return GradeReport(done, summary, self.kb.name, self.kb.sha256)

    # ------------------------------------------------------------------ one segment

    def _recommendation(
        self, key: tuple[object, ...], answers: Answers, segment: Segment
    ) -> SegmentPlan:
        plan = self._plans.get(key)
        if plan is None:
            unproposed = dataclasses.replace(segment, proposal=())
            ctx = segment_context(self.kb, answers, unproposed)
            plan = plan_segment(self.kb, ctx, tactics=False)
            self._plans[key] = plan
        return plan

    def _graded(self, answers: Answers, segment: Segment) -> SegmentGrade:
        # the answers' currency terms change every amount, so they key the caches
        terms = (answers.currency, answers.exchange_rate, answers.discount_rate)
        planned = (terms, _planned(segment))
        key = (planned, segment.proposal)
        grade = self._grades.get(key)
        if grade is None:
            plan = self._recommendation(planned, answers, segment)
            grade = self._grades[key] = self.grade_segment(segment, plan)
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
        why = ""
        behind = _shortfalls(chosen, best)
        if behind:
            why = f" {self._name(first)} {behind[0]}." + "".join(f" It {t}." for t in behind[1:])
        return (
            f"{lead}; the primary should be {self._name(plan.primary).lower()} "
            f"(score {best.score:.2f} against {chosen.score:.2f}).{why} "
            f"{self._name(plan.primary)}: {self._summaries[plan.primary]}"
        )

    def _missing_text(self, entry: MixEntry, told: set[str]) -> str:
        name = self._name(entry.type)
        role = _ROLE_WORDS.get(entry.role, f"a {entry.role}")
        text = (
            f"Your proposal leaves out {name.lower()}, {role} in the recommended mix: {entry.why}."
        )
        if entry.type not in told:
            text += f" {name}: {self._summaries[entry.type]}"
        return text

    def _extra_text(self, rank: RankedType, told: set[str]) -> str:
        text = f"{self._name(rank.type)} is not in the recommended mix (score {rank.score:.2f})"
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


_ROLE_WORDS = {"primary": "the primary", "support": "a support type", "fallback": "the fallback"}


def _share(weight: float, score: float, total: float) -> float:
    return weight * score / total if total > 0 else 0.0


def _shortfalls(chosen: RankedType, best: RankedType, most: int = 2) -> list[str]:
    """The chosen type's reasons on the criteria where it falls furthest behind the best."""
    best_by = {r.criterion: r.contribution for r in best.reasons}
    gaps = sorted(
        ((best_by[r.criterion] - r.contribution, r.text) for r in chosen.reasons),
        key=lambda gap: -gap[0],
    )
    return [text for gap, text in gaps[:most] if gap > 1e-9]
