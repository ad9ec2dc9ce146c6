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
            # A path's nodes in italics: a mark that reads without colour (its lines are bold).
            box = Style(color=primary, bold=True)
            title = Style(color=primary, bold=True, italic=True)
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


def learned_styles(theme: Theme) -> dict[str, Style]:
    """Style names of the training panel (``tutor.draw.learned``) -> Rich styles.

    The decision map shades from class 0's colour through the background to
    class 1's, as TensorFlow Playground does (orange for 0, blue for 1). A
    class map gives each class a colour (orange, blue, green, red, then the
    theme's accent and secondary), faint where the net barely prefers it and
    full where it is sure; a point is drawn in its class's colour, darkened on
    a cell of its own class's strong shades.
    """
    from rich.color import Color as RichColor
    from textual.color import Color

    from tutor.draw.learned import LEVELS, MAX_CLASSES, SHADES

    def parse(value: str | None, fallback: str) -> Color:
        try:
            return Color.parse(value or fallback)
        except Exception:  # noqa: BLE001 - a theme colour Textual cannot parse: use the fallback
            return Color.parse(fallback)

    def rich(colour: Color) -> RichColor:
        return RichColor.from_rgb(colour.r, colour.g, colour.b)

    zero = parse(theme.warning, "#ffa62b")
    one = parse(theme.primary, "#0178d4")
    middle = parse(theme.background, "#1e1e1e" if theme.dark else "#ffffff")
    palette = []
    for k in range(LEVELS):
        share = k / (LEVELS - 1)
        colour = zero.blend(middle, share * 2) if share <= 0.5 else middle.blend(one, share * 2 - 1)
        palette.append(rich(colour))
    fg = _color(theme.foreground, "white" if theme.dark else "black")
    edge = "black" if theme.dark is False else "white"
    styles: dict[str, Style] = {
        "": Style(),
        "axis": Style(color=fg, dim=True),
        "curve": Style(color=_color(theme.accent, "yellow")),
        "dot": Style(color=_color(theme.error, "red"), bold=True),
        "accuracy": Style(color=_color(theme.success, "green"), bold=True),
    }
    for top in range(LEVELS):
        for bottom in range(LEVELS):
            styles[f"map.{top}.{bottom}"] = Style(color=palette[top], bgcolor=palette[bottom])
    for cls, colour in ((0, zero), (1, one)):
        for lvl in range(LEVELS):
            styles[f"point.{cls}.{lvl}"] = Style(
                color=rich(colour) if abs(lvl - cls * (LEVELS - 1)) > 3 else edge, bgcolor=palette[lvl], bold=True,
            )
    hues = [zero, one, parse(theme.success, "#4ebf71"), parse(theme.error, "#ba3c5b"),
            parse(theme.accent, "#b48ead"), parse(theme.secondary, "#88c0d0")][:MAX_CLASSES]
    shades: dict[tuple[int, int], RichColor] = {(-1, 0): rich(middle)}  # -1: the outputs are not numbers
    for cls, hue in enumerate(hues):
        styles[f"legend.{cls}"] = Style(color=rich(hue), bold=True)
        for step in range(SHADES):
            shades[(cls, step)] = rich(middle.blend(hue, (step + 1) / SHADES))
    for (top, top_shade), upper in shades.items():
        for (bottom, bottom_shade), lower in shades.items():
            styles[f"class.{top}.{top_shade}.{bottom}.{bottom_shade}"] = Style(color=upper, bgcolor=lower)
    ink = Color(0, 0, 0)
    for cls, hue in enumerate(hues):
        dark = rich(hue.blend(ink, 0.6))  # on its own class's strong shades its colour would vanish
        for (under, under_shade), ground in shades.items():
            strong = under == cls and under_shade >= SHADES // 2
            styles[f"mark.{cls}.{under}.{under_shade}"] = Style(color=dark if strong else rich(hue), bgcolor=ground,
                                                                bold=True)
    return styles
