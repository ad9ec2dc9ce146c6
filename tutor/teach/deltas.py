"""Moved: the network as lessons speak of it is ``tutor.teach.lesson.network``."""

from tutor.teach.lesson.network import delta_name, network_of  # noqa: F401
