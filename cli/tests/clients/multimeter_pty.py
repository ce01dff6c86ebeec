"""Runs the real screeps-multimeter (a terminal UI) under a pseudo-terminal against a shard:
waits until the bot's console output shows, types a console command, and waits for its
result. Prints JSON: what was seen.

Usage: python3 multimeter_pty.py MULTIMETER_BIN CONFIG_YAML BOT_LINE COMMAND EXPECTED_RESULT
"""
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time

# Escape sequences: CSI, OSC (titles), charset selection, keypad modes, cursor save/restore.
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]|\x1b[=>78]")


def plain(data):
    """The screen's text without escapes or whitespace: blessed moves the cursor over blank
    cells instead of writing spaces."""
    return re.sub(rb"\s+", b"", ANSI.sub(b"", data))


def main():
    binary, config, bot_line, command, expected = sys.argv[1:6]
    env = dict(os.environ, SCREEPS_CONFIG=config, TERM="xterm", COLUMNS="160", LINES="50")
    pid, fd = pty.fork()
    if pid == 0:
        # A terminal of a real size: blessed lays its widgets out by it.
        fcntl.ioctl(sys.stdout.fileno(), termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))
        os.execvpe("node", ["node", binary], env)
    seen = b""
    result = {"bot_line": False, "result": False, "exited": None}

    def pump(seconds, pattern):
        nonlocal seen
        deadline = time.time() + seconds
        while time.time() < deadline:
            r, _, _ = select.select([fd], [], [], 0.2)
            if r:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    return False
                if not chunk:
                    return False
                seen += chunk
                if re.sub(rb"\s+", b"", pattern.encode()) in plain(seen):
                    return True
        return False

    result["bot_line"] = pump(30, bot_line)
    if result["bot_line"]:
        for ch in command:
            os.write(fd, ch.encode())
            time.sleep(0.02)
        os.write(fd, b"\r")
        result["result"] = pump(20, expected)
    os.kill(pid, signal.SIGTERM)
    try:
        _, status = os.waitpid(pid, 0)
        result["exited"] = status
    except ChildProcessError:
        pass
    if not (result["bot_line"] and result["result"]):
        text = ANSI.sub(b"", seen).decode("utf-8", "replace")
        result["screen_tail"] = text[-3000:]
    print(json.dumps(result))


main()
