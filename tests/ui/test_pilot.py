"""Pilot tests: drive the app with keys and clicks, and assert what it holds and shows."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList

from tutor.scenario import builtin_names
from tutor.ui.dialogs.edit import EditScreen
from tutor.ui.screens.error import ErrorScreen
from tutor.ui.dialogs.help import HelpScreen
from tutor.ui.screens.lesson_screen import LessonScreen
from tutor.ui.screens.picker import PickerScreen
from tutor.ui.widgets.graph_view import GraphView
from tutor.ui.widgets.step_panel import StepPanel

SCENARIOS = builtin_names()

# -- reading the screen ---------------------------------------------------------


def lesson_screen(pilot: Pilot) -> LessonScreen:
    screen = pilot.app.screen
    assert isinstance(screen, LessonScreen), type(screen).__name__
    return screen


def panel_text(screen: LessonScreen) -> str:
    return screen.query_one(StepPanel).words()


def graph_text(screen: LessonScreen) -> list[str]:
    return ["".join(text for text, _ in row) for row in screen.query_one(GraphView).rows()]


def box_lines(screen: LessonScreen, key: str) -> list[str]:
    """The text inside one node's box on the canvas (border characters stripped)."""
    graph = screen.query_one(GraphView)
    box = graph.box_of(key)
    rows = graph_text(screen)[box.y : box.y + box.h]
    return [row[box.x : box.x + box.w].strip("│┌┐└┘─├┤▶ ") for row in rows]


def screen_state(screen: LessonScreen) -> tuple:
    """Everything drawn for the current step: canvas rows with styles, panel, progress line."""
    rows = tuple(tuple(row) for row in screen.query_one(GraphView).rows())
    return rows, panel_text(screen), str(screen.query_one("#progress").render())


def assert_current_visible(screen: LessonScreen) -> None:
    """The node being computed is wholly inside the graph's viewport (when it fits)."""
    graph = screen.query_one(GraphView)
    current = screen.lesson.frame(screen.k).current
    if current is None:
        return
    box = graph.box_of(current)
    width, height = graph.scrollable_content_region.size
    if box.w > width or box.h > height:
        return
    sx, sy = graph.scroll_offset
    assert sx <= box.x and box.x + box.w <= sx + width, (current, box, graph.scroll_offset, width)
    assert sy <= box.y and box.y + box.h <= sy + height, (current, box, graph.scroll_offset, height)


async def assert_current_shown(pilot: Pilot, screen: LessonScreen) -> None:
    """``assert_current_visible`` once the screen has drawn: the scroll into view comes with the frame after a
    step, which a key pressed without waiting for the process to look idle may not have reached yet."""
    for _ in range(5):
        try:
            assert_current_visible(screen)
            return
        except AssertionError:
            await pilot.pause()
    assert_current_visible(screen)


async def select(pilot: Pilot, key: str) -> None:
    """Press Tab until ``key`` is selected (fails after one full round)."""
    screen = lesson_screen(pilot)
    for _ in range(len(screen.lesson.nodes) + 1):
        if screen.selected == key:
            return
        await pilot.press("tab")
    assert screen.selected == key


async def type_answer(pilot: Pilot, text: str) -> None:
    await pilot.press(*text, "enter")


# -- stepping -----------------------------------------------------------------------


async def step_key(pilot: Pilot, key: str) -> None:
    """Press ``key`` as a terminal delivers it and wait until the screen has handled it and everything it
    queued (``pilot.press`` also waits for the process to look idle, twice a key: four times slower)."""
    event = events.Key(key, None)
    event.set_sender(pilot.app)
    pilot.app._driver.send_message(event)
    await pilot._wait_for_screen()
    pilot.app.screen._on_timer_update()  # the refresh the key asked for (a scroll into view waits for it)
    await pilot._wait_for_screen()  # and what that refresh called


async def walk_there_and_back(pilot: Pilot, screen: LessonScreen) -> None:
    """Step 0 → last → 0; every screen on the way back equals the one on the way out."""
    assert screen.k == 0
    last = screen.lesson.last
    seen = {0: screen_state(screen)}
    for k in range(1, last + 1):
        await step_key(pilot, "right")
        assert screen.k == k
        await assert_current_shown(pilot, screen)
        seen[k] = screen_state(screen)
    await step_key(pilot, "right")
    assert screen.k == last
    assert screen_state(screen) == seen[last]
    for k in range(last - 1, -1, -1):
        await step_key(pilot, "left")
        assert screen.k == k
        assert screen_state(screen) == seen[k], f"step {k} differs after stepping back"
        await assert_current_shown(pilot, screen)
    await pilot.press("left")
    assert screen.k == 0


@pytest.mark.parametrize("name", SCENARIOS)
def test_step_to_the_end_and_back_in_every_view(drive, name: str) -> None:
    from tutor.teach.lesson import views_of

    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        views = views_of(screen.scenario)
        shown = [screen.lesson.view]
        await walk_there_and_back(pilot, screen)
        for _ in range(len(views) - 1):
            await pilot.press("g")
            shown.append(screen.lesson.view)
            await walk_there_and_back(pilot, screen)
        assert sorted(shown) == sorted(views)  # g cycles through every view once
        await pilot.press("g")
        assert screen.lesson.view == shown[0]

    drive(name, body)


def test_forward_two_and_back_two_gives_the_same_screen(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("right", "right", "right")
        before = screen_state(screen)
        await pilot.press("l", "space")
        assert screen.k == 5
        assert screen_state(screen) != before
        await pilot.press("h", "left")
        assert screen.k == 3
        assert screen_state(screen) == before

    drive("shopping_oranges", body)


def test_home_f_end_and_reset_after_an_edit(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        lesson = screen.lesson
        await pilot.press("f")
        assert screen.k == lesson.forward_end == 4
        assert "Forward 4 of 4" in panel_text(screen)
        await pilot.press("end")
        assert screen.k == lesson.last == 8
        await pilot.press("home")
        assert screen.k == 0
        await select(pilot, "orange")
        await pilot.press("e")
        await type_answer(pilot, "50")
        await pilot.press("end")
        assert screen.lesson.trace.output_value == pytest.approx(385)  # (200 + 150) × 1.1
        await pilot.press("r")
        assert screen.k == 0
        assert screen.lesson.trace.output_value == pytest.approx(715)
        assert screen.lesson.overrides == {}
        assert "Edited" not in panel_text(screen)
        assert "orange=150" in panel_text(screen)

    drive("shopping_oranges", body)


# -- numbers on screen ------------------------------------------------------------------


def test_apples_and_oranges_show_the_published_gradients(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("f")
        assert "715" in " ".join(box_lines(screen, "price")).split()
        await pilot.press("end")
        expected = {"apple": "∂2.2", "apple_count": "∂110", "orange": "∂3.3", "orange_count": "∂165",
                    "tax": "∂650", "price": "∂1"}
        for key, grad in expected.items():
            assert grad in " ".join(box_lines(screen, key)).split(), (key, box_lines(screen, key))
        text = panel_text(screen)
        assert "1.1 × 2 = 2.2" in text
        assert "∂price/∂apple: 0 → 2.2" in text
        assert "∂price/∂apple_count: 0 → 110" in text
        assert "adds 2.2 yen to the total" in text  # the scenario's note: what the gradient predicts

    drive("shopping_oranges", body)


def test_two_paths_fan_out_adds_at_the_second_edge(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("f", "right", "right")  # backward through e, then d
        assert screen.lesson.step(screen.k).node == "d"
        assert any("∂3" in line for line in box_lines(screen, "b"))  # boxes, or a denser drawing
        assert "3 + 2 = 5" not in panel_text(screen)
        await pilot.press("right")
        assert screen.lesson.step(screen.k).node == "c"
        assert any("∂5" in line for line in box_lines(screen, "b"))
        assert any("∂2" in line for line in box_lines(screen, "a"))
        text = panel_text(screen)
        # the full form, or the compact one (one line per edge) when the full one does not fit
        assert ("∂e/∂b: 3 + 2 = 5" in text and "fan-out: b feeds 2 nodes" in text) or "∂e/∂b 3 + 2 = 5" in text

    drive("two_paths", body)


# -- selection ----------------------------------------------------------------------------


def test_tab_and_shift_tab_select_nodes_in_order(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        keys = [n.key for n in screen.lesson.nodes]
        assert screen.selected is None
        await pilot.press("tab")
        assert screen.selected == keys[0]
        assert f"Selected {keys[0]}" in panel_text(screen)
        await pilot.press("down", "j")
        assert screen.selected == keys[2]
        await pilot.press("shift+tab")
        assert screen.selected == keys[1]
        await pilot.press("up", "k")
        assert screen.selected == keys[-1]  # wraps around
        assert screen.k == 0  # j/k select, they do not step

    drive("shopping_oranges", body)


def test_clicking_a_box_selects_that_node(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        graph = screen.query_one(GraphView)
        width, height = graph.scrollable_content_region.size
        sx, sy = graph.scroll_offset
        border = 0  # the graph pane has no frame
        clicked = 0
        for key, box in graph.boxes().items():
            if not (sx <= box.x and box.x + box.w <= sx + width and sy <= box.y and box.y + box.h <= sy + height):
                continue
            # opposite corners: the box's whole area is the target
            for dx, dy in ((0, 0), (box.w - 1, box.h - 1)):
                screen.selected = None
                await pilot.click("#graph", offset=(box.x + dx - sx + border, box.y + dy - sy + border))
                assert screen.selected == key, (key, dx, dy)
            clicked += 1
        assert clicked == len(graph.boxes())  # the tall window shows every box
        # empty canvas: the selection stays
        await pilot.click("#graph", offset=(border, border))
        assert screen.selected == key
        assert f"Selected {key}" in panel_text(screen)

    drive("shopping_oranges", body, size=(120, 60))


def test_groups_toggle_keeps_the_position_and_the_selection(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        assert screen.lesson.view == "expanded"
        await pilot.press("f")
        await pilot.press("g")
        assert screen.lesson.view == "groups"
        assert screen.k == screen.lesson.forward_end == 1
        await pilot.press("g")
        assert screen.lesson.view == "expanded"
        assert screen.k == screen.lesson.forward_end
        await pilot.press("right")  # the first backward step: the reciprocal node y
        await pilot.press("g")
        assert screen.lesson.position(screen.k).phase == "backward"
        assert screen.lesson.step(screen.k).node == "y"
        assert "groups view" in str(screen.query_one("#progress").render())
        # a primitive node selected in the expanded view becomes its group
        await pilot.press("g")
        await select(pilot, "y.exp1")
        await pilot.press("g")
        assert screen.selected == "y"
        await pilot.press("end")
        assert screen.k == screen.lesson.last == 2

    drive("sigmoid_expanded", body)


# -- editing ---------------------------------------------------------------------------------


def test_editing_apple_recomputes_and_explains_the_prediction(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await select(pilot, "apple")
        await pilot.press("e")
        dialog = pilot.app.screen
        assert isinstance(dialog, EditScreen)
        assert dialog.query_one("#value", Input).value == "100"
        await type_answer(pilot, "200")  # the old value is selected: typing replaces it
        assert pilot.app.screen is screen
        assert screen.lesson.trace.output_value == pytest.approx(440)
        assert screen.lesson.trace.value("apple") == 200
        text = panel_text(screen)
        assert "Edited apple: 100 → 200" in text
        assert "2.2 × 100 = 220" in text
        assert "220 → 440" in text
        assert "Exact" in text
        await pilot.press("end")
        assert "∂220" in box_lines(screen, "apple_count")  # apple × tax = 200 × 1.1
        assert "440" in box_lines(screen, "price")

    drive("shopping", body)


def test_edit_rejects_text_and_escape_cancels(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await select(pilot, "tax")
        await pilot.press("e")
        await type_answer(pilot, "abc")
        assert isinstance(pilot.app.screen, EditScreen)
        assert "Not a number" in str(pilot.app.screen.query_one("#dialog-hint").render())
        await pilot.press("escape")
        assert pilot.app.screen is screen
        assert screen.lesson.overrides == {}

    drive("shopping", body)


def test_values_table_follows_the_step(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("v")
        table = screen.query_one("#values", DataTable)
        assert table.display
        rows = {table.get_row_at(i)[0]: table.get_row_at(i) for i in range(table.row_count)}
        assert set(rows) == set(screen.scenario.named)
        assert rows["price"][2:] == ["·", "·"]  # nothing computed at step 0
        await pilot.press("end")
        rows = {table.get_row_at(i)[0]: table.get_row_at(i) for i in range(table.row_count)}
        assert rows["price"][2:] == ["715", "1"]
        assert rows["tax"][2:] == ["1.1", "650"]
        assert rows["orange_count"][3] == "165"
        await pilot.press("v")
        assert not table.display

    drive("shopping_oranges", body)


def test_escape_goes_back_to_the_picker(drive) -> None:
    async def body(pilot: Pilot) -> None:
        lesson_screen(pilot)
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, PickerScreen)
        await pilot.press("enter")
        assert lesson_screen(pilot).scenario.name == SCENARIOS[0]

    drive("two_paths", body)


@pytest.mark.parametrize("mode_key", ["2", "3", "4", "5"])
def test_escape_leaves_a_mode_first_and_the_footer_offers_the_way_back(drive, mode_key: str) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        shown = lambda: {k for k, a in screen.active_bindings.items() if a.binding.show and a.enabled}  # noqa: E731
        assert "1" not in shown()  # in step mode there is nowhere to go back to
        await pilot.press(mode_key)
        assert screen.mode.name != "step" and "1" in shown()
        if isinstance(screen.focused, Input):
            await pilot.press("escape")  # the answer box takes the first Esc
        await pilot.press("escape")
        assert pilot.app.screen is screen and screen.mode.name == "step"
        assert "1" not in shown()
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, PickerScreen)

    drive("two_paths", body)


# -- help, picker, errors, size ------------------------------------------------------------------

KEY_SHOWN = {"right": "→", "left": "←", "up": "↑", "down": "↓", "home": "Home", "end": "End", "tab": "Tab",
             "shift+tab": "Shift+Tab", "question_mark": "?", "escape": "Esc", "pageup": "PgUp", "pagedown": "PgDn",
             "shift+left": "Shift+←", "shift+right": "Shift+→", "shift+up": "Shift+↑", "shift+down": "Shift+↓",
             "plus": "+", "minus": "-", "equals_sign": "=", "left_square_bracket": "[", "right_square_bracket": "]"}


def test_help_lists_every_lesson_key_and_escape_closes_it(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("question_mark")
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        from rich.console import Console

        console = Console(width=120, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
        console.print(help_screen.query_one("#help").children[0].content)
        rows = console.export_text().splitlines()
        graph = screen.query_one(GraphView)
        for binding in LessonScreen.BINDINGS + GraphView.BINDINGS:
            keys = ", ".join(KEY_SHOWN.get(k, k) for k in binding.key.split(","))
            assert binding.tooltip, binding.key
            assert any(row.strip().startswith(keys + " ") and binding.tooltip in row for row in rows), keys
            action = binding.action.split("(")[0]
            owner = graph if binding in GraphView.BINDINGS else screen
            target = pilot.app if action.startswith("app.") else owner
            assert hasattr(target, "action_" + action.removeprefix("app.")), action
        await pilot.press("escape")
        assert pilot.app.screen is screen

    drive("shopping", body)


def test_picker_lists_every_builtin_and_enter_opens_the_first(drive) -> None:
    async def body(pilot: Pilot) -> None:
        picker = pilot.app.screen
        assert isinstance(picker, PickerScreen)
        options = picker.query_one("#scenarios", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == SCENARIOS
        await pilot.press("enter")
        screen = lesson_screen(pilot)
        assert screen.scenario.name == SCENARIOS[0]
        await pilot.press("escape")
        assert pilot.app.screen is picker
        await pilot.press("down", "enter")
        assert lesson_screen(pilot).scenario.name == SCENARIOS[1]

    drive(None, body)


def test_a_bad_file_shows_the_error_screen_and_escape_goes_to_the_picker(drive, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("inputs:\n  a: 1\nnodes:\n  b: a +* 2\noutput: b\n", encoding="utf-8")

    async def body(pilot: Pilot) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, ErrorScreen)
        location = str(screen.query_one("#error-location").render())
        assert location.startswith("bad.yaml:4:9: error:"), location
        assert str(screen.query_one("#error-hint").render()).startswith("hint:")
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, PickerScreen)
        assert len(pilot.app.screen_stack) == 2

    drive("bad.yaml", body)


def test_an_unknown_scenario_name_shows_the_error_screen(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, ErrorScreen)
        assert "did you mean 'shopping'?" in str(screen.query_one("#error-hint").render())

    drive("shoping", body)


def test_too_small_window_shows_a_message_and_keeps_the_position(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("right", "right", "right")
        assert not screen.has_class("too-small")
        assert not screen.query_one("#too-small").display
        await pilot.resize_terminal(50, 15)
        await pilot.pause()  # the resize reaches the screen on a later tick when the machine is busy
        assert screen.has_class("too-small")
        assert screen.query_one("#too-small").display
        assert not screen.query_one("#main").display
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert not screen.has_class("too-small")
        assert not screen.query_one("#too-small").display
        assert screen.query_one("#main").display
        assert screen.k == 3

    drive("shopping_oranges", body)


# -- quiz --------------------------------------------------------------------------------------------

SHOPPING_BACKWARD = {
    ("local", "price", "apple_price"): "1.1",
    ("grad", "price", "apple_price"): "1.1",
    ("local", "price", "tax"): "200",
    ("grad", "price", "tax"): "200",
    ("local", "apple_price", "apple"): "2",
    ("grad", "apple_price", "apple"): "2.2",
    ("local", "apple_price", "apple_count"): "100",
    ("grad", "apple_price", "apple_count"): "110",
}
"""The published answers for the apples example, by (question kind, node, input)."""


def test_quiz_right_answer_reveals_the_step(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("2")
        assert screen.mode.name == "quiz"
        assert "[quiz]" in str(screen.query_one("#progress").render())
        await pilot.press("right")
        answer = screen.query_one("#answer", Input)
        assert screen.k == 0 and answer.display and pilot.app.focused is answer
        assert "What is the value of apple_price" in panel_text(screen)
        # The status bar shows the step asked about, not the one before it.
        assert "step 1 of 4, question 1 of 1" in str(screen.query_one("#progress").render())
        await type_answer(pilot, "200")
        assert "✓ Right" in panel_text(screen) and "Press Enter to show step 1." in panel_text(screen)
        assert screen.k == 0 and answer.display and pilot.app.focused is answer
        await pilot.press("enter")
        assert screen.k == 1
        assert not answer.display
        assert screen.modes["quiz"].session.scores["forward"].right == 1 and screen.modes["quiz"].session.scores["forward"].asked == 1
        assert "✓ Right" not in panel_text(screen)

    drive("shopping", body)


def test_quiz_wrong_then_right(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("2", "right")
        await type_answer(pilot, "150")
        assert screen.k == 0
        assert "Not quite (150)" in panel_text(screen)
        assert "100 × 2" in panel_text(screen)  # the hint
        await type_answer(pilot, "2*100")  # small arithmetic is accepted
        assert "Not quite" not in panel_text(screen)
        await pilot.press("enter")
        assert screen.k == 1
        assert screen.modes["quiz"].session.scores["forward"].after_hint == 1
        assert screen.modes["quiz"].session.missed == []

    drive("shopping", body)


def test_quiz_wrong_twice_reveals_and_keeps_the_keyboard(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("2", "right")
        await type_answer(pilot, "1")
        await type_answer(pilot, "2")
        assert "The answer is 200" in panel_text(screen)
        answer = screen.query_one("#answer", Input)
        assert screen.k == 0 and answer.display and pilot.app.focused is answer
        await pilot.press("q", "6")  # typed on: they go to the box, not to Quit or the training mode
        assert pilot.app.screen is screen and screen.mode.name == "quiz" and answer.value == "q6"
        await pilot.press("enter")
        assert screen.k == 1
        assert [(q.k, q.node, q.kind) for q in screen.modes["quiz"].session.missed] == [(1, "apple_price", "value")]
        assert screen.modes["quiz"].session.scores["forward"].revealed == 1

    drive("shopping", body)


def test_quiz_feedback_is_cleared_when_the_next_question_appears(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("2", "f", "right")  # from the end of the forward pass: price's questions
        quiz = screen.modes["quiz"]
        assert quiz.pending[0].input == "apple_price" and quiz.pending[0].kind == "local"
        await type_answer(pilot, "200")
        assert "Not quite (200)" in panel_text(screen)
        await type_answer(pilot, "1.1")
        await pilot.press("enter")
        assert quiz.pending[0].kind == "grad"
        text = panel_text(screen)
        assert "Not quite" not in text and "✓" not in text and "1.1" not in text.split("?")[1]
        assert "question 2 of 4" in str(screen.query_one("#progress").render())

    drive("shopping", body)


def test_quiz_invalid_text_does_not_cost_a_try(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("2", "right")
        await type_answer(pilot, "abc")
        assert "Could not read that" in panel_text(screen)
        await type_answer(pilot, "1")
        assert screen.k == 0  # still one try left
        await type_answer(pilot, "200")
        await pilot.press("enter")
        assert screen.k == 1 and screen.modes["quiz"].session.missed == []

    drive("shopping", body)


def test_quiz_scores_each_phase_and_sums_up_at_the_end(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("2", "right")
        await type_answer(pilot, "200")
        await pilot.press("enter", "right")
        await type_answer(pilot, "1")
        await type_answer(pilot, "2")  # price: missed
        await pilot.press("enter")
        retried = False
        while screen.k < screen.lesson.last:
            await pilot.press("right")
            while screen.modes["quiz"].pending:
                q = screen.modes["quiz"].pending[0]
                if not retried:
                    await type_answer(pilot, "0.5")  # one wrong try in the backward pass, then right
                    retried = True
                await type_answer(pilot, SHOPPING_BACKWARD[(q.kind, q.node, q.input)])
                await pilot.press("enter")
        assert screen.k == screen.lesson.last
        forward, backward = screen.modes["quiz"].session.scores["forward"], screen.modes["quiz"].session.scores["backward"]
        assert (forward.right, forward.asked) == (1, 2)
        assert (backward.right, backward.asked) == (8, 8)
        text = panel_text(screen)
        assert (forward.first_try, forward.after_hint, forward.revealed) == (1, 0, 1)
        assert (backward.first_try, backward.after_hint, backward.revealed) == (7, 1, 0)
        assert (
            "Quiz finished. forward: 1 of 2 right first time, 0 after the hint, 1 revealed; "
            "backward: 7 of 8 right first time, 1 after the hint, 0 revealed; revealed: step 2 price (value)"
        ) in text

    drive("shopping", body)


def test_escape_ends_the_quiz_with_the_score_so_far_and_keeps_the_position(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("2", "right")
        await type_answer(pilot, "200")
        await pilot.press("enter", "right")
        assert screen.modes["quiz"].pending
        await pilot.press("escape")
        assert pilot.app.screen is screen
        assert screen.k == 1
        assert screen.mode.name == "step"
        assert not screen.modes["quiz"].pending
        assert not screen.query_one("#answer").display
        assert "Quiz ended. forward: 1 of 1 right first time, 0 after the hint, 0 revealed" in panel_text(screen)
        await pilot.press("right")  # step mode again: no question
        assert screen.k == 2
        assert "Quiz ended" not in panel_text(screen)

    drive("shopping", body)


# -- forward mode, paths, numeric check, training ---------------------------------------------------


def test_forward_mode_on_two_paths_for_b(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("3")
        assert screen.mode.name == "forward" and screen.mode.walk.leaf == "a"
        await select(pilot, "b")  # choosing another leaf restarts the walk for it
        assert screen.mode.walk.leaf == "b" and screen.mode.index == 0
        for j in range(1, len(screen.mode.walk)):
            await pilot.press("right")
            assert screen.mode.index == j
        await pilot.press("right")
        assert screen.mode.index == len(screen.mode.walk) - 1
        assert screen.mode.walk.frames[-1].grads["e"] == pytest.approx(5)
        assert "de/db = 5" in panel_text(screen)  # a tangent: d, not reverse mode's ∂
        assert "ṫ5" in box_lines(screen, "e")
        await pilot.press("home")
        assert screen.mode.index == 0

    drive("two_paths", body)


def test_paths_on_two_paths_for_b(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await select(pilot, "b")
        await pilot.press("4")
        assert screen.mode.name == "paths"
        routes = screen.mode.routes
        assert len(routes) == 2
        assert sorted(r.product for r in routes) == pytest.approx([2, 3])
        text = panel_text(screen)
        assert "2 paths" in text
        assert "Sum over paths:" in text and "= 5" in text
        first = screen_state(screen)
        await pilot.press("right")
        assert screen.mode.index == 1
        assert screen_state(screen)[0] != first[0]  # the other path is highlighted
        await pilot.press("right")
        assert screen.mode.index == 0

    drive("two_paths", body)


def test_numeric_check_has_a_row_per_leaf(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("5")
        table = screen.query_one("#check-table", DataTable)
        assert table.display
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert [row[0] for row in rows] == list(screen.scenario.leaves)
        by_leaf = {row[0]: row for row in rows}
        assert by_leaf["tax"][1] == "650"
        assert by_leaf["apple"][1] == "2.2"
        assert all(float(row[3]) < 1e-6 for row in rows)
        await pilot.press("1")
        assert not table.display

    drive("shopping_oranges", body)


def test_training_lowers_the_loss_and_reset_restores_the_file(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        start = screen.lesson.leaf_values()
        file_loss = screen.lesson.trace.output_value
        await pilot.press("6", "t")
        assert screen.mode.name == "train"
        assert len(screen.modes["train"].losses) == 2 and screen.modes["train"].losses[1] < screen.modes["train"].losses[0]
        assert screen.modes["train"].losses[0] == pytest.approx(file_loss)
        after = screen.lesson.leaf_values()
        changed = {name for name in screen.scenario.params if after[name] != start[name]}
        assert changed == set(screen.scenario.params)
        assert all(after[name] == start[name] for name in screen.scenario.inputs)
        assert "(lower)" in panel_text(screen)
        assert screen.query_one("#loss-plot").display
        await pilot.press("T")
        for _ in range(100):
            if not screen.running:
                break
            await pilot.pause(0.05)
        assert not screen.running
        assert len(screen.modes["train"].losses) == 2 + 50
        assert screen.modes["train"].losses[-1] < screen.modes["train"].losses[1]
        await pilot.press("r")
        assert screen.lesson.leaf_values() == start
        assert screen.modes["train"].losses == []
        assert screen.lesson.trace.output_value == file_loss

    drive("tiny_net", body)


def test_training_without_params_says_so(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("6")
        assert screen.mode.name == "step"
        await pilot.press("t")
        assert screen.modes["train"].losses == []

    drive("shopping", body)


# -- watching the file ------------------------------------------------------------------------------

WATCHED = """\
title: Watched
inputs:
  a: 2
  b: 1
nodes:
  c: a + b
  d: b + 1
  e: c * d
output: e
"""


def touch_later(path: Path, seconds: int) -> None:
    """Move the mtime forward so a change in the same second is still seen."""
    stat = os.stat(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + seconds * 1_000_000_000))


def test_watch_keeps_the_last_good_graph_on_errors_and_reloads_on_fix(drive, tmp_path: Path) -> None:
    path = tmp_path / "watched.yaml"
    path.write_text(WATCHED, encoding="utf-8")

    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        assert not any(banner.display for banner in screen.query("#watch-error"))
        await pilot.press("right", "right")
        assert screen.k == 2
        graph = screen.query_one(GraphView)
        lesson, rows, level = screen.lesson, graph_text(screen), graph.level

        path.write_text(WATCHED.replace("  b: 1\n", "  b: [1\n"), encoding="utf-8")
        touch_later(path, 2)
        await screen.check_file()
        await pilot.pause()
        banner = screen.query_one("#watch-error")
        assert banner.display
        # The [ left open on line 4: reported where its ] belongs, not at the next key's colon.
        assert f"{path}:4:8: error: YAML syntax error: the [ at line 4, column 6 is never closed" in str(banner.render())
        assert screen.lesson is lesson
        # The banner takes rows from the graph, which may refit denser: zoom back to compare.
        graph.zoomed = level
        graph._relayout()
        assert graph_text(screen) == rows
        graph.action_zoom_fit()
        assert screen.k == 2

        path.write_text(WATCHED.replace("a: 2", "a: 5"), encoding="utf-8")
        touch_later(path, 4)
        for _ in range(40):  # the 0.3 s interval picks the change up
            if screen.lesson is not lesson:
                break
            await pilot.pause(0.05)
        assert not banner.display
        assert screen.lesson.trace.output_value == pytest.approx(12)  # (5 + 1) · (1 + 1)
        assert screen.k == 2
        assert "6" in box_lines(screen, "c")  # 5 + 1, drawn at the kept position
        assert "d = b + 1 = 1 + 1 = 2" in panel_text(screen)

    drive(str(path), body, watch=True)


def test_escape_closes_the_values_table_before_leaving_the_lesson(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("v")
        table = screen.query_one("#values")
        assert table.display
        await pilot.press("escape")
        assert pilot.app.screen is screen and not table.display
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, PickerScreen)

    drive("shopping", body, size=(80, 24))


def test_a_warning_repeated_by_a_key_pressed_twice_is_shown_once(drive, monkeypatch) -> None:
    from textual.app import App

    shown: list[str] = []
    textual_notify = App.notify
    def notify(self, message, **options):  # noqa: ANN001, ANN202
        shown.append(message)
        textual_notify(self, message, **options)

    monkeypatch.setattr(App, "notify", notify)

    async def body(pilot: Pilot) -> None:
        await pilot.press("t", "t", "t")  # shopping has no params: training is unavailable
        await pilot.pause()
        assert shown == ["This scenario has no params to train (tiny_net has)."]

    drive("shopping", body, size=(80, 24))
