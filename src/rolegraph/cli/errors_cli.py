"""The command line's one error path: every failure ends as one ``Error: ...`` line and an exit code.

Exit status: 0 success; 1 violations (``validate``); 2 unusable input, or output that cannot be
written (a full disk, a file-size limit); 130 Ctrl-C (SIGINT); 143 SIGTERM (129 SIGHUP); 70 an
internal error (a bug: please report it). Usage errors keep click's usage lines. Every message is one
line: controls, bidirectional and invisible characters are escaped and it is cut to
:data:`rolegraph.errors.MESSAGE_LIMIT` characters. No traceback is shown unless ``--debug`` is given
(or ``ROLEGRAPH_DEBUG=1`` is set).

SIGTERM and SIGHUP are turned into an exception like Ctrl-C's, so that ``finally`` blocks run and
temporary files are removed (see :mod:`rolegraph.atomic`).
"""
from __future__ import annotations

import errno
import os
import signal
import sys
import threading
import traceback
from typing import Any, Callable

import click

from ..errors import Interrupted, OutputError, RolegraphError, one_line

DEBUG = bool(os.environ.get("ROLEGRAPH_DEBUG"))
EXIT_INTERNAL = 70   # sysexits.h EX_SOFTWARE

_WRITE_ERRORS = {errno.ENOSPC, errno.EFBIG, errno.EIO, errno.EDQUOT, errno.EROFS, errno.EBADF}


class Terminated(KeyboardInterrupt):
    """Raised in the main thread when SIGTERM or SIGHUP arrives (a KeyboardInterrupt, so that only
    code that handles Ctrl-C catches it)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _raise_terminated(signum, frame):
    raise Terminated(signum)


def _install_signals() -> dict:
    if threading.current_thread() is not threading.main_thread():
        return {}
    old = {}
    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            old[sig] = signal.signal(sig, _raise_terminated)
    return old


def _say(message: str) -> None:
    try:
        click.echo(message, err=True)
    except OSError:
        pass


def _error(exc: BaseException, message: str) -> None:
    if DEBUG:
        traceback.print_exception(exc, file=sys.stderr)
    _say("Error: " + one_line(message))


def _silence_stdout() -> None:
    """Point standard output at /dev/null so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def closed_pipe() -> None:
    """The reader of standard output (or of a pipe given to -o) has gone: end quietly, with success."""
    _silence_stdout()
    sys.exit(0)


def _usage(exc: click.UsageError) -> None:
    ctx = exc.ctx
    if ctx is not None:
        _say(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            _say(f"Try '{ctx.command_path} {ctx.help_option_names[0]}' for help.")
        _say("")
    _error(exc, exc.format_message() + _misplaced(exc))


def _misplaced(exc: click.UsageError) -> str:
    """A hint when an option is unknown where it was given but known one level up or down: ``rolegraph path A B
    --data X`` (an option of rolegraph itself) or ``rolegraph --format json path A B`` (an option of the command).
    """
    if not isinstance(exc, click.NoSuchOption) or exc.ctx is None:
        return ""
    ctx, name = exc.ctx, exc.option_name.split("=", 1)[0]

    def takes(command: click.Command) -> bool:
        return any(name in p.opts or name in p.secondary_opts for p in command.params if isinstance(p, click.Option))

    if ctx.parent is not None and takes(ctx.parent.command):
        return (f" ({name} is an option of rolegraph itself: give it before the command, "
                f"as in rolegraph {name} ... {ctx.info_name} ...)")
    if ctx.parent is None and isinstance(ctx.command, click.Group):
        users = [n for n, c in sorted(ctx.command.commands.items()) if takes(c)]
        if users:
            shown = ", ".join(users[:6]) + (", ..." if len(users) > 6 else "")
            return (f" ({name} is an option of the commands ({shown}), not of rolegraph itself: give it after the "
                    "command's name)")
    return ""


def _interrupted(exc: BaseException) -> int:
    cause = exc if isinstance(exc, KeyboardInterrupt) else (exc.__cause__ or exc.__context__)
    signum = getattr(cause, "signum", signal.SIGINT)
    err = Interrupted(signum)
    _error(exc, str(err))
    return err.exit_code


def run_guarded(call: Callable[[], Any], group=None) -> None:
    """Run the click command *call* (in non-standalone mode) and exit with the documented status."""
    global DEBUG
    DEBUG = bool(os.environ.get("ROLEGRAPH_DEBUG"))   # the --debug option sets it again for this run
    old = _install_signals()
    code: Any = 0
    try:
        try:
            rv = call()
            code = rv if isinstance(rv, int) else 0
        except SystemExit as exc:
            code = exc.code
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _silence_stdout()
        except OSError as exc:
            _silence_stdout()
            _error(exc, f"cannot write the output ({exc.strerror or exc})")
            code = OutputError.exit_code
    except click.Abort as exc:            # click turns Ctrl-C (and our SIGTERM) into Abort
        _silence_stdout()
        code = _interrupted(exc)
    except KeyboardInterrupt as exc:
        _silence_stdout()
        code = _interrupted(exc)
    except click.UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":   # bare `rolegraph`: the help, as click shows it
            _say(exc.format_message())
        else:
            _usage(exc)
        code = exc.exit_code
    except click.ClickException as exc:
        _error(exc, exc.format_message())
        code = 2
    except RolegraphError as exc:
        _error(exc, str(exc))
        code = exc.exit_code
    except BrokenPipeError:               # `rolegraph roles | head`: the reader has what it wanted
        _silence_stdout()
        code = 0
    except OSError as exc:
        if exc.errno in _WRITE_ERRORS and exc.filename is None:
            _silence_stdout()
            _error(exc, f"cannot write the output ({exc.strerror or exc})")
        else:
            where = f"{os.fsdecode(exc.filename)}: " if exc.filename is not None else ""
            _error(exc, f"{where}{exc.strerror or exc}")
        code = 2
    except MemoryError as exc:
        _error(exc, "out of memory (the input is too large)")
        code = 2
    except RecursionError as exc:
        _error(exc, "the input is nested too deeply to process")
        code = 2
    except Exception as exc:  # a bug: say so in one line, show the traceback with --debug
        _error(exc, f"internal error: {type(exc).__name__}: {exc} "
                    "(run again with --debug for the traceback, and please report it)")
        code = EXIT_INTERNAL
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
    if code is None:
        code = 0
    elif not isinstance(code, int):   # sys.exit("message")
        _say("Error: " + one_line(str(code)))
        code = 2
    sys.exit(code)
