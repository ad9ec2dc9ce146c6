"""Rich styles for the graph and the step panel, derived from the Textual theme.

Every style the graph and the panel use comes from here, so the app follows
Textual's theme switcher (dark and light themes alike). Gradients also carry
a ``∂`` marker in their text, so they stay distinguishable with colour off.
"""

from __future__ import annotations

from rich.color import Color
from rich.style import Style
from textual.color import Color as TextualColor
from textual.theme import Theme

from tutor.engine.numbers import fmt

GRAD_MARK = "∂"


def grad_text(x: float, digits: int = 4, mark: str = GRAD_MARK) -> str:
    """A gradient as drawn on the graph: marked so it reads without colour
    (``d`` for a forward-mode tangent, ``δ`` for a neuron's delta)."""
    return f"{mark}{fmt(x, digits)}" if mark != "δ" else f"{mark} {fmt(x, digits)}"


def _color(value: str | None, fallback: str) -> Color | None:
    """A theme colour as a Rich colour.

    Textual themes write colours Rich cannot parse (the ANSI themes use
    ``ansi_default``, ``ansi_bright_red``), so each goes through Textual's
    own parser; an unreadable or missing colour falls back, and failing that
    is the terminal's default colour.
    """
    for candidate in (value, fallback):
        if not candidate:
            continue
        try:
            return TextualColor.parse(candidate).rich_color
        except Exception:  # noqa: BLE001 - any unreadable colour falls back
            continue
    return None


def graph_styles(theme: Theme) -> dict[str, Style]:
    """Style names used by the canvas renderer -> Rich styles."""
    fg = _color(theme.foreground, "white" if theme.dark else "black")
    accent = _color(theme.accent, "yellow")
    primary = _color(theme.primary, "blue")
    value = _color(theme.success, "green")
    grad = _color(theme.error, theme.secondary or "magenta")
    select = _color(theme.warning, "cyan")
    dim = Style(color=fg, dim=True)
    styles: dict[str, Style] = {"": Style()}
    for state in ("done", "pending", "current", "selected", "highlight"):
        if state == "pending":
            box = text = title = dim
        elif state == "current":
            box = Style(color=accent, bold=True)
            title = Style(color=accent, bold=True)
            text = Style(color=fg, bold=True)
        elif state == "selected":
            box = Style(color=select, bold=True)
            title = Style(color=select, bold=True, underline=True)
            text = Style(color=fg)
        elif state == "highlight":
            box = Style(color=primary, bold=True)
            title = Style(color=primary, bold=True)
            text = Style(color=fg)
        else:
            box = Style(color=primary)
            title = Style(color=fg, bold=True)
            text = Style(color=fg)
        styles[f"box.{state}"] = box
        # Dense drawings have no border: the name itself carries the state.
        styles[f"chip.{state}"] = title + Style(reverse=True) if state in ("current", "selected") else title
        styles[f"title.{state}"] = title
        styles[f"text.{state}"] = text
        styles[f"value.{state}"] = Style(color=value, dim=state == "pending")
        styles[f"grad.{state}"] = Style(color=grad, bold=state == "current", dim=state == "pending")
    for state in ("done", "pending", "active", "highlight"):
        if state == "active":
            edge = Style(color=accent, bold=True)
        elif state == "highlight":
            edge = Style(color=select, bold=True)
        elif state == "pending":
            edge = dim
        else:
            edge = Style(color=primary)
        styles[f"edge.{state}"] = edge
        styles[f"value.{state}"] = Style(color=value, bold=state == "active", dim=state == "pending")
        styles[f"grad.{state}"] = Style(color=grad, bold=state == "active", dim=state == "pending")
    return styles


def text_styles(theme: Theme) -> dict[str, Style]:
    """Style names used by lesson explanations -> Rich styles."""
    fg = _color(theme.foreground, "white" if theme.dark else "black")
    return {
        "": Style(),
        "title": Style(bold=True, color=_color(theme.accent, "yellow")),
        "name": Style(bold=True, color=_color(theme.primary, "blue")),
        "value": Style(color=_color(theme.success, "green")),
        "grad": Style(color=_color(theme.error, "magenta"), bold=True),
        "formula": Style(color=_color(theme.warning, "cyan")),
        "note": Style(italic=True, color=fg),
        "warn": Style(color=_color(theme.warning, "yellow"), bold=True),
        "dim": Style(dim=True),
        "good": Style(color=_color(theme.success, "green"), bold=True),
        "bad": Style(color=_color(theme.error, "red"), bold=True),
        "em": Style(bold=True, italic=True, underline=True),
    }
