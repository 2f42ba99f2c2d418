"""A graded batch as JUnit XML, for CI systems that show test reports.

One ``<testcase>`` per submission, named by its file: a ``<failure>`` when its
score is below the minimum, an ``<error>`` when it could not be read, each with
the feedback or the problem as its text; a passing submission's feedback is in
``<system-out>``. Built with the standard library's ElementTree.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from ..grading import GradeReport, SubmissionGrade, changes_text, remark_line

#: Characters XML 1.0 cannot carry (control characters, lone surrogates...).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """Text that XML 1.0 can carry: other characters become visible ``\\xNN`` escapes."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def feedback(result: SubmissionGrade) -> str:
    """A submission's grade and feedback as plain text, a line per segment and remark."""
    if result.error is not None:
        return result.error
    lines = [f"score {result.score:.2f}"]
    if result.changed:
        lines.append(f"changed the case: {changes_text(result.changed)}")
    for seg in result.segments:
        lines.append(f"{seg.name}: {seg.score:.2f}")
        if not seg.remarks:
            lines.append("  matches the recommendation")
        lines += [f"  {remark_line(r)}" for r in seg.remarks]
    return "\n".join(lines)


class Writer:
    """The JUnit document in pieces: a :meth:`result` (testcase) at a time as a batch is
    graded, then :meth:`wrap`, which gives what goes around the testcases once the
    counts are known."""

    def __init__(self, min_score: float) -> None:
        self.min_score = min_score

    def result(self, result: SubmissionGrade, seconds: float = 0.0) -> str:
        """One submission's ``<testcase>``, indented as inside the document."""
        case = ET.Element(
            "testcase",
            classname="crstrat.grade",
            name=xml_safe(result.file),
            file=xml_safe(result.file),
            time=f"{seconds:.3f}",
        )
        text = xml_safe(feedback(result))
        if result.error is not None:
            error = ET.SubElement(case, "error", type="unreadable", message=xml_safe(result.error))
            error.text = text
        elif not result.passed:
            failure = ET.SubElement(
                case,
                "failure",
                type="below_min_score",
                message=f"score {result.score:.2f} is below the minimum {self.min_score:.2f}",
            )
            failure.text = text
        else:
            ET.SubElement(case, "system-out").text = text
        ET.indent(case, level=2)
        return f"    {ET.tostring(case, 'unicode')}\n"

    def wrap(self, report: GradeReport, seconds: float) -> tuple[str, str]:
        """The document's start (up to the testcases) and its end, for ``report``'s summary
        and the ``seconds`` all the submissions took."""
        summary = report.summary
        total = f"{seconds:.3f}"
        counts = {
            "tests": str(summary.submissions),
            "failures": str(summary.failed),
            "errors": str(summary.errors),
        }
        suites = ET.Element("testsuites", {"name": "crstrat grade", **counts, "time": total})
        suite = ET.SubElement(
            suites, "testsuite", {"name": "crstrat grade", **counts, "skipped": "0", "time": total}
        )
        properties = ET.SubElement(suite, "properties")
        for name, value in (
            ("min_score", f"{summary.min_score:g}"),
            ("knowledge_base", report.knowledge_base),
            ("knowledge_base_sha256", report.knowledge_sha256),
        ):
            ET.SubElement(properties, "property", name=name, value=xml_safe(value))
        ET.indent(suites)
        text = ET.tostring(suites, "unicode")
        cut = text.index("</testsuite>")
        head = '<?xml version="1.0" encoding="UTF-8"?>\n' + text[:cut].rstrip(" ")
        return head, f"  {text[cut:]}\n"


def render(report: GradeReport, seconds: Mapping[str, float] | None = None) -> str:
    """The batch as a JUnit XML document; ``seconds`` gives each file's grading time."""
    times = seconds or {}
    writer = Writer(report.summary.min_score)
    cases = "".join(writer.result(r, times.get(r.file, 0.0)) for r in report.results)
    head, end = writer.wrap(report, sum(times.values()))
    return head + cases + end
