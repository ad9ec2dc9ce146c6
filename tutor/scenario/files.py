"""Reading a file the way the loader must: regular files only, never more than a limit.

A FIFO put where a scenario or a CSV file should be would block the read
forever, and ``/dev/zero`` never ends; so the path is checked with ``stat``
before it is opened, opened without blocking, checked again on the open
descriptor (a file swapped in between), and read up to the limit + 1 bytes.
"""

from __future__ import annotations

import os
import stat


class NotReadable(Exception):
    """Why a file was not read, as words for an error message (``is a directory``)."""


def describe(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a directory"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    return "is not a regular file"


def read_limited(path: str, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of the regular file ``path`` (more than ``limit`` means too large).

    Raises ``NotReadable`` for anything else: missing, a directory, a FIFO,
    a device, no permission, a NUL in the path.
    """
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise NotReadable(describe(mode))
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        try:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                raise NotReadable(describe(mode))
            chunks: list[bytes] = []
            size = 0
            while size <= limit:
                chunk = os.read(fd, limit + 1 - size)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        finally:
            os.close(fd)
    except OSError as exc:
        raise NotReadable(f"cannot read file: {exc.strerror or exc}") from None
    except ValueError as exc:  # a NUL in the path
        raise NotReadable(f"cannot read file: {exc}") from None
    return b"".join(chunks)
