"""The scenario picker: built-in scenarios plus ./scenarios/*.yaml."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tutor.scenario import ScenarioError, builtin_dir, builtin_scenarios, load
from tutor.scenario.builtins import lesson_order
from tutor.ui.widgets.footer import Footer
from tutor.teach.screen_words import picker_title


def entries(cwd: Path | None = None) -> list[tuple[str, str, str]]:
    """(spec, title, description) for each built-in and each local scenario file."""
    out: list[tuple[str, str, str]] = []
    for name, s in builtin_scenarios():
        if isinstance(s, ScenarioError):
            out.append((name, name, str(s)))
        else:
            out.append((name, s.title, s.description))
    local = (cwd or Path.cwd()) / "scenarios"
    if local.is_dir() and local.resolve() != builtin_dir().resolve():
        for path in sorted(local.glob("*.yaml"), key=lesson_order):
            try:
                s = load(path)
                out.append((str(path), f"{s.title}  ({path.name})", s.description))
            except ScenarioError as exc:
                out.append((str(path), f"{path.name}  (does not load)", str(exc)))
    return out


class PickerScreen(Screen):
    """Choose a scenario; Enter opens it."""

    BINDINGS = [Binding("q", "app.quit", "Quit", tooltip="Quit the tutor")]

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            found = entries()
            title = Text(picker_title(len(found)))
            title.highlight_words(["tutor"], "bold")
            yield Static(title, id="picker-title")
            options = []
            for spec, title, description in found:
                text = Text()
                text.append(title, "bold")
                text.append(f"  {spec if '/' not in spec else ''}\n", "dim")
                text.append(description or "", "italic")
                options.append(Option(text, id=spec))
            yield OptionList(*options, id="scenarios")
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.app.open_scenario(event.option.id)
