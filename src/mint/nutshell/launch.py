"""Starts nutshell's mint (the `mint` entry point) and ends it when meltcheck goes away.

meltcheck holds this process's stdin open; when meltcheck exits, however it exits (SIGKILL included), the pipe
closes and this process ends at once: no nutshell outlives the run that started it.
"""
import os
import sys
import threading


def watch_parent() -> None:
    sys.stdin.buffer.read()
    os._exit(0)


threading.Thread(target=watch_parent, daemon=True).start()

from cashu.mint.main import main  # noqa: E402

sys.argv = ["mint"]
main()
