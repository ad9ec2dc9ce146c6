"""The lesson screen: graph, progress, step panel and values table.

Stepping only moves the position k; every number on screen is read from the
lesson's step records for k, so stepping back restores the earlier screen.
What the keys do and what is shown is decided by the current mode
(``tutor.teach.modes``); this screen passes keys on and draws what the mode
describes.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from tutor.engine.numbers import fmt
from tutor.scenario import Scenario, ScenarioError
from tutor.teach.explain import edit_lines
from tutor.teach.lesson import NEURONS, Lesson, default_view, next_view
from tutor.teach.modes import MODES, Mode, Move, Place, make_modes
from tutor.ui.file_watch import FileWatch
from tutor.teach.edit_check import edit_warning
from tutor.ui.widgets.graph_view import GraphView
from tutor.ui.widgets.mode_widget import fill_mode_widget
from tutor.ui.widgets.progress import Progress
from tutor.ui.screens.fitting import Fitting
from tutor.ui.screens.lesson_keys import LESSON_BINDINGS
from tutor.ui.screens.on_demand import mount_on_demand
from tutor.ui.widgets.footer import KeyBar
from tutor.ui.widgets.stage import Stage
from tutor.ui.widgets.step_panel import PanelBox, StepPanel
from tutor.teach.screen_words import NO_DATA, WATCH_KEEPS_LAST, too_small

MIN_WIDTH = 60
MIN_HEIGHT = 18
RUN_CHUNK = 5
"""Repeated mode actions (T) run this many per frame, so the bar moves and keys stay live."""
class LessonScreen(Screen):
    """Step forward and backward through one scenario's graph."""

    BINDINGS = LESSON_BINDINGS

    def __init__(self, scenario: Scenario, watch: str | None = None) -> None:
        super().__init__()
        self.place = Place(Lesson(scenario, view=default_view(scenario)))
        self.modes: dict[str, Mode] = make_modes(self.place)
        self.mode: Mode = self.modes[MODES[0].name]
        self.running = False
        """True while a repeated mode action (T) is under way."""
        self.file_watch = FileWatch(watch, self.reload, scenario)
        self._filled: dict[str, int] = {}
        """Mode widget id -> the mode revision last copied into it."""
        self.fitting = Fitting(self)
        self._graph: GraphView | None = None  # once composed (a query walks the DOM: too slow per key check)

    # -- what the tests and the other screens read ------------------------------

    @property
    def lesson(self) -> Lesson:
        return self.place.lesson

    @property
    def scenario(self) -> Scenario:
        return self.place.scenario

    @property
    def k(self) -> int:
        return self.place.k

    @property
    def selected(self) -> str | None:
        return self.place.selected

    @selected.setter
    def selected(self, key: str | None) -> None:
        self.place.selected = key

    # -- layout ------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="main"):
            yield Static(self._title(), id="title")
            yield Progress(id="progress")
            with Stage(id="stage"):
                with Horizontal(id="body"):
                    self._graph = GraphView(id="graph")
                    yield self._graph
                with PanelBox(id="panel-box"):
                    yield StepPanel(id="panel")
        yield Static(
            too_small(MIN_WIDTH, MIN_HEIGHT),
            id="too-small",
        )
        yield KeyBar()  # at 80 columns every key shown fits

    def widget_for(self, widget_id: str) -> Widget:
        """A widget used only at times (values table, error banner, a mode's widget), mounted when first needed."""
        found = self.query(f"#{widget_id}")
        return found.first() if found else mount_on_demand(self, widget_id)

    def has_widget(self, widget_id: str) -> bool:
        return bool(self.query(f"#{widget_id}"))

    def _title(self) -> Text:
        s = self.scenario
        return Text(f" {s.title}  ·  {s.name}  ·  output: {s.output}")  # plain text: a title may hold "[/]"

    def on_mount(self) -> None:
        if not self.query(GraphView):
            return  # the app quit while this screen was being set up: its widgets are gone
        self.file_watch.start(self)
        self.query_one(GraphView).set_lesson(self.lesson)
        self.refresh_view()
        self.query_one(GraphView).focus()

    def on_resize(self) -> None:
        small = self.size.width < MIN_WIDTH or self.size.height < MIN_HEIGHT
        self.set_class(small, "too-small")
        self.call_after_refresh(self._refresh_progress)
        self.call_after_refresh(self.fitting.refill_training)

    # -- drawing -------------------------------------------------------------

    def _refresh_progress(self) -> None:
        if not self.query(Progress):
            return  # called after a refresh that came after the app started to quit
        progress = self.query_one(Progress)
        own = self.mode.progress()
        if own is None:
            # The neuron view has one form per window size, not the graph's density levels.
            density = "" if self.lesson.view == NEURONS else self.query_one(GraphView).level
            progress.show(self.lesson, self.k, self.mode.label, density)
        else:
            progress.show_mode(own.label, own.detail, own.done, own.total)

    def refresh_view(self, scroll: bool = True) -> None:
        """Redraw graph, progress and panel for the current mode and position; coming back
        to a place restores its scroll positions, so stepping back shows the earlier screen."""
        graph = self.query_one(GraphView)
        if graph.lesson is not self.lesson:
            # New values, view or file; the graph re-lays out only if its shape changed.
            graph.set_lesson(self.lesson)
        own = self.mode.progress()  # where the learner is: scroll positions are kept per place
        place = (self.mode.name, self.lesson.view, graph.level, (own.detail, own.done) if own else self.k)
        memory = self.query_one(Stage).arrive(place)
        view = self.mode.view()
        graph.show(view.frame, self.selected, view.highlight_nodes, view.highlight_edges,
                   scroll=scroll and memory is None)
        self._refresh_progress()
        # What the learner just did (an edit's predicted and actual change, a quiz's score) comes first:
        # at 80x24 it would otherwise sit below the fold, under the step it follows.
        note = self.place.notice + self.place.edit_note
        self._refresh_table()
        compact = note + view.compact if view.compact is not None else None
        self.fitting.show(note + view.lines, compact, place, memory, view)

    def action_panel(self, pages: int) -> None:
        """Scroll the step panel a page down (1) or up (-1)."""
        box = self.query_one(PanelBox)
        (box.scroll_page_down if pages > 0 else box.scroll_page_up)(animate=False)

    def _sync_mode_widgets(self) -> None:
        """Show the current mode's widget (with fresh contents) and hide every other mode's."""
        mode = self.mode
        # The training panel needs rows: the step panel shrinks to the status lines meanwhile.
        self.set_class(mode.widget is not None and mode.widget.kind == "training", "training")
        for other in self.modes.values():
            if other.widget and other is not mode and self.has_widget(other.widget.id):
                self._hide(self.widget_for(other.widget.id))
        if mode.widget is None:
            return
        if not mode.widget_shown():
            if self.has_widget(mode.widget.id):
                self._hide(self.widget_for(mode.widget.id))
            return
        widget = self.widget_for(mode.widget.id)
        widget.display = True
        if self._filled.get(mode.widget.id) != mode.revision:
            self._filled[mode.widget.id] = mode.revision
            body = self.query_one("#body").size
            fill_mode_widget(widget, mode, body.width or self.size.width, body.height)
            if isinstance(widget, Input):
                self.call_after_refresh(widget.focus)

    def _hide(self, widget: Widget) -> None:
        had_focus = widget.has_focus
        widget.display = False
        if had_focus:
            self.query_one(GraphView).focus()

    def _refresh_table(self) -> None:
        if not self.has_widget("values"):
            return
        table = self.widget_for("values")
        if not table.display:
            return
        frame = self.lesson.frame(self.k)
        table.clear()
        for name in self.scenario.named:
            node = self.lesson.graph.node(name)
            kind = node.kind if node.kind != "op" else "node"
            value = fmt(frame.values[name]) if name in frame.values else "·"
            grad = fmt(frame.grads[name]) if name in frame.grads else "·"
            table.add_row(name, kind, value, grad, key=name)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys meant for the answer box go to it while it has focus; PgDn/PgUp show when the panel scrolls."""
        if self._graph is None or self not in self._graph.ancestors:  # keys typed ahead reach a screen
            return False  # still mounting or already leaving
        typing = ("select_next", "select_previous", "next", "previous", "start", "end")
        if isinstance(self.focused, Input) and action in typing:
            return False
        if action == "mode" and parameters[0] == MODES[0].name:
            return self.mode.name != MODES[0].name  # "1 Step" in the footer of every other mode
        if action == "view":  # the key for the next view, none when the scenario has one view only
            return parameters[0] == next_view(self.scenario, self.lesson.view) != self.lesson.view
        if action == "panel":  # not before the panel is laid out: the footer's first keys come earlier
            if not self.is_mounted:
                return False
            box = self.query_one(PanelBox)  # PgDn while more lies below, PgUp while more lies above
            return box.scroll_y < box.max_scroll_y if parameters[0] > 0 else box.scroll_y > 0
        return True

    # -- the current mode ----------------------------------------------------------

    def _show(self, move: Move) -> None:
        """Act on what the mode answered."""
        if move is Move.REFUSED:
            self.app.bell()
        elif move is Move.FOCUS:
            if self.mode.widget is not None:
                self.widget_for(self.mode.widget.id).focus()
        else:
            self._sync_mode_widgets()
            self.refresh_view(scroll=move is Move.SHOW)

    def action_mode(self, name: str) -> None:
        """Switch mode: step, quiz, forward, paths, check or train."""
        mode = self.modes[name]
        reason = mode.unavailable()
        if reason:
            self.notify(reason, severity="warning")
            return
        # Leaving a mode may leave words behind (the quiz's score so far), shown until the next move.
        self.place.notice = self.mode.leave() if mode is not self.mode else []
        self.mode.interrupt()
        self.mode = mode
        if not mode.keys and self.has_widget("run-progress"):
            self.widget_for("run-progress").display = False
        mode.enter()
        self._show(Move.SHOW)
        self.refresh_bindings()  # the footer offers "1 Step" outside step mode

    def action_mode_key(self, name: str, action: str, repeat: int = 1) -> None:
        """A mode's own key (training's t and T): switch to the mode if needed, then act."""
        mode = self.modes[name]
        reason = mode.unavailable()
        if reason:
            self.notify(reason, severity="warning")
            return
        if repeat > 1:
            self._run(name, action, repeat)
            return
        if mode is not self.mode:
            self.action_mode(name)
        self._show(getattr(mode, action)())

    def _run(self, name: str, action: str, repeat: int) -> None:
        """Repeat a mode action with a progress bar, a few per frame."""
        if self.running:
            return
        if self.modes[name] is not self.mode:
            self.action_mode(name)
        bar = self.widget_for("run-progress")
        bar.display = True
        bar.update(total=repeat, progress=0)
        self.running = True
        self.modes[name].run_state(True)
        self._run_chunk(name, action, repeat)

    def _run_chunk(self, name: str, action: str, remaining: int) -> None:
        if not self.is_mounted:
            return
        if self.modes[name].paused:  # training's p: wait without using up the run
            self.set_timer(0.1, lambda: self._run_chunk(name, action, remaining))
            return
        chunk = min(RUN_CHUNK, remaining)
        for _ in range(chunk):
            self.action_mode_key(name, action)
        bar = self.widget_for("run-progress")
        bar.advance(chunk)
        remaining -= chunk
        if remaining > 0:
            self.set_timer(0.01, lambda: self._run_chunk(name, action, remaining))
        else:
            self.running = False
            self.modes[name].run_state(False)
            bar.display = False
            self._show(Move.SHOW_IN_PLACE)

    def action_next(self) -> None:
        """Next step."""
        self.place.notice = []
        self._show(self.mode.next())

    def action_previous(self) -> None:
        """Previous step."""
        self.place.notice = []
        self._show(self.mode.previous())

    def action_start(self) -> None:
        """To the first step."""
        self.place.notice = []
        self._show(self.mode.start())

    def action_forward_end(self) -> None:
        """To the end of the forward pass."""
        self.place.notice = []
        self._show(self.mode.forward_end())

    def action_end(self) -> None:
        """To the last step."""
        self.place.notice = []
        self._show(self.mode.end())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """An answer typed in the mode's input widget."""
        if self.mode.widget is None or event.input.id != self.mode.widget.id or not self.mode.widget_shown():
            return
        event.input.value = ""
        move = self.mode.submit(event.value)
        if move is not Move.REFUSED:
            self._show(move)

    def on_key(self, event) -> None:  # noqa: ANN001 - textual.events.Key
        """Esc in a mode's widget leaves the mode (the position is kept)."""
        focused = self.focused
        widget = self.mode.widget
        if event.key == "escape" and widget is not None and focused is not None and focused.id == widget.id:
            event.stop()
            self.action_mode(MODES[0].name)

    # -- changing the lesson -----------------------------------------------------

    def _lesson_changed(self, k: int) -> None:
        """After new values, view or file: the mode recomputes, then the screen shows position k."""
        self.mode.rebuild()
        self.place.go(k)
        self._show(Move.SHOW)
        self.refresh_bindings()  # the view key's label names the view after this one

    def action_reset(self) -> None:
        """Back to step 0 with the file's values."""
        self.place.lesson = Lesson(self.scenario, view=self.lesson.view)
        self.place.edit_note = []
        self.place.row = None
        for mode in self.modes.values():
            mode.reset()
        self.mode.interrupt()
        self._lesson_changed(0)

    def action_view(self, view: str) -> None:
        """The view key: show ``view``, keeping the place (only the next view's binding is active; see ``check_action``)."""
        other = self.lesson.with_view(view)
        k = self.lesson.map_position(self.k, other)
        if self.selected and self.selected not in {n.key for n in other.nodes}:
            self.selected = self.lesson.graph.node(self.selected).group or None
        self.place.lesson = other
        self.mode.interrupt()
        self._lesson_changed(k)

    async def check_file(self) -> None:
        """Reload the watched file if it changed (the timer calls this too)."""
        await self.file_watch.check()

    def reload(self, loaded: Scenario | ScenarioError) -> None:
        """Show the watched file as loaded again; keep the last good graph on errors."""
        if isinstance(loaded, ScenarioError):
            error = loaded
            banner = self.widget_for("watch-error")
            banner.update(error.report() + "\n" + WATCH_KEEPS_LAST)
            banner.display = True
            return
        scenario = loaded
        if self.has_widget("watch-error"):
            self.widget_for("watch-error").display = False
        k = self.place.reload(scenario)
        if self.selected and self.selected not in {n.key for n in self.lesson.nodes}:
            self.selected = None
        self.query_one("#title", Static).update(self._title())
        self._lesson_changed(k)

    # -- selecting -----------------------------------------------------------------

    def _select(self, delta: int) -> None:
        keys = [n.key for n in self.lesson.nodes]
        if not keys:
            return
        if self.selected in keys:
            index = (keys.index(self.selected) + delta) % len(keys)
        else:
            index = 0 if delta > 0 else len(keys) - 1
        self.selected = keys[index]
        self.mode.selection_changed()
        self._show(Move.SHOW_IN_PLACE)
        self.query_one(GraphView).bring_into_view(keys[index])

    def action_select_next(self) -> None:
        """Select the next node (in the file's order)."""
        self._select(1)

    def action_select_previous(self) -> None:
        """Select the previous node."""
        self._select(-1)

    @on(GraphView.NodeSelected)
    def on_graph_view_node_selected(self, message: GraphView.NodeSelected) -> None:
        self.selected = message.key
        self.mode.selection_changed()
        self._show(Move.SHOW_IN_PLACE)

    # -- other keys ------------------------------------------------------------------

    def action_values(self) -> None:
        """Show or hide the table of every value and gradient so far."""
        first = not self.has_widget("values")
        table = self.widget_for("values")
        table.display = first or not table.display
        self.refresh_view(scroll=False)

    def action_pick_row(self) -> None:
        """Choose which row of the data set the lesson steps through."""
        from tutor.ui.dialogs.rows import RowScreen

        if self.scenario.data is None:
            self.notify(NO_DATA, severity="warning")
        else:
            self.app.push_screen(RowScreen(self.scenario, self.place.row), self.use_row)

    def use_row(self, k: int | None) -> None:
        """Step through data row ``k`` (from 1; None: keep the values shown)."""
        if k is not None:
            self.place.use_row(k)
            self._lesson_changed(self.k)

    def action_help(self) -> None:
        """List every key."""
        from tutor.ui.dialogs.help import HelpScreen  # here, as the other dialogs: not needed to open a lesson

        views = [b for b in self.BINDINGS if b.action.startswith("view(")]
        bindings = [b for b in self.BINDINGS + GraphView.BINDINGS if b not in views[1:]]  # the view key once
        self.app.push_screen(HelpScreen(bindings))

    def action_back(self) -> None:
        """Esc: out of the current mode (a quiz ends with its score so far), else the values table
        closes, else back to the scenario list."""
        if self.mode.name != MODES[0].name:
            self.action_mode(MODES[0].name)
            return
        if self.has_widget("values") and self.widget_for("values").display:
            self.action_values()
            return
        self.app.action_show_picker()

    def action_edit(self) -> None:
        """Change the selected input's value; the whole trace recomputes."""
        from tutor.ui.dialogs.edit import EditScreen

        key = self.selected
        leaves = self.scenario.leaves
        if key not in leaves:
            key = next(iter(leaves), None)
            if key is None:
                return
            self.selected = key
        current = self.lesson.trace.value(key)

        def apply(value: float | None) -> None:
            if value is not None:
                self.apply_edit(key, value)

        lesson = self.lesson
        self.app.push_screen(EditScreen(key, current, lambda value: edit_warning(lesson, key, value)), apply)

    def apply_edit(self, name: str, value: float) -> None:
        """Recompute with ``name`` = value; explain what the old gradient predicted."""
        old = self.lesson
        self.place.lesson = old.with_values({name: value})
        self.place.edit_note = edit_lines(old, self.place.lesson, name)
        self._lesson_changed(self.k)
