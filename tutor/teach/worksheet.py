"""A printable worksheet of one scenario, as Markdown: the handout a teacher gives a class.

The tables are read from the same step records the app shows and ``trace``
prints (the lesson's forward and backward steps, in the view asked for), so a
worksheet's answers are the app's numbers. With blanks, every value and
gradient in the tables is left for the learner and the filled tables follow
under ``## Answers``.
"""

from __future__ import annotations

from tutor.engine.numbers import fmt
from tutor.i18n import N_, _
from tutor.scenario import Scenario
from tutor.teach.lesson import EXPANDED, GROUPS, NEURONS, Lesson, default_view

BLANK = "\\_\\_\\_\\_"
"""What a learner fills in (escaped so Markdown shows four underscores, not emphasis)."""


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    """Inline code for names and expressions, so ``*`` and ``_`` stay literal."""
    text = text.replace("|", "\\|").replace("\n", " ")
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(_(title) for title in header) + " |", "|" + "|".join("---" for _title in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _forward_rows(lesson: Lesson, blanks: bool) -> list[list[str]]:
    rows = []
    for k, step in enumerate(lesson.forward, 1):
        value = BLANK if blanks else fmt(step.value)
        rows.append([str(k), _code(step.node), _code(step.expression), value])
    return rows


def _backward_rows(lesson: Lesson, blanks: bool) -> list[list[str]]:
    graph = lesson.graph
    rows = []
    for k, step in enumerate(lesson.backward, 1):
        first = True
        edges = [edge for edge in step.edges if not graph.is_constant(edge.input)]
        for edge in edges or [None]:
            cells = [str(k), _code(step.node), BLANK if blanks else fmt(step.upstream)] if first else ["", "", ""]
            first = False
            if edge is None:
                rows.append([*cells, "", "", "", ""])
                continue
            local = f"{_code(edge.local_formula)} = {BLANK if blanks else fmt(edge.local)}"
            if blanks:
                contribution = BLANK
                change = f"{BLANK} → {BLANK}"
            else:
                contribution = f"{fmt(step.upstream)} × {fmt(edge.local)} = {fmt(edge.contribution)}"
                change = f"{fmt(edge.grad_before)} → {fmt(edge.grad_after)}"
            rows.append([*cells, _code(edge.input), local, contribution, change])
    return rows


FORWARD_HEADER = ["#", N_("node"), N_("expression"), N_("value")]
BACKWARD_HEADER = ["#", N_("node"), N_("upstream"), N_("input"), N_("local derivative"), N_("contribution"),
                   N_("gradient before → after")]
GRAPH_HEADER = [N_("name"), N_("kind"), N_("value or expression")]
KINDS = {"input": N_("input"), "param": N_("param"), "node": N_("node")}


def _row_words(scenario: Scenario, row: int | None) -> str:
    """Which of the data's rows the worksheet's inputs are (data lessons step through one row)."""
    data = scenario.data
    if row is None:
        matches = [k for k in range(1, len(data) + 1)
                   if all(scenario.inputs.get(c) == v for c, v in data.row(k).items())]
        if not matches:
            return _("The inputs are the scenario's own values; its data set has {rows} rows "
                     "(training uses them all).").format(rows=len(data))
        row = matches[0]
    values = ", ".join(f"{_code(c)} = {fmt(v)}" for c, v in data.row(row).items())
    return _("The inputs are row {row} of the {rows} rows of the data set: {values}.").format(
        row=row, rows=len(data), values=values)


def worksheet(scenario: Scenario, view: str | None = None, blanks: bool = False, row: int | None = None) -> str:
    """The worksheet for ``scenario`` in ``view`` (default: the view the app opens with), as Markdown.

    ``row`` (from 1) takes the inputs from that row of the scenario's data, as the app's d key does.
    """
    view = view or default_view(scenario)
    if view == NEURONS:
        view = GROUPS  # the neuron view's tables are those of its named nodes
    if view not in (EXPANDED, GROUPS):
        raise ValueError(f"unknown view {view!r}")
    data = scenario.data
    if row is not None and (data is None or not 1 <= row <= len(data)):
        raise ValueError(f"no data row {row}")
    overrides = data.row(row) if row is not None else {}
    lesson = Lesson(scenario, overrides, view=view)
    output = scenario.output
    out = [f"# {_cell(scenario.title)}", ""]
    if scenario.description:
        out += [scenario.description.strip(), ""]
    out += [_("Scenario {name}. The output is {output}; the gradients are {gradients}.").format(
        name=f"`{scenario.name}`", output=_code(output), gradients=f"∂{output}/∂" + _("node")), ""]
    if data is not None:
        out += [_row_words(scenario, row), ""]

    out += ["## " + _("The graph"), ""]
    kinds = {kind: _(word) for kind, word in KINDS.items()}
    rows = [[_code(name), kinds["input"], fmt(overrides.get(name, value))] for name, value in scenario.inputs.items()]
    rows += [[_code(name), kinds["param"], fmt(value)] for name, value in scenario.params.items()]
    rows += [[_code(name), kinds["node"], _code(expression)] for name, expression in scenario.nodes.items()]
    out += _table(GRAPH_HEADER, rows) + [""]
    if view == EXPANDED and len(lesson.forward) > len(scenario.nodes):
        out += [
            _("Each operator is one step below; parts of a longer expression have derived names "
              "such as {example} (the first multiply inside {group}).").format(example="`h1.mul1`", group="`h1`"),
            "",
        ]

    def tables(blank: bool) -> list[str]:
        part = ["### " + _("Forward pass"), "", _("Compute each value from its inputs, top to bottom."), ""]
        part += _table(FORWARD_HEADER, _forward_rows(lesson, blank)) + [""]
        part += [
            "### " + _("Backward pass"),
            "",
            _("Start from {seed}. At each node, multiply the upstream gradient by each "
              "input's local derivative and add the contribution to that input's gradient.").format(
                seed=f"∂{output}/∂{output} = 1"),
            "",
        ]
        part += _table(BACKWARD_HEADER, _backward_rows(lesson, blank)) + [""]
        return part

    out += ["## " + (_("Your turn") if blanks else _("Steps")), ""]
    out += tables(blanks)
    if blanks:
        out += ["## " + _("Answers"), ""]
        out += tables(False)
    return "\n".join(out).rstrip("\n") + "\n"
