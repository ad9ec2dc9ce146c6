"""The lesson screen: graph, progress, step panel and values table.

Every key goes to the lesson session (``tutor.teach.session``), which moves
the lesson and says what to do next; this screen draws what the session
shows. Stepping only moves the position k; every number on screen is read
from the lesson's step records for k, so stepping back restores the earlier
screen. The screen decides what the graph's pane holds (the graph, or the
values table or a mode's table or plot in its place); the stage shares the
rows between that pane and the step panel.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from tutor import startup
from tutor.i18n import N_, _, language
from tutor.scenario import Scenario, ScenarioError
from tutor.teach.lesson import NEURONS, Lesson
from tutor.teach.modes import Mode, Move
from tutor.teach.screen_words import WATCH_KEEPS_LAST, too_small
from tutor.teach.session import STEP_MODE as STEP
from tutor.teach.session import LessonSession, Outcome
from tutor.teach.text import wrap
from tutor.ui.dialogs import edit, help, rows  # deferred (tutor.startup): opened by keys
from tutor.ui.file_watch import FileWatch
from tutor.ui.screens.lesson_keys import LESSON_BINDINGS
from tutor.ui.widgets.footer import KeyBar
from tutor.ui.widgets.graph_view import GraphView
from tutor.ui.widgets.mode_widget import build_mode_widget, fill_mode_widget
from tutor.ui.widgets.progress import Progress
from tutor.ui.widgets.stage import BODY_MIN, GRAPH, WIDE, Stage
from tutor.ui.widgets.step_panel import PanelBox, StepPanel

MIN_WIDTH = 60
MIN_HEIGHT = 18
RUN_CHUNK = 5
"""Repeated mode actions (T) run this many per frame, so the bar moves and keys stay live."""
IN_GRAPHS_PLACE = ("table", "plot")
"""Kinds of mode widget that take the graph's place (at 80×24 there is no room beside it)."""
VALUES = "values"
"""The values table's id, and the pane's content when it takes the graph's place (narrow windows)."""
VALUES_COLUMNS = (N_("name"), N_("kind"), N_("value"))
"""The values table's first columns (the last is the output's gradient, ∂out/∂·); translated where shown."""


class LessonScreen(Screen):
    """Step forward and backward through one scenario's graph."""

    BINDINGS = LESSON_BINDINGS

    def __init__(self, scenario: Scenario, watch: str | None = None) -> None:
        super().__init__()
        self.session = LessonSession(scenario)
        self.running = False
        """True while a repeated mode action (T) is under way."""
        self.file_watch = FileWatch(watch, self.reload, scenario)
        self._filled: dict[str, int] = {}
        """Mode widget id -> the mode revision last copied into it."""
        self._graph: GraphView | None = None  # once composed (a query walks the DOM: too slow per key check)
        self._panel_place: tuple | None = None
        self._mounted: dict[str, Widget] = {}
        """Widgets mounted on demand, by id (see ``widget_for``)."""
        self._level_shown: str | None = None
        """The graph's density as the progress line last named it."""
        self._forms_key: tuple | None = None
        self._moves: tuple[bool, bool] = (True, False)
        """Whether → and ← move now, as the key bar last showed them."""
        self._forms: list = []
        self._more_below = False
        self._watch_error: ScenarioError | None = None
        """The watched file's error on show (the banner says it again in another language)."""

    # -- what the tests and the other screens read ------------------------------

    @property
    def lesson(self) -> Lesson:
        return self.session.lesson

    @property
    def scenario(self) -> Scenario:
        return self.session.scenario

    @property
    def place(self):  # noqa: ANN201 - the session's Place
        return self.session.place

    @property
    def modes(self) -> dict[str, Mode]:
        return self.session.modes

    @property
    def mode(self) -> Mode:
        return self.session.mode

    @property
    def k(self) -> int:
        return self.session.k

    @property
    def selected(self) -> str | None:
        return self.session.selected

    @selected.setter
    def selected(self, key: str | None) -> None:
        self.session.place.selected = key

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
        yield Static(too_small(MIN_WIDTH, MIN_HEIGHT), id="too-small")
        yield KeyBar()  # at 80 columns every key shown fits

    def widget_for(self, widget_id: str) -> Widget:
        """A widget used only at times (values table, error banner, a mode's widget), mounted when first needed."""
        widget = self._mounted.get(widget_id)
        if widget is None:
            widget = self._mounted[widget_id] = self._mount_on_demand(widget_id)
        return widget

    def has_widget(self, widget_id: str) -> bool:
        """Whether the widget was mounted (kept by id: a DOM query per key press cost more than the step)."""
        return widget_id in self._mounted

    def _mount_on_demand(self, widget_id: str) -> Widget:
        """Build and mount the widget named ``widget_id`` where it belongs.

        Hidden widgets still cost styling and layout, so the values table, the
        watch banner, the run progress bar and each mode's widget are built the
        first time they are asked for: the first frame comes as fast as a bare app's.
        """
        if widget_id == VALUES:
            widget = startup.deferred("textual.widgets", "DataTable")(id=VALUES, cursor_type="row", zebra_stripes=True)
            widget.add_columns(*self._values_columns())
            self.query_one("#body").mount(widget)
            return widget
        if widget_id == "watch-error":
            widget = Static(id="watch-error", markup=False)
            self.query_one("#main").mount(widget, after="#title")
            return widget
        if widget_id == "run-progress":
            widget = startup.deferred("textual.widgets", "ProgressBar")(id="run-progress", show_eta=False)
        else:
            owner = next(m for m in self.modes.values() if m.widget and m.widget.id == widget_id)
            widget = build_mode_widget(owner)
            if owner.widget.kind in IN_GRAPHS_PLACE:
                self.query_one("#body").mount(widget)
                return widget
        self.query_one("#main").mount(widget)
        return widget

    def _values_columns(self) -> list[str]:
        return [_(column) for column in VALUES_COLUMNS] + ["∂" + self.scenario.output + "/∂·"]

    def _title(self) -> Text:
        s = self.scenario
        output = _("output: {output}").format(output=s.output)
        return Text(f" {s.title}  ·  {s.name}  ·  {output}")  # plain text: a title may hold "[/]"

    def relabel(self) -> None:
        """Every word on the screen again, in the current language (after the language was switched)."""
        if not self.query("#title"):
            return  # not composed yet, or already leaving
        self.query_one("#title", Static).update(self._title())
        self.query_one("#too-small", Static).update(too_small(MIN_WIDTH, MIN_HEIGHT))
        if self.has_widget(VALUES):
            table = self.widget_for(VALUES)
            table.clear(columns=True)
            table.add_columns(*self._values_columns())
        if self._watch_error is not None and self.has_widget("watch-error"):
            self.widget_for("watch-error").update(self._watch_error.report() + "\n" + _(WATCH_KEEPS_LAST))
        for mode in self.modes.values():
            if mode.widget is None or not self.has_widget(mode.widget.id):
                continue
            widget = self.widget_for(mode.widget.id)
            if isinstance(widget, Input):
                widget.placeholder = mode.placeholder()  # what the learner has typed stays
            else:
                self._filled.pop(mode.widget.id, None)  # filled again when shown: its words in this language
        self._sync_mode_widgets()
        self.query_one(GraphView).set_lesson(self.lesson)  # the boxes' labels in the new language
        self.refresh_view(scroll=False)

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
        self.call_after_refresh(self._refill_training)

    # -- drawing -------------------------------------------------------------

    def _gone(self) -> bool:
        """True once the screen's widgets are gone (a callback queued before Esc left the lesson runs late)."""
        return not self.is_attached or self._graph is None or not self._graph.is_attached

    def _refresh_progress(self) -> None:
        if self._gone():
            return  # called after a refresh that came after the app started to quit
        progress = self.query_one(Progress)
        own = self.session.progress()
        self._level_shown = self.query_one(GraphView).level
        if own is None:
            # The neuron view has one form per window size, not the graph's density levels.
            density = "" if self.lesson.view == NEURONS else self._level_shown
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
        own = self.session.progress()  # where the learner is: scroll positions are kept per place
        place = (self.mode.name, self.lesson.view, graph.level, (own.detail, own.done) if own else self.k)
        stage = self.query_one(Stage)
        memory = stage.arrive(place)
        view = self.session.view()
        graph.show(view.frame, self.selected, view.highlight_nodes, view.highlight_edges,
                   scroll=scroll and memory is None)
        self._refresh_progress()
        self._refresh_table()
        panel = self.session.panel(view)
        pane = self._pane()
        self._show_pane(pane)
        stage.show(panel.lines, panel.compact, pane, self._pane_rows(pane), self._full_forms())
        if memory is not None:
            stage.restore(memory)
        else:
            if view.focus_line is not None:
                first = len(panel.lines) - len(view.lines)
                self.call_after_refresh(self._show_panel_line, panel.lines[:first + view.focus_line])
            if view.highlight_nodes:
                graph.bring_nodes_into_view(view.highlight_nodes, self.place.leaf())
            if place != self._panel_place:
                self.query_one(PanelBox).scroll_home(animate=False, immediate=True)
        self._panel_place = place

    def _full_forms(self) -> list:
        """Every step's full explanation in this lesson and mode (see ``Stage.show``), made once per lesson."""
        key = (self.lesson, self.mode.name, language())  # the room is measured in the words shown
        if self._forms_key != key:
            self._forms_key, self._forms = key, self.session.full_forms()
        return self._forms

    def _pane(self) -> str:
        """What the graph's pane shows: the graph, the values table (narrow windows) or a mode's table or plot."""
        if self.has_widget(VALUES) and self.widget_for(VALUES).display and self.size.width < WIDE:
            return VALUES
        widget = self.mode.widget
        if widget is not None and widget.kind in IN_GRAPHS_PLACE and self.mode.widget_shown():
            return widget.id
        return GRAPH

    def _pane_rows(self, pane: str) -> int:
        """Rows a pane other than the graph needs to show everything it holds."""
        if pane == VALUES:
            return len(self.scenario.named) + 3
        if self.mode.widget is not None and self.mode.widget.kind == "table":
            return len(self.mode.table()[1]) + 1
        return BODY_MIN

    def _show_pane(self, pane: str) -> None:
        self.query_one(GraphView).display = pane == GRAPH
        if self.has_widget(VALUES):
            self.widget_for(VALUES).styles.width = "1fr" if pane == VALUES else 46

    @on(Stage.RowsShared)
    def _rows_shared(self) -> None:
        """The stage shared its rows: say the graph's density, ask the panel what lies below, redraw a plot."""
        if self._gone():
            return
        if self._graph.level != self._level_shown:
            self.call_after_refresh(self._refresh_progress)  # the progress line names the graph's density
        self.call_after_refresh(self._mark_panel)
        if self._pane() not in (GRAPH, VALUES):
            self.call_after_refresh(self._refill_mode_widget)

    def _show_panel_line(self, above: list) -> None:
        """Scroll the step panel so that the line after ``above`` (the chosen path) is in view."""
        if self._gone():
            return
        box, panel = self.query_one(PanelBox), self.query_one(StepPanel)
        row = len(wrap(above, max(1, panel.content_region.width)))
        if not box.scroll_y <= row < box.scroll_y + box.scrollable_content_region.height:
            box.scroll_to(y=max(0, row - 1), animate=False, immediate=True)

    def _mark_panel(self) -> None:
        if not self._gone():
            self.query_one(PanelBox).mark()

    @on(PanelBox.MoreBelow)
    def _more_below_changed(self, message: PanelBox.MoreBelow) -> None:
        """The key bar offers PgDn only while more of the panel lies below."""
        if message.more != self._more_below:
            self._more_below = message.more
            self.refresh_bindings()

    def _refill_mode_widget(self) -> None:
        """A plot is drawn to the size of the pane it fills: again after the pane changed."""
        mode = self.mode
        if self._gone():
            return
        if mode.widget is not None and mode.widget.kind == "plot" and mode.widget_shown():
            body = self.query_one("#body").size
            fill_mode_widget(self.widget_for(mode.widget.id), mode, body.width, body.height)

    def _refill_training(self) -> None:
        """The training panel is drawn to the window's size: again after a resize."""
        mode = self.mode
        if self._gone():
            return
        if mode.widget is not None and mode.widget.kind == "training" and self.has_widget(mode.widget.id):
            widget = self.widget_for(mode.widget.id)
            if widget.display:
                fill_mode_widget(widget, mode, self.query_one("#body").size.width or self.size.width)

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
        if not self.has_widget(VALUES):
            return
        table = self.widget_for(VALUES)
        if not table.display:
            return
        table.clear()
        for name, kind, value, grad in self.session.values_rows():
            table.add_row(name, kind, value, grad, key=name)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys meant for the answer box go to it while it has focus; PgDn/PgUp show when the panel scrolls."""
        if self._graph is None or self not in self._graph.ancestors:  # keys typed ahead reach a screen
            return False  # still mounting or already leaving
        typing = ("select_next", "select_previous", "next", "previous", "start", "end")
        if isinstance(self.focused, Input) and action in typing:
            return False
        if action in ("next", "previous"):  # shown only where it would move
            return self.mode.can_step(1 if action == "next" else -1)
        if action == "mode" and parameters[0] == STEP:
            return self.mode.name != STEP  # "1 Step" in the footer of every other mode
        if action == "view":  # the key for the next view, none when the scenario has one view only
            return self.session.offers_view(parameters[0])
        if action == "panel":  # not before the panel is laid out: the footer's first keys come earlier
            if not self.is_mounted:
                return False
            box = self.query_one(PanelBox)  # PgDn while more lies below, PgUp while more lies above
            return box.scroll_y < box.max_scroll_y if parameters[0] > 0 else box.scroll_y > 0
        return True

    # -- what the session answers ------------------------------------------------

    def _apply(self, outcome: Outcome) -> None:
        """Act on what the session answered: a bell, a warning, the mode's widget in focus, or a redraw."""
        move = outcome.move
        if outcome.warning:
            self.notify(outcome.warning, severity="warning")
        elif move is Move.REFUSED:
            self.app.bell()
        if move is Move.FOCUS:
            if self.mode.widget is not None:
                self.widget_for(self.mode.widget.id).focus()
        elif move is not Move.REFUSED:
            self._sync_mode_widgets()
            self.refresh_view(scroll=move is Move.SHOW)
        moves = (self.mode.can_step(1), self.mode.can_step(-1))
        if outcome.keys_changed or moves != self._moves:
            self._moves = moves  # → and ← show only where they move
            self.refresh_bindings()  # the footer offers "1 Step" outside step mode; the view key's label

    def action_mode(self, name: str) -> None:
        """Switch mode: step, quiz, forward, paths, check or train."""
        outcome = self.session.switch_mode(name)
        if outcome.move is not Move.REFUSED and not self.mode.keys and self.has_widget("run-progress"):
            self.widget_for("run-progress").display = False
        self._apply(outcome)

    def action_mode_key(self, name: str, action: str, repeat: int = 1) -> None:
        """A mode's own key (training's t and T): switch to the mode if needed, then act."""
        if repeat > 1:
            self._run(name, action, repeat)
            return
        self._apply(self.session.mode_key(name, action))

    def _run(self, name: str, action: str, repeat: int) -> None:
        """Repeat a mode action with a progress bar, a few per frame."""
        if self.running:
            return
        reason = self.modes[name].unavailable()
        if reason:
            self.notify(reason, severity="warning")
            return
        if self.modes[name] is not self.mode:
            self.action_mode(name)
        bar = self.widget_for("run-progress")
        bar.display = True
        bar.update(total=repeat, progress=0)
        self.running = True
        self.session.run_state(name, True)
        self._run_chunk(name, action, repeat)

    def _run_chunk(self, name: str, action: str, remaining: int) -> None:
        if not self.is_mounted:
            return
        if self.modes[name].paused:  # training's p: wait without using up the run
            self.set_timer(0.1, lambda: self._run_chunk(name, action, remaining))
            return
        chunk = min(RUN_CHUNK, remaining)
        for _run in range(chunk):
            self.action_mode_key(name, action)
        bar = self.widget_for("run-progress")
        bar.advance(chunk)
        remaining -= chunk
        if remaining > 0:
            self.set_timer(0.01, lambda: self._run_chunk(name, action, remaining))
        else:
            self.running = False
            self.session.run_state(name, False)
            bar.display = False
            self._apply(Outcome(Move.SHOW_IN_PLACE))

    def action_next(self) -> None:
        """Next step."""
        self._apply(self.session.next())

    def action_previous(self) -> None:
        """Previous step."""
        self._apply(self.session.previous())

    def action_start(self) -> None:
        """To the first step."""
        self._apply(self.session.start())

    def action_forward_end(self) -> None:
        """To the end of the forward pass."""
        self._apply(self.session.forward_end())

    def action_end(self) -> None:
        """To the last step."""
        self._apply(self.session.end())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """An answer typed in the mode's input widget."""
        if self.mode.widget is None or event.input.id != self.mode.widget.id or not self.mode.widget_shown():
            return
        event.input.value = ""
        outcome = self.session.submit(event.value)
        if outcome.move is not Move.REFUSED:
            self._apply(outcome)

    def on_key(self, event) -> None:  # noqa: ANN001 - textual.events.Key
        """Esc in a mode's widget leaves the mode (the position is kept)."""
        focused = self.focused
        widget = self.mode.widget
        if event.key == "escape" and widget is not None and focused is not None and focused.id == widget.id:
            event.stop()
            self.action_mode(STEP)

    # -- changing the lesson -----------------------------------------------------

    def action_reset(self) -> None:
        """Back to step 0 with the file's values."""
        self._apply(self.session.reset())

    def action_view(self, view: str) -> None:
        """The view key: show ``view``, keeping the place (only the next view's binding is active; see ``check_action``)."""
        self._apply(self.session.change_view(view))

    async def check_file(self) -> None:
        """Reload the watched file if it changed (the timer calls this too)."""
        await self.file_watch.check()

    def reload(self, loaded: Scenario | ScenarioError) -> None:
        """Show the watched file as loaded again; keep the last good graph on errors."""
        if isinstance(loaded, ScenarioError):
            banner = self.widget_for("watch-error")
            banner.update(loaded.report() + "\n" + _(WATCH_KEEPS_LAST))
            banner.display = True
            self._watch_error = loaded
            return
        self._watch_error = None
        if self.has_widget("watch-error"):
            self.widget_for("watch-error").display = False
        outcome = self.session.reload(loaded)
        self.query_one("#title", Static).update(self._title())
        self._apply(outcome)

    # -- selecting -----------------------------------------------------------------

    def _select(self, delta: int) -> None:
        outcome = self.session.select_step(delta)
        if outcome.move is Move.REFUSED:
            return  # a scenario with no boxes: nothing to select
        self._apply(outcome)
        self.query_one(GraphView).bring_into_view(self.selected)

    def action_select_next(self) -> None:
        """Select the next node (in the file's order)."""
        self._select(1)

    def action_select_previous(self) -> None:
        """Select the previous node."""
        self._select(-1)

    @on(GraphView.NodeSelected)
    def on_graph_view_node_selected(self, message: GraphView.NodeSelected) -> None:
        self._apply(self.session.select(message.key))

    # -- other keys ------------------------------------------------------------------

    def action_values(self) -> None:
        """Show or hide the table of every value and gradient so far."""
        first = not self.has_widget(VALUES)
        table = self.widget_for(VALUES)
        table.display = first or not table.display
        self.refresh_view(scroll=False)

    def action_pick_row(self) -> None:
        """Choose which row of the data set the lesson steps through."""
        refused = self.session.can_pick_row()
        if refused is not None:
            self._apply(refused)
        else:
            self.app.push_screen(rows.RowScreen(self.scenario, self.place.row), self.use_row)

    def use_row(self, k: int | None) -> None:
        """Step through data row ``k`` (from 1; None: keep the values shown)."""
        if k is not None:
            self._apply(self.session.use_row(k))

    def action_help(self) -> None:
        """List every key."""
        views = [b for b in self.BINDINGS if b.action.startswith("view(")]
        bindings = [b for b in self.BINDINGS + GraphView.BINDINGS if b not in views[1:]]  # the view key once
        self.app.push_screen(help.HelpScreen(bindings))

    def action_back(self) -> None:
        """Esc: out of the current mode (a quiz ends with its score so far), else the values table
        closes, else back to the scenario list."""
        outcome = self.session.back()
        if outcome is not None:
            if not self.mode.keys and self.has_widget("run-progress"):
                self.widget_for("run-progress").display = False
            self._apply(outcome)
            return
        if self.has_widget(VALUES) and self.widget_for(VALUES).display:
            self.action_values()
            return
        self.app.action_show_picker()

    def action_edit(self) -> None:
        """Change the selected input's value; the whole trace recomputes."""
        key = self.session.edit_target()
        if key is None:
            return
        current = self.lesson.trace.value(key)
        session = self.session

        def apply(value: float | None) -> None:
            if value is not None:
                self.apply_edit(key, value)

        self.app.push_screen(edit.EditScreen(key, current, lambda value: session.edit_warning(key, value)), apply)

    def apply_edit(self, name: str, value: float) -> None:
        """Recompute with ``name`` = value; explain what the old gradient predicted."""
        self._apply(self.session.edit(name, value))
