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

from tutor.scenario import ScenarioError, load
from tutor.scenario.builtins import lesson_files
from tutor.ui.widgets.footer import Footer
from tutor.teach.screen_words import picker_title


def entries(cwd: Path | None = None) -> list[tuple[str, str, str]]:
    """(spec, title, description) for each built-in and each local scenario file, in lesson order."""
    out: list[tuple[str, str, str]] = []
    for spec, path in lesson_files(cwd):
        local = spec != path.stem or "/" in spec
        try:
            s = load(path)
        except ScenarioError as exc:
            out.append((spec, f"{path.name}  (does not load)" if local else spec, str(exc)))
        else:
            out.append((spec, f"{s.title}  ({path.name})" if local else s.title, s.description))
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
