"""An insider who reads every published feedback figure and subtracts them from one another.

`read_*` turn what DRI and the ambassadors are shown (the report as Markdown, CSV or HTML, the Teams summary
card) into `Figure`s: a number of responses and a mean (or an exact rating distribution) for a group that the
figure's labels describe (a period, a tool, a unit). `differences` then does what an attacker does with them:
for every pair of figures where one group contains the other, and for every figure minus a set of disjoint
figures inside it, it works out the size (and rating total) of the difference from the published numbers
alone, also when a chart point shows only a mean (the attacker tries every size a published group can have
and keeps the ones that fit). A difference of 1..k-1 respondents that the attacker can pin down is a
disclosure.

The attacker is allowed to know which groups contain which (the structure of the organisation and of the
report): containment is decided on the real rows, which only makes the attacker stronger.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

from nwow.feedback.models import SurveyResponse

BRUSSELS = ZoneInfo("Europe/Brussels")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY_SPAN = re.compile(r"(\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})")
_MONTH_SPAN = re.compile(r"(\d{4}-\d{2}) to (\d{4}-\d{2})")
_NUMBER = r"\d+(?:[.,]\d+)?"
_TOOLTIP = re.compile(
    rf"^(?P<name>.*?)(?: (?P<when>\d{{4}}-(?:W\d{{2}}|\d{{2}})))?: (?P<mean>{_NUMBER})(?: \(n=(?P<n>\d+)\))?$"
)
_ALL = "All responses"


@dataclass(frozen=True)
class Scope:
    """The group a figure is about: answers submitted in [since, until), for one tool and/or unit or all."""

    since: datetime
    until: datetime
    tool: str | None = None
    unit: str | None = None

    def narrowed(self, since: datetime, until: datetime) -> Scope:
        return Scope(max(self.since, since), min(self.until, until), self.tool, self.unit)

    def rows(self, rows: Iterable[SurveyResponse]) -> frozenset[str]:
        return frozenset(
            r.submission_id
            for r in rows
            if self.since <= r.submitted_at < self.until
            and self.tool in (None, r.tool)
            and self.unit in (None, r.unit)
        )


@dataclass(frozen=True)
class Figure:
    """One published cell: `responses` may be unknown (a chart point shows a mean only)."""

    source: str
    what: str
    kind: str  # cells of one kind in one source are alternatives along one dimension (tools, units, weeks)
    scope: Scope
    responses: int | None
    mean: float | None
    step: float  # the mean is shown rounded to this (0.01, 0.1)
    total: int | None = None  # the exact sum of ratings, when a distribution is published


@dataclass
class Labels:
    """Display name -> id, for tools and units, in the report language."""

    tools: Mapping[str, str]
    units: Mapping[str, str]


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    start = datetime(year, month, 1, tzinfo=BRUSSELS)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=BRUSSELS)
    return start, end


def week_bounds(year: int, week: int) -> tuple[datetime, datetime]:
    monday = date.fromisocalendar(year, week, 1)
    start = datetime.combine(monday, datetime.min.time(), BRUSSELS)
    return start, datetime.combine(monday + timedelta(days=7), datetime.min.time(), BRUSSELS)


def time_key(text: str) -> tuple[datetime, datetime] | None:
    """The period of a "2026-W41" or "2026-10" key, else None."""
    text = text.strip()
    if m := _WEEK.match(text):
        return week_bounds(int(m.group(1)), int(m.group(2)))
    if m := _MONTH.match(text):
        return month_bounds(int(m.group(1)), int(m.group(2)))
    return None


def report_period(text: str) -> Scope | None:
    """The period a report says it covers: "Period: 2026-03-01 to 2026-03-31" or "... 2026-08 to 2026-10"."""
    if m := _DAY_SPAN.search(text):
        first, last = date.fromisoformat(m.group(1)), date.fromisoformat(m.group(2))
        since = datetime.combine(first, datetime.min.time(), BRUSSELS)
        return Scope(since, datetime.combine(last + timedelta(days=1), datetime.min.time(), BRUSSELS))
    if m := _MONTH_SPAN.search(text):
        first_key, last_key = time_key(m.group(1)), time_key(m.group(2))
        if first_key and last_key:
            return Scope(first_key[0], last_key[1])
    return None


def _number(text: str) -> float | None:
    text = text.strip().replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def _step(text: str) -> float:
    decimals = len(text.strip().replace(",", ".").partition(".")[2])
    return 10.0**-decimals


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


# ---------------------------------------------------------------- reading what is published


class _Context:
    """Where a table row sits: the period of the report or of a month section, and the dimension."""

    def __init__(self, labels: Labels) -> None:
        self.labels = labels
        self.period: Scope | None = None
        self.section: Scope | None = None
        self.dimension = ""

    def heading(self, level: int, text: str) -> None:
        lowered = text.lower()
        if level <= 2:
            self.section = None
            self.dimension = ""
        for token in re.findall(r"\d{4}-(?:W\d{2}|\d{2})", text):
            bounds = time_key(token)
            if bounds and self.period:
                self.section = self.period.narrowed(*bounds)
        if "by tool" in lowered:
            self.dimension = "tool"
        elif "by unit" in lowered:
            self.dimension = "unit"
        elif any(word in lowered for word in ("overview", "weekly", "trend", "month")):
            self.dimension = "time"
        elif level <= 3:
            self.dimension = ""

    def base(self) -> Scope | None:
        return self.section or self.period

    def scope_of(self, label: str) -> tuple[Scope, str] | None:
        """The group a row label names in the current context, and its kind; None for other tables."""
        base = self.base()
        if base is None:
            return None
        bounds = time_key(label)
        if bounds:
            return base.narrowed(*bounds), "time"
        if label == _ALL:
            return base, "all"
        if self.dimension == "tool" and label in self.labels.tools:
            return Scope(base.since, base.until, tool=self.labels.tools[label]), "tool"
        if self.dimension == "unit" and label in self.labels.units:
            return Scope(base.since, base.until, unit=self.labels.units[label]), "unit"
        return None


def _row_figure(source: str, context: _Context, cells: Sequence[str]) -> Figure | None:
    """A table row `label | respondents | responses | mean | spread`; None for other rows."""
    if len(cells) < 4:
        return None
    found = context.scope_of(cells[0].strip())
    responses, mean = _int(cells[2]), _number(cells[3])
    if found is None or responses is None or mean is None:
        return None
    scope, kind = found
    return Figure(source, f"table row {cells[0].strip()!r}", kind, scope, responses, mean, _step(cells[3]))


def read_markdown(text: str, source: str, labels: Labels) -> list[Figure]:
    context = _Context(labels)
    context.period = report_period(text)
    figures: list[Figure] = []
    for line in text.splitlines():
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            context.heading(level, line.lstrip("#").strip())
        elif line.startswith("| ") and not line.startswith("|---"):
            cells = [re.sub(r"\\(.)", r"\1", c) for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            figure = _row_figure(source, context, cells)
            if figure:
                figures.append(figure)
    return figures


class _HtmlReader(HTMLParser):
    def __init__(self, source: str, labels: Labels) -> None:
        super().__init__()
        self.source = source
        self.context = _Context(labels)
        self.figures: list[Figure] = []
        self.text: list[str] = []
        self.heading: int | None = None
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.tooltip: list[str] | None = None
        self.shape_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h1", "h2", "h3", "h4"):
            self.heading = int(tag[1])
            self.text = []
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag in ("circle", "rect"):
            self.shape_depth += 1
        elif tag == "title" and self.shape_depth:
            self.tooltip = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3", "h4") and self.heading is not None:
            self.context.heading(self.heading, "".join(self.text))
            self.heading = None
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append("".join(self.cell))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            figure = _row_figure(self.source, self.context, self.row)
            if figure:
                self.figures.append(figure)
            self.row = None
        elif tag in ("circle", "rect"):
            self.shape_depth = max(0, self.shape_depth - 1)
        elif tag == "title" and self.tooltip is not None:
            self._tooltip("".join(self.tooltip))
            self.tooltip = None

    def handle_data(self, data: str) -> None:
        for sink in (self.tooltip, self.cell):
            if sink is not None:
                sink.append(data)
                return
        if self.heading is not None:
            self.text.append(data)
        elif self.context.period is None:
            self.context.period = report_period(data)

    def _tooltip(self, text: str) -> None:
        m = _TOOLTIP.match(text.strip())
        base = self.context.base()
        if m is None or base is None:
            return
        scope = base
        if m.group("when"):
            bounds = time_key(m.group("when"))
            assert bounds is not None
            scope = base.narrowed(*bounds)
        name = m.group("name")
        labels = self.context.labels
        if name in labels.tools:
            scope = Scope(scope.since, scope.until, tool=labels.tools[name])
        elif name != _ALL:
            return
        n = m.group("n")
        self.figures.append(
            Figure(
                self.source,
                f"chart point {text.strip()!r}",
                f"chart:{name}",
                scope,
                int(n) if n else None,
                _number(m.group("mean")),
                _step(m.group("mean")),
            )
        )


def read_html(text: str, source: str, labels: Labels) -> list[Figure]:
    reader = _HtmlReader(source, labels)
    reader.feed(text)
    return reader.figures


_CSV_ROLES = {
    "Section": "section", "key": "key", "Group": "label", "Respondents": "respondents",
    "Responses": "responses", "Mean": "mean", "period": "period",
    "1": "r1", "2": "r2", "3": "r3", "4": "r4", "5": "r5",
}  # fmt: skip


def read_csv(data: bytes, source: str, labels: Labels) -> list[Figure]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    roles = {_CSV_ROLES[name]: i for i, name in enumerate(rows[0]) if name in _CSV_ROLES}

    def cell(row: Sequence[str], role: str) -> str:
        return row[roles[role]] if role in roles else ""

    period: Scope | None = None
    figures: list[Figure] = []
    for row in rows[1:]:
        section = cell(row, "section")
        if section == "period":
            period = report_period(cell(row, "label"))
            continue
        base = period
        if cell(row, "period"):
            bounds = time_key(cell(row, "period"))
            base = Scope(*bounds) if bounds else None
        responses = _int(cell(row, "responses"))
        if base is None or responses is None:
            continue
        key = cell(row, "key")
        if key == "rest":
            continue  # "others together": the total minus the shown rows, which the attacker forms anyway
        if section == "overall":
            scope = base
        elif section == "tool":
            scope = Scope(base.since, base.until, tool=key)
        elif section == "unit":
            scope = Scope(base.since, base.until, unit=key)
        elif section in ("week", "month") and time_key(key):
            bounds = time_key(key)
            assert bounds is not None
            scope = base.narrowed(*bounds)
        else:
            continue
        distribution = [_int(cell(row, f"r{n}")) for n in range(1, 6)]
        total = sum(n * (c or 0) for n, c in enumerate(distribution, 1)) if None not in distribution else None
        figures.append(
            Figure(
                source, f"CSV {section} {key}", f"csv:{section}", scope, responses,
                _number(cell(row, "mean")), _step(cell(row, "mean")), total,
            )
        )  # fmt: skip
    # Weekly means per tool: a mean only.
    for row in rows[1:]:
        if cell(row, "section") != "tool_week" or period is None:
            continue
        when = cell(row, "label").rsplit(" ", 1)[-1]
        bounds = time_key(when)
        mean = _number(cell(row, "mean"))
        if bounds is None or mean is None:
            continue
        scope = Scope(period.since, period.until, tool=cell(row, "key")).narrowed(*bounds)
        figures.append(
            Figure(source, f"CSV tool_week {cell(row, 'label')}", "csv:tool_week", scope, None, mean, 0.01)
        )
    return figures


_CARD_TOTALS = re.compile(rf"^(\d+) responses, mean rating ({_NUMBER})\.")
_CARD_ROW = re.compile(rf"^(\d+) resp\. · mean ({_NUMBER})$")


def read_card(card: Mapping[str, Any], source: str, labels: Labels, asked_at: datetime) -> list[Figure]:
    """The English summary card: "Feedback of the last N days" (asked at `asked_at`) or "... October 2026"."""
    texts = [str(block.get("text", "")) for block in card.get("body", []) if block.get("type") == "TextBlock"]
    title = texts[0] if texts else ""
    scope: Scope | None = None
    if m := re.search(r"last (\d+) days", title):
        scope = Scope(asked_at - timedelta(days=int(m.group(1))), asked_at)
    elif m := re.search(rf"({'|'.join(MONTHS)}) (\d{{4}})", title):
        scope = Scope(*month_bounds(int(m.group(2)), MONTHS.index(m.group(1)) + 1))
    if scope is None:
        return []
    figures: list[Figure] = []
    for text in texts:
        if m := _CARD_TOTALS.match(text):
            figures.append(
                Figure(
                    source,
                    f"card {text!r}",
                    "card:all",
                    scope,
                    int(m.group(1)),
                    _number(m.group(2)),
                    _step(m.group(2)),
                )
            )
    for block in card.get("body", []):
        for fact in block.get("facts", []) if block.get("type") == "FactSet" else []:
            m = _CARD_ROW.match(fact["value"])
            if m and fact["title"] in labels.tools:
                tool_scope = Scope(scope.since, scope.until, tool=labels.tools[fact["title"]])
                figures.append(
                    Figure(
                        source, f"card {fact['title']}: {fact['value']!r}", "card:tool", tool_scope,
                        int(m.group(1)), _number(m.group(2)), _step(m.group(2)),
                    )
                )  # fmt: skip
    return figures


# ---------------------------------------------------------------- what the attacker derives


@dataclass(frozen=True)
class Disclosure:
    """A group of 1..k-1 respondents whose size (and rating total) follows from published figures."""

    how: str
    responses: int
    rating_totals: tuple[int, ...]  # every total consistent with the published figures
    respondents: int

    def __str__(self) -> str:
        ratings = (
            f"rating {self.rating_totals[0]}"
            if len(self.rating_totals) == 1 and self.responses == 1
            else f"rating total in {list(self.rating_totals)}"
        )
        return f"{self.how}: {self.responses} response(s) of {self.respondents} respondent(s), {ratings}"


@dataclass
class Attacker:
    min_group_size: int
    rows: Sequence[SurveyResponse]
    figures: list[Figure] = field(default_factory=list)

    def read(self, figures: Iterable[Figure]) -> None:
        self.figures.extend(figures)

    def _members(self, figure: Figure) -> frozenset[str]:
        return figure.scope.rows(self.rows)

    def check_figures_are_real(self) -> None:
        """Every figure read agrees with the rows it is about (else the reading, not the report, is wrong)."""
        for f in self.figures:
            members = [r for r in self.rows if r.submission_id in self._members(f)]
            assert members, f"{f.source}: {f.what} names a group with no rows"
            if f.responses is not None:
                assert f.responses == len(members), (f.source, f.what, len(members))
            if f.mean is not None:
                true_mean = sum(r.rating for r in members) / len(members)
                assert abs(true_mean - f.mean) <= f.step / 2 + 1e-9, (f.source, f.what, true_mean)

    def _options(self, f: Figure, most: int) -> set[tuple[int, int]]:
        """Every (responses, rating total) the published numbers allow for `f`."""
        k = self.min_group_size
        sizes = [f.responses] if f.responses is not None else list(range(k, most + 1))
        options: set[tuple[int, int]] = set()
        for n in sizes:
            if f.total is not None:
                options.add((n, f.total))
                continue
            assert f.mean is not None
            low = n * (f.mean - f.step / 2) - 1e-9
            high = n * (f.mean + f.step / 2) + 1e-9
            options.update(
                (n, s) for s in range(max(n, int(low)), min(5 * n, int(high) + 1) + 1) if low <= s <= high
            )
        return options

    def _respondents(self, ids: frozenset[str]) -> int:
        return len({r.user_key for r in self.rows if r.submission_id in ids})

    def _difference(self, how: str, whole: Figure, parts: Sequence[Figure]) -> Disclosure | None:
        members = self._members(whole)
        rest = members - frozenset().union(*(self._members(p) for p in parts))
        respondents = self._respondents(rest)
        if not 0 < respondents < self.min_group_size:
            return None
        # Sizes a chart point may have: what the attacker can bound it by, the whole it lies in.
        whole_options = self._options(whole, len(self.rows))
        most = max(n for n, _ in whole_options)
        differences: set[tuple[int, int]] = set()
        part_options = [self._options(p, most) for p in parts]
        for combo in itertools.islice(itertools.product(*part_options), 200_000):
            n = sum(c[0] for c in combo)
            s = sum(c[1] for c in combo)
            for wn, ws in whole_options:
                dn, ds = wn - n, ws - s
                if dn >= 0 and dn <= ds <= 5 * dn:
                    differences.add((dn, ds))
        sizes = {dn for dn, _ in differences}
        if len(sizes) != 1:
            return None  # the attacker cannot tell how many answers the difference holds
        [size] = sizes
        assert size == len(rest), f"{how}: derived {size} responses, the rows say {len(rest)}"
        return Disclosure(how, size, tuple(sorted(ds for _, ds in differences)), respondents)

    def differences(self) -> list[Disclosure]:
        """Every small group that follows from one figure minus another, or minus disjoint figures inside it."""
        found: list[Disclosure] = []
        members = [self._members(f) for f in self.figures]

        def keep(d: Disclosure | None) -> None:
            if d is not None:
                found.append(d)

        for (i, whole), (j, part) in itertools.permutations(enumerate(self.figures), 2):
            if members[j] < members[i]:
                how = f"[{whole.source}] {whole.what} minus [{part.source}] {part.what}"
                keep(self._difference(how, whole, [part]))
        for i, whole in enumerate(self.figures):
            by_kind: dict[tuple[str, str], list[int]] = {}
            for j, part in enumerate(self.figures):
                if j != i and members[j] < members[i]:
                    by_kind.setdefault((part.source, part.kind), []).append(j)
            for (source, kind), inside in by_kind.items():
                disjoint = _disjoint(inside, members)
                if len(disjoint) < 2:
                    continue
                parts = [self.figures[j] for j in disjoint]
                how = f"[{whole.source}] {whole.what} minus every {kind} figure of [{source}] inside it"
                keep(self._difference(how, whole, parts))
        return sorted(found, key=str)


def _disjoint(indices: Sequence[int], members: Sequence[frozenset[str]]) -> list[int]:
    chosen: list[int] = []
    covered: set[str] = set()
    for j in sorted(indices, key=lambda j: -len(members[j])):
        if not members[j] & covered:
            chosen.append(j)
            covered |= members[j]
    return chosen


def describe(disclosures: Sequence[Disclosure], most: int = 12) -> str:
    lines = [str(d) for d in disclosures[:most]]
    if len(disclosures) > most:
        lines.append(f"... and {len(disclosures) - most} more")
    return "\n".join(lines)
