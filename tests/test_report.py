"""``crstrat report``: golden files, hostile names, whole HTML documents, atomic output.

The golden files are tests/golden/report-airline.md and report-airline.html
(the knowledge base's fingerprint and crstrat's version masked). After an
intended change, regenerate them and review the diff:

    CRSTRAT_UPDATE_GOLDEN=1 python -m pytest tests/test_report.py
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from conftest import GOLDEN, assert_golden
from crstrat import __version__
from crstrat.knowledge import builtin_location
from crstrat.model import CostTip, KnowledgeBase
from crstrat.render.report import builtin_template, chart_label, markdown_to_html, md

Cli = Any

HOSTILE_COMPANY = "Evil | *Co* _x_ # [x](javascript:alert(1)) <script>alert(1)</script>"
HOSTILE_NAMES = [
    "<img src=x onerror=alert(1)>",
    "`code` | pipe\nnew line\n# heading\n- item",
    "[click](javascript:alert(1)) *b* _u_ ![i](x) <a href='javascript:alert(1)'>a</a> {{ 7*7 }}",
]
HOSTILE = textwrap.dedent(
    """\
    crstrat: 1
    company: "Evil | *Co* _x_ # [x](javascript:alert(1)) <script>alert(1)</script>"
    currency: "<b>$</b>"
    exchange_rate: 1
    segments:
      - name: "<img src=x onerror=alert(1)>"
        expectation: automated_services
        goal: retain
        customers: 5000
        purchases_per_year: 4
        spend_per_purchase: 60
      - name: "`code` | pipe\\nnew line\\n# heading\\n- item"
        expectation: personal_assistance
        goal: [acquire, expand]
        customers: 300
        purchases_per_year: 1
        spend_per_purchase: 2000
        market: b2b
      - name: "[click](javascript:alert(1)) *b* _u_ ![i](x) <a href='javascript:alert(1)'>a</a> {{ 7*7 }}"
        expectation: communities
        goal: expand
        customers: 100000
        purchases_per_year: 12
        spend_per_purchase: 10
        budget_per_customer: 0.2
    """
)

# what a markdown renderer may make of the report, attributes included
MARKDOWN_TAGS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "p",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
PAGE_TAGS = MARKDOWN_TAGS | {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "main",
    "div",
    "figure",
    "figcaption",
    "details",
    "summary",
}
# what matplotlib's SVG backend draws with (checked for attributes separately)
SVG_TAGS = {
    "svg",
    "title",
    "desc",
    "defs",
    "style",
    "g",
    "path",
    "rect",
    "use",
    "text",
    "clippath",
    "pattern",
    "tspan",
}
VOID = {"meta"}


def stable(text: str, kb: KnowledgeBase) -> str:
    """The report with the knowledge base's fingerprint and crstrat's version masked."""
    text = text.replace(kb.sha256[:12], "<sha>")
    return text.replace(f"crstrat {__version__}", "crstrat <version>")


def without_drawings(text: str) -> str:
    """The page with each chart's drawing (matplotlib's paths, which change with its
    version) left out; the chart's title and text alternative stay."""
    return re.sub(
        r"<svg [^>]*>(\s*<title [^>]*>.*?</title>\s*<desc [^>]*>.*?</desc>).*?</svg>",
        r"<svg …>\1 … </svg>",
        text,
        flags=re.DOTALL,
    )


class Page(HTMLParser):
    """Collects tags, attributes, nesting problems and heading texts of an HTML text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.doctype = ""
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.headings: dict[str, list[str]] = {}
        self.title = ""
        self._text: list[str] | None = None

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend((tag, name, value) for name, value in attrs)
        if tag not in VOID:
            self.stack.append(tag)
        if tag in ("h1", "h2", "h3", "h4", "title"):
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        if self._text is not None and tag in ("h1", "h2", "h3", "h4", "title"):
            text = "".join(self._text)
            if tag == "title":
                self.title = self.title or text  # the page's; the charts' come later
            else:
                self.headings.setdefault(tag, []).append(text)
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


def shown(name: str) -> str:
    """How a name is shown in the report: its line breaks become spaces."""
    return name.replace("\n", " ")


def check_no_injection(page: Page, allowed: set[str]) -> None:
    assert set(page.tags) <= allowed | SVG_TAGS, set(page.tags) - allowed - SVG_TAGS
    for tag, name, value in page.attrs:
        assert not name.startswith("on"), (tag, name)
        if tag in SVG_TAGS:  # a chart: only links inside itself, no script
            assert name != "href" and not (value or "").lstrip().lower().startswith("javascript")
            if name == "xlink:href":
                assert value is not None and value.startswith("#"), value
            continue
        assert name not in ("href", "src", "srcdoc", "action", "formaction"), (tag, name)
        if (tag, name, value) in (("div", "class", "scroll"), ("figure", "class", "chart")):
            continue
        if name == "style":
            assert value is not None and re.fullmatch(r"text-align:(left|right|center)", value)
        elif tag == "code":
            assert (name, value) == ("class", "language-mermaid")
        elif tag == "meta":
            assert name in ("charset", "name", "content")
        elif tag == "html":
            assert (name, value) == ("lang", "en")
        else:
            raise AssertionError(f"unexpected attribute {name}={value!r} on <{tag}>")


def markdown_tables(text: str) -> list[list[str]]:
    """The tables of a markdown text, each as its lines."""
    tables: list[list[str]] = []
    current: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables


def check_tables(text: str) -> int:
    tables = markdown_tables(text)
    for table in tables:
        cells = [len(re.findall(r"(?<!\\)\|", line)) for line in table]
        assert len(set(cells)) == 1, table
        assert re.fullmatch(r"\|( -+:? \|)+", table[1]), table[1]
        assert len(table) >= 3
    return len(tables)


@pytest.fixture
def hostile(in_tmp: Path) -> Path:
    path = in_tmp / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- golden files


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_golden(cli: Cli, kb: KnowledgeBase, fmt: str) -> None:
    result = cli("report", "--example", "airline", "--format", "markdown" if fmt == "md" else fmt)
    assert result.code == 0, result.err
    text = without_drawings(stable(result.out, kb))
    golden = GOLDEN / f"report-airline.{fmt}"
    assert_golden(golden, text)


@pytest.mark.parametrize("example", ["airline", "budget_airline", "dental_clinic", "software"])
def test_every_example_has_all_sections(cli: Cli, example: str) -> None:
    result = cli("report", "--example", example)
    assert result.code == 0, result.err
    text = result.out
    for heading in (
        "## Summary",
        "### Relationship stance",
        "### Score breakdown",
        "### Cost trade-offs",
        "### Tactics by goal",
        "### Examples from other industries",
        "### Challenges and how to meet them",
        "### Key elements checklist",
        "### What would change the recommendation",
        "### Personal touch and cost to serve",
        "## Customer Relationships block for the canvas",
        "## Sources",
        "## Credits",
    ):
        assert heading in text, heading
    assert "```mermaid\nquadrantChart\n" in text
    assert "CC BY-SA" in text
    assert "*First step:*" in text
    assert check_tables(text) >= 3


def test_cost_tips_only_when_the_budget_is_tight(cli: Cli, tmp_path: Path) -> None:
    leisure = cli("report", "--example", "airline").out.split("\n## ")[2]
    assert "### Keeping costs down" not in leisure  # a few % of the budget
    relaxed = cli("report", "--example", "dental_clinic").out.split("\n## ")[2]
    assert "### Keeping costs down" not in relaxed  # under half the budget
    # the same practice with a budget of 5% of revenue: the mix takes nearly all of it
    squeezed = tmp_path / "dental.yaml"
    text = (builtin_location() / "examples" / "dental_clinic.yaml").read_text(encoding="utf-8")
    squeezed.write_text(text.replace("budget_share: 0.12", "budget_share: 0.05"), encoding="utf-8")
    tight = cli("report", "--answers", squeezed).out.split("\n## ")[2]
    assert "### Keeping costs down" in tight
    assert "of the budget. Ways to spend less:" in tight


FESTIVAL = """\
crstrat: 1
segments:
  - name: Festival crowds
    expectation: self_service
    goal: {goals}
    customers: 40000
    purchases_per_year: 1
    spend_per_purchase: 10
    budget_share: 0.02
    complexity: low
    channels: [app, social_media, in_person]
"""


def test_retention_figures_of_one_off_customers_are_said_to_be_unused(
    cli: Cli, tmp_path: Path
) -> None:
    unused = "figures are shown but not held against any type"
    crowd = tmp_path / "crowd.yaml"
    crowd.write_text(FESTIVAL.format(goals="acquire"), encoding="utf-8")
    report = cli("report", "--answers", crowd).out
    assert "### Retention that pays for each type" in report
    assert unused in " ".join(report.split())
    # the same crowd to be kept: retention is the test, and the note goes
    crowd.write_text(FESTIVAL.format(goals="[acquire, retain]"), encoding="utf-8")
    kept = cli("report", "--answers", crowd).out
    assert "### Retention that pays for each type" in kept
    assert unused not in " ".join(kept.split())


@pytest.mark.parametrize(("formats", "shown"), [(("email",), False), (("forum", "email"), True)])
def test_a_tip_needing_a_format_the_segment_lacks_is_left_out(
    kb: KnowledgeBase, formats: tuple[str, ...], shown: bool
) -> None:
    from crstrat.mix import make_plan
    from crstrat.model import Answers, Segment
    from crstrat.render.report import report_context
    from crstrat.whatif import what_if_plan

    tip = CostTip("peer", "Let customers help each other", "In a forum...", channels=("forum",))
    custom = kb._replace(cost_tips=(tip,))
    segment = Segment(
        name="Shop",
        expectation="personal_assistance",
        goals=("retain",),
        customers=400,
        purchases_per_year=10,
        spend_per_purchase=10,
        channels=formats,
    )
    plan = make_plan(custom, Answers(segments=(segment,)))
    context = report_context(plan, custom, what_if_plan(custom, plan))
    titles = [t["title"] for t in context["segments"][0]["cost_tips"]]
    assert (titles == ["Let customers help each other"]) is shown


def test_chart_points_are_safe_and_mark_the_mix(cli: Cli, kb: KnowledgeBase) -> None:
    text = cli("report", "--example", "airline").out
    chart = text.split("```mermaid\n")[1].split("```")[0]
    points = re.findall(r"^    (.+): \[(0\.\d\d), (0\.\d\d)\]$", chart, re.MULTILINE)
    assert len(points) == len(kb.types)
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9 -]*", label) for label, _, _ in points)
    labels = [label for label, _, _ in points]
    assert "Automated services - primary" in labels
    assert "Self-service - support" in labels
    assert "Personal assistance - fallback" in labels


# --------------------------------------------------------------------------- hostile names


def test_hostile_names_markdown(cli: Cli, hostile: Path, in_tmp: Path) -> None:
    result = cli("report", "--answers", hostile, "-o", "report.md")
    assert result.code == 0, result.err
    text = (in_tmp / "report.md").read_text(encoding="utf-8")
    for raw in ("<script", "<img", "<a ", "javascript:", "onerror=", "](", "<b>"):
        assert raw not in text, raw
    assert check_tables(text) >= 3
    assert text.count("```mermaid\nquadrantChart\n") == 3
    # a renderer that lets raw HTML through still finds none in the report
    permissive = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    page = parse(permissive)
    check_no_injection(page, MARKDOWN_TAGS)
    assert page.headings["h1"] == [f"Customer relationships report: {HOSTILE_COMPANY}"]
    for name in HOSTILE_NAMES:
        assert shown(name) in page.headings["h2"], name
    # a second run gives the same bytes
    assert cli("report", "--answers", hostile, "-o", "again.md").code == 0
    assert (in_tmp / "again.md").read_bytes() == (in_tmp / "report.md").read_bytes()


def test_hostile_names_html(cli: Cli, hostile: Path, in_tmp: Path) -> None:
    result = cli("report", "--answers", hostile, "-o", "report.html")
    assert result.code == 0, result.err
    text = (in_tmp / "report.html").read_text(encoding="utf-8")
    for raw in ("<script", "<img", "<a ", "javascript:", "onerror=", "<b>", "<link", "@import"):
        assert raw not in text, raw
    page = parse(text)
    assert page.doctype.lower() == "doctype html"
    assert page.problems == [] and page.stack == []
    assert page.tags[:2] == ["html", "head"] and "body" in page.tags
    check_no_injection(page, PAGE_TAGS)
    assert page.tags.count("title") == 1 + 12  # the page's and each chart's
    assert page.title == f"Customer relationships report: {HOSTILE_COMPANY}"
    assert page.tags.count("table") >= 3
    assert page.tags.count("thead") == page.tags.count("table")
    for name in HOSTILE_NAMES:
        assert shown(name) in page.headings["h2"], name
    # the charts are drawn, not left as mermaid source; each has a title and words
    assert '<code class="language-mermaid">' not in text
    assert page.tags.count("svg") == 12 and page.tags.count("figure") == 12
    assert page.tags.count("desc") == 12 and page.tags.count("details") == 12
    assert cli("report", "--answers", hostile, "-o", "again.html").code == 0
    assert (in_tmp / "again.html").read_bytes() == (in_tmp / "report.html").read_bytes()


def test_markdown_escape_filter() -> None:
    assert md("a | b") == "a \\| b"
    assert md("[x](javascript:alert(1))") == "\\[x\\]\\(javascript&#58;alert\\(1\\)\\)"
    assert md("<img onerror=x>") == "&lt;img onerror&#61;x&gt;"
    assert md("two\nlines") == "two lines"


def test_html_links_only_to_safe_schemes() -> None:
    fragment = markdown_to_html(
        "[a](javascript:alert(1)) [b](https://example.org) <script>x</script> ![i](data:x)"
    )
    page = parse(fragment)
    hrefs = [value for tag, name, value in page.attrs if name == "href"]
    assert hrefs == ["https://example.org"]
    assert "script" not in page.tags and "img" not in page.tags


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Self-service", "Self-service"),
        ("a:b(c) [d]", "a b c d"),
        ("Titled care", "my type"),
        ("Max x-axis", "my type"),
        ("9 lives", "my type"),
        ("-lead", "lead"),
    ],
)
def test_chart_label(name: str, label: str) -> None:
    assert chart_label(name, "my_type") == label


# --------------------------------------------------------------------------- the command


def test_bad_answers_exit_2_and_leave_the_output(cli: Cli, in_tmp: Path) -> None:
    (in_tmp / "bad.yaml").write_text("crstrat: 1\nsegments: [{name: x, goal: grow}]\n")
    for name in ("report.md", "report.html"):
        (in_tmp / name).write_text("previous report", encoding="utf-8")
        result = cli("report", "--answers", "bad.yaml", "-o", name)
        assert result.code == 2
        assert "bad.yaml" in result.err
        assert (in_tmp / name).read_text(encoding="utf-8") == "previous report"
    assert sorted(p.name for p in in_tmp.iterdir()) == ["bad.yaml", "report.html", "report.md"]


def test_output_by_extension(cli: Cli, in_tmp: Path) -> None:
    assert cli("report", "--example", "dental_clinic", "-o", "r.html").code == 0
    assert (in_tmp / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert cli("report", "--example", "dental_clinic", "-o", "r.txt").code == 0
    assert (in_tmp / "r.txt").read_text(encoding="utf-8").startswith("# Customer relationships")


def test_usage_errors(cli: Cli, in_tmp: Path) -> None:
    assert cli("report", "--example", "airline", "--date", "soon").code == 2
    assert cli("report", "--example", "airline", "--answers", "x.yaml").code == 2
    result = cli("report", "--format", "html")
    assert result.code == 2 and "--answers" in result.err
    assert cli("report", "--example", "nope").code == 2


def test_date_only_when_asked(cli: Cli) -> None:
    assert "Date:" not in cli("report", "--example", "dental_clinic").out
    dated = cli("report", "--example", "dental_clinic", "--date", "2025-03-01").out
    assert "Date: 2025-03-01" in dated


def test_write_template_and_use_it(cli: Cli, in_tmp: Path) -> None:
    result = cli("report", "--write-template", "mine.md.j2")
    assert result.code == 0, result.err
    assert (in_tmp / "mine.md.j2").read_text(encoding="utf-8") == builtin_template()
    # never over an existing (perhaps edited) template
    (in_tmp / "mine.md.j2").write_text("{{ company }}: {{ segments | length }} segments\n")
    assert cli("report", "--write-template", "mine.md.j2").code == 2
    assert (in_tmp / "mine.md.j2").read_text().startswith("{{ company }}")
    custom = cli("report", "--example", "software", "--template", "mine.md.j2")
    assert (custom.code, custom.out) == (0, "Planwise: 3 segments\n")
    assert cli("report", "--write-template", "-").out == builtin_template()
    assert cli("report", "--write-template", "x", "--example", "airline").code == 2


def test_the_same_template_written_out_gives_the_same_report(cli: Cli, in_tmp: Path) -> None:
    assert cli("report", "--write-template", "mine.md.j2").code == 0
    built_in = cli("report", "--example", "airline").out
    assert cli("report", "--example", "airline", "--template", "mine.md.j2").out == built_in


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ nothing_here }}", "nothing_here"),
        ("{% for x in segments %}", "t.md.j2:1: "),
        ("{{ ''.__class__.__mro__ }}", "template failed"),
        ("{{ segments[0].name | no_such_filter }}", "no_such_filter"),
    ],
)
def test_broken_template_exits_2(cli: Cli, in_tmp: Path, template: str, message: str) -> None:
    (in_tmp / "t.md.j2").write_text(template)
    (in_tmp / "out.md").write_text("previous")
    result = cli("report", "--example", "airline", "--template", "t.md.j2", "-o", "out.md")
    assert result.code == 2
    assert "t.md.j2" in result.err and message in result.err
    assert (in_tmp / "out.md").read_text() == "previous"


def test_help_names_the_template_commands(cli: Cli) -> None:
    text = cli("report", "--help").out
    for flag in ("--write-template", "--template", "--format", "--output", "--date", "--kb"):
        assert flag in text


def test_a_plan_does_not_import_the_report_libraries(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from crstrat.__main__ import main\n"
        "try:\n"
        "    main(['plan', '--example', 'software', '-f', 'table', '-o', 'plan.txt'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print([m for m in sys.modules if m.split('.')[0] in "
        "('jinja2', 'markdown_it', 'matplotlib')])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert "Recommended mix" in (tmp_path / "plan.txt").read_text(encoding="utf-8")


def test_start_up_does_not_import_jinja2() -> None:
    code = (
        "import sys\n"
        "from crstrat.__main__ import main\n"
        "main(['--help'])\n"
        "print([m for m in sys.modules if m.split('.')[0] in ('jinja2', 'markdown_it')])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("chromium-browser")),
    reason="no headless chromium installed",
)
def test_renders_in_a_real_browser(cli: Cli, hostile: Path, in_tmp: Path) -> None:
    assert cli("report", "--answers", hostile, "-o", "report.html").code == 0
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"
    dom = subprocess.run(
        [browser, "--headless", "--disable-gpu", "--no-sandbox", "--dump-dom", "report.html"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=in_tmp,
    ).stdout
    page = parse(dom)
    assert page.tags.count("table") >= 3
    assert "script" not in page.tags and "img" not in page.tags
    for name in HOSTILE_NAMES:
        assert shown(name) in page.headings["h2"]


@pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("chromium-browser")),
    reason="no headless chromium installed",
)
@pytest.mark.parametrize("example", ["software", "hostile"])
def test_no_sideways_scroll_on_a_phone(cli: Cli, hostile: Path, in_tmp: Path, example: str) -> None:
    """The page in a 390-px frame (a phone) in a real browser: as wide as its frame.

    A copy of the page gets a probe script that reports the page's widths to the
    frame around it; the report itself carries no script.
    """
    source = ["--answers", str(hostile)] if example == "hostile" else ["--example", example]
    assert cli("report", *source, "-o", "report.html").code == 0
    page = (in_tmp / "report.html").read_text(encoding="utf-8")
    probe = (
        "<script>addEventListener('load', () => setTimeout(() => {"
        "const d = document.documentElement;"
        "parent.document.body.setAttribute('data-widths',"
        " innerWidth + ' ' + d.scrollWidth + ' ' + d.clientWidth)}, 300))</script>"
    )
    (in_tmp / "probed.html").write_text(page.replace("</body>", probe + "</body>"))
    (in_tmp / "phone.html").write_text(
        '<html><body><iframe src="probed.html" style="width:390px;height:800px;border:0">'
        "</iframe></body></html>"
    )
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"
    dom = subprocess.run(
        [
            browser,
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-first-run",
            "--disable-background-networking",
            f"--user-data-dir={in_tmp / 'profile'}",
            "--allow-file-access-from-files",
            "--virtual-time-budget=5000",
            "--dump-dom",
            "phone.html",
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=True,
        cwd=in_tmp,
    ).stdout
    widths = re.search(r'data-widths="(\d+) (\d+) (\d+)"', dom)
    assert widths is not None, "the probe did not run"
    inner, scroll, client = map(int, widths.groups())
    assert inner == 390
    assert scroll <= client, f"the page is {scroll} px wide in a {client} px window"


def test_the_summary_calls_no_cheap_fit_a_weakness(kb: KnowledgeBase) -> None:
    """Personal assistance for an offer that needs little explanation is more than
    the offer needs (its cost says so), not a weakness to watch."""
    from crstrat.mix import make_plan
    from crstrat.model import Answers, Segment
    from crstrat.render.report import render_markdown
    from crstrat.whatif import what_if_plan

    segment = Segment(
        name="Cafés",
        expectation="personal_assistance",
        goals=("retain",),
        customers=300,
        purchases_per_year=50,
        spend_per_purchase=20,
        complexity="low",
        market="b2b",
    )
    plan = make_plan(kb, Answers(segments=(segment,)))
    assert plan.segments[0].primary == "personal_assistance"
    text = render_markdown(plan, kb, what_if_plan(kb, plan))
    why = next(line for line in text.splitlines() if line.startswith("**Why.**"))
    assert "needs little explanation" not in why


def test_charts_beside_a_markdown_report(cli: Cli, in_tmp: Path) -> None:
    result = cli("report", "--example", "airline", "-o", "client report.md", "--charts")
    assert result.code == 0, result.err
    text = (in_tmp / "client report.md").read_text(encoding="utf-8")
    svgs = sorted(path.name for path in in_tmp.glob("*.svg"))
    assert len(svgs) == 4 * 2  # four charts for each of the two segments
    for name in svgs:
        assert f"](client%20report-{name.removeprefix('client report-')})" in text
        assert "<title" in (in_tmp / name).read_text(encoding="utf-8")
    assert "```mermaid" not in text and "<!-- chart" not in text
    first = {name: (in_tmp / name).read_bytes() for name in svgs}
    assert cli("report", "--example", "airline", "-o", "client report.md", "--charts").code == 0
    assert {name: (in_tmp / name).read_bytes() for name in svgs} == first


@pytest.mark.parametrize("args", [[], ["-o", "r.html"], ["-o", "-"], ["-f", "html", "-o", "r.md"]])
def test_charts_need_a_markdown_file(cli: Cli, in_tmp: Path, args: list[str]) -> None:
    result = cli("report", "--example", "airline", "--charts", *args)
    assert result.code == 2 and "--charts" in result.err
    assert list(in_tmp.glob("*.svg")) == []


@pytest.mark.parametrize("example", ["airline", "budget_airline", "dental_clinic", "software"])
def test_no_percentage_in_the_thousands(cli: Cli, example: str) -> None:
    """Past twice the whole, a share reads 'N times' ("14 times the revenue"), never
    "1,379.6%"."""
    text = cli("report", "--example", example).out
    assert re.findall(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?%", text) == []
    from crstrat.figures import share_or_times

    assert (share_or_times(13.8), share_or_times(1.999)) == ("14 times", "199.9%")


@pytest.mark.parametrize(
    ("budget_per_customer", "pressure"),
    [
        (0.01, "The mix takes {times} times the budget."),
        (0.0, "There is no budget for relationships."),
        (5.0, ""),
    ],
)
def test_why_to_spend_less_is_said_in_plain_words(
    kb: KnowledgeBase, budget_per_customer: float, pressure: str
) -> None:
    from crstrat.mix import make_plan
    from crstrat.model import Answers, Segment
    from crstrat.render.report import report_context
    from crstrat.whatif import what_if_plan

    segment = Segment(
        name="Free users",
        expectation="automated_services",
        goals=("acquire",),
        customers=200_000,
        purchases_per_year=1,
        spend_per_purchase=0,
        budget_per_customer=budget_per_customer,
    )
    plan = make_plan(kb, Answers(segments=(segment,)))
    context = report_context(plan, kb, what_if_plan(kb, plan))
    seg = plan.segments[0]
    times = f"{seg.total_annual_cost / seg.budget:,.0f}" if seg.budget else ""
    assert context["segments"][0]["cost_pressure"] == pressure.format(times=times)


# --------------------------------------------------------------------------- economics


def _wholesale(kb: KnowledgeBase, **changes: Any) -> tuple[Any, str]:
    """A B2B segment with its own rates, an acquisition cost and a top tier, its
    plan and its markdown report (``changes`` alter the segment)."""
    from crstrat.mix import make_plan
    from crstrat.model import Answers, Segment, TopTier
    from crstrat.render.report import render_markdown
    from crstrat.whatif import what_if_plan

    fields: dict[str, Any] = {
        "name": "Wholesale <buyers>",
        "expectation": "personal_assistance",
        "goals": ("retain", "expand"),
        "customers": 2000,
        "purchases_per_year": 12,
        "spend_per_purchase": 400,
        "market": "b2b",
        "complexity": "medium",
        "gross_margin": 0.4,
        "retention_rate": 0.85,
        "acquisition_cost": 900,
        "top_tier": TopTier(0.05, 0.4),
    }
    fields.update(changes)
    discount = fields.pop("discount_rate", 0.08)
    plan = make_plan(kb, Answers(segments=(Segment(**fields),), discount_rate=discount))
    return plan, render_markdown(plan, kb, what_if_plan(kb, plan))


def _section(text: str, heading: str) -> str:
    """The text under a ``### heading``, up to the next heading."""
    start = text.index(f"### {heading}\n")
    end = text.find("\n#", start + 4)
    return text[start : end if end >= 0 else None]


def test_what_a_customer_is_worth(kb: KnowledgeBase) -> None:
    from crstrat.figures import money, share

    plan, text = _wholesale(kb)
    economics = plan.segments[0].economics
    assert economics is not None and economics.defaulted == ()
    worth = _section(text, "What a customer is worth")
    for figure in (
        money(economics.customer_lifetime_value, plan.currency),
        money(economics.margin_per_customer, plan.currency),
        share(economics.retention_rate),
        share(economics.discount_rate),
        money(900, plan.currency),
        f"{economics.ltv_to_cac:.1f}:1",
        f"{economics.payback_months:.0f} months",
    ):
        assert figure in worth, figure
    assert "knowledge base" not in worth  # every rate is the business's own


def test_defaulted_rates_are_named_and_no_cac_no_ratio(kb: KnowledgeBase) -> None:
    _, text = _wholesale(
        kb, gross_margin=None, retention_rate=None, acquisition_cost=None, discount_rate=None
    )
    worth = _section(text, "What a customer is worth")
    assert "LTV:CAC" not in worth and "Acquisition cost" not in worth
    defaults = next(line for line in worth.splitlines() if "knowledge base" in line)
    for rate in ("gross margin", "retention rate", "discount rate"):
        assert rate in defaults
    # one rate left to the knowledge base: only that one is named
    _, text = _wholesale(kb, retention_rate=None)
    defaults = next(
        line
        for line in _section(text, "What a customer is worth").splitlines()
        if "knowledge base" in line
    )
    assert "retention rate" in defaults and "gross margin" not in defaults


def test_the_top_tier_has_its_own_mix_and_staff(kb: KnowledgeBase) -> None:
    from crstrat.figures import amount, count, money, share_or_times

    plan, text = _wholesale(kb)
    tier = plan.segments[0].top_tier
    assert tier is not None
    section = _section(text, "The top tier")
    assert f"{count(tier.customers)} most valuable customers" in section
    assert money(tier.budget, plan.currency) in section
    assert money(tier.total_annual_cost, plan.currency) in section
    for entry in tier.mix:
        assert f"| {entry.role} | {md(kb.type(entry.type).name)} |" in section
    assert section.count("\nStaff: ") == (1 if tier.staffing else 0)
    # the rest's mix says whom it serves; the summary counts both mixes
    assert f"other {count(plan.segments[0].mix_customers)} customers" in text
    seg = plan.segments[0]
    whole = seg.total_annual_cost + tier.total_annual_cost
    summary = _section(text.replace("## Summary", "### Summary"), "Summary")
    assert f"Yearly cost ({plan.currency})" in summary
    assert f"| {amount(whole)} | {amount(seg.budget)} |" in summary
    # the rest's costs are weighed against what the top tier leaves them
    assert seg.mix_budget < seg.budget
    trade_offs = _section(text, "Cost trade-offs")
    assert money(seg.mix_budget, plan.currency) in trade_offs
    for ranked in seg.ranking:
        fraction = share_or_times(ranked.costing.annual_cost / seg.mix_budget)
        name = md(kb.type(ranked.type).name)
        row = next(line for line in trade_offs.splitlines() if line.startswith(f"| {name} |"))
        assert f"| {fraction} |" in row
    _, without = _wholesale(kb, top_tier=None)
    assert "### The top tier" not in without


def test_staff_in_fractions_of_a_person(kb: KnowledgeBase) -> None:
    plan, text = _wholesale(kb)
    seg = plan.segments[0]
    staffing = [*seg.staffing, *(seg.top_tier.staffing if seg.top_tier else ())]
    assert staffing, "the example needs a human type"
    staff_lines = [line for line in text.splitlines() if line.startswith("Staff: ")]
    assert len(staff_lines) == 2
    for staff in staffing:
        people = round(staff.people, 2)
        figure = f"{people:,.2f}".rstrip("0").rstrip(".")
        said = f"{figure} of one person's time" if people < 1 else f"{figure} people"
        assert any(said in line for line in staff_lines), said


@pytest.mark.parametrize(
    ("people", "report_says", "terminal_says"),
    [
        (0.0013, "under 0.01 of one person's time", "under 0.01 of a person"),
        (0.004999, "under 0.01 of one person's time", "under 0.01 of a person"),
        (0.006, "0.01 of one person's time", "0.01 people"),
        (0.29, "0.29 of one person's time", "0.29 people"),
        (1.0, "1 person", "1 person"),
        (3.421, "3.42 people", "3.42 people"),
    ],
)
def test_a_sliver_of_a_person_is_not_called_none(
    people: float, report_says: str, terminal_says: str
) -> None:
    # a pet sitter's 40 holiday clients take 0.0013 of a person: not "0 people"
    from crstrat.figures import staff
    from crstrat.render.report import _people

    assert _people(people) == report_says
    assert staff(people, "personal assistance", 30_303).startswith(terminal_says + " for ")


def test_how_the_mix_was_decided_is_numbered(kb: KnowledgeBase) -> None:
    plan, text = _wholesale(kb)
    steps = plan.segments[0].steps
    assert steps
    section = _section(text, "How the mix was decided")
    items = [line for line in section.splitlines() if re.match(r"\d+\. ", line)]
    assert [int(line.split(".")[0]) for line in items] == list(range(1, len(steps) + 1))
    assert all(line.rstrip().endswith(".") for line in items)  # whole sentences
    html = markdown_to_html(text)
    assert html.count("<ol>") == 1


def test_retention_table_says_which_types_pay(kb: KnowledgeBase) -> None:
    from crstrat.figures import points

    plan, text = _wholesale(kb)
    seg = plan.segments[0]
    section = _section(text, "Retention that pays for each type")
    for ranked in seg.ranking:
        rel_type = kb.type(ranked.type)
        row = next(line for line in section.splitlines() if line.startswith(f"| {rel_type.name} |"))
        gain = ranked.break_even_retention_gain
        if gain is None:
            assert "| never |" in row and "| no" in row
        else:
            assert f"| {points(gain)} more in 100 |" in row
            assert row.endswith("| yes |") == (gain <= rel_type.retention_effect)


def test_no_economics_no_economics_sections(kb: KnowledgeBase) -> None:
    from crstrat.render.report import render_markdown
    from crstrat.whatif import what_if_plan

    plan, _ = _wholesale(kb)
    bare = plan._replace(
        segments=tuple(s._replace(economics=None, steps=()) for s in plan.segments)
    )
    text = render_markdown(bare, kb, what_if_plan(kb, plan))
    for heading in ("What a customer is worth", "Retention that pays", "How the mix was decided"):
        assert f"### {heading}" not in text
    assert "<!-- chart retention-1 -->" not in text
