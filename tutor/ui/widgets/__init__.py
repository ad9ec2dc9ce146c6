"""Widgets of the tutor app: the graph, the step panel, the progress line."""
