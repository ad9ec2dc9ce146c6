"""The scenario picker: built-in scenarios plus ./scenarios/*.yaml."""

from __future__ import annotations

from pathlib import Path

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tutor.i18n import N_, _
from tutor.scenario import ScenarioError, load
from tutor.scenario.builtins import lesson_files
from tutor.ui.widgets.footer import Footer
from tutor.ui.widgets.prose import Prose, Wrapped, has_wide
from tutor.teach.screen_words import picker_title


def entries(cwd: Path | None = None) -> list[tuple[str, str, str]]:
    """(spec, title, description) for each built-in and each local scenario file, in lesson order."""
    out: list[tuple[str, str, str]] = []
    for spec, path in lesson_files(cwd):
        local = spec != path.stem or "/" in spec
        try:
            s = load(path)
        except ScenarioError as exc:
            out.append((spec, _("{file}  (does not load)").format(file=path.name) if local else spec, str(exc)))
        else:
            out.append((spec, f"{s.title}  ({path.name})" if local else s.title, s.description))
    return out


class PickerScreen(Screen):
    """Choose a scenario; Enter opens it."""

    BINDINGS = [Binding("q", "app.quit", N_("Quit"), tooltip=N_("Quit the tutor"))]

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            found = entries()
            yield Prose(self._title(len(found)), id="picker-title")
            yield OptionList(*self._options(found), id="scenarios")
        yield Footer()

    @staticmethod
    def _title(count: int) -> list[tuple[str, str]]:
        """The title's words, "tutor" in bold."""
        words = picker_title(count)
        head, found, rest = words.partition("tutor")
        return [(head, ""), (found, "bold"), (rest, "")] if found else [(words, "")]

    @staticmethod
    def _options(found: list[tuple[str, str, str]]) -> list[Option]:
        options = []
        for spec, title, description in found:
            named = f"  {spec if '/' not in spec else ''}"
            if has_wide(title + (description or "")):  # Japanese: wrapped by cells, as a reader expects
                prompt = Group(Wrapped([(title, "bold"), (named, "dim")]), Wrapped([(description or "", "italic")]))
                options.append(Option(prompt, id=spec))
                continue
            text = Text()
            text.append(title, "bold")
            text.append(named + "\n", "dim")
            text.append(description or "", "italic")
            options.append(Option(text, id=spec))
        return options

    def relabel(self) -> None:
        """The title and every scenario's title and description again, in the current language."""
        found = entries()
        self.query_one("#picker-title", Prose).show(self._title(len(found)))
        scenarios = self.query_one("#scenarios", OptionList)
        highlighted = scenarios.highlighted
        scenarios.clear_options()
        scenarios.add_options(self._options(found))
        scenarios.highlighted = highlighted

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.app.open_scenario(event.option.id)
