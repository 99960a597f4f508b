"""What every command shares: exit codes, output streams, error messages, progress, choosing a spec."""

from __future__ import annotations

import errno
import io
import os
import sys
import time
from contextlib import ExitStack
from typing import BinaryIO, NoReturn, TextIO, TypeVar, cast

import click

from govspec.check.verdict import FAILED, INCOMPLETE
from govspec.errors import GovspecError
from govspec.io.writers import atomic_text, check_outputs, write_atomic
from govspec.present.summary import Summary
from govspec.spec import loader
from govspec.spec.compiler import CompiledSpec

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_UNREADABLE, EXIT_INCOMPLETE = 0, 1, 2, 3, 4
PROGRESS_EVERY = 500
PROGRESS_SECONDS = 1.0
T = TypeVar("T")


def template_version_option(help_text: str):
    """``--template-version V`` — the template's version, not govspec's and not the report year.  The older
    spelling ``--version V`` still works (hidden, with a note on standard error): it shadowed the habit of
    ``--version`` as the program's version, which ``govspec --version`` gives."""
    def older(ctx: click.Context, _param, value):
        if value is not None:
            click.echo("govspec: --version V is now --template-version V (the old spelling still works)", err=True)
            ctx.meta["govspec.older_version"] = value
        return value

    def chosen(ctx: click.Context, _param, value):
        return value if value is not None else ctx.meta.get("govspec.older_version")

    def decorate(command):
        command = click.option("--version", "older_version", metavar="V", hidden=True, expose_value=False,
                               callback=older, is_eager=True)(command)
        return click.option("--template-version", "version", metavar="V", help=help_text, callback=chosen)(command)
    return decorate


output_option = click.option("-o", "--output", metavar="FILE",
                             help="Write here (atomically, never over an input) instead of standard output.")


def emit(text: str, output: str | None = None, inputs: tuple = ()) -> None:
    """Text to standard output, or to ``output`` (``-o FILE``) atomically, never over an input."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    write_output((text if text.endswith("\n") else text + "\n").encode("utf-8"), output, inputs)


def output_stream(stack: ExitStack, output: str | None, inputs: tuple = ()) -> TextIO:
    """Where a streamed output goes: standard output, or ``output`` written atomically when the block ends
    (never over an input, never half written); gathered (:class:`Gathered`) unless it is a terminal."""
    if output is None:
        out = stdout(by_line=False)
        stack.callback(out.flush)  # here, where a full disk or a reader that went away is told (not at exit)
    else:
        try:
            check_outputs([output], inputs)
            out = stack.enter_context(atomic_text(output))
        except GovspecError as error:
            fail(error)
        except OSError as exc:
            cannot_write(exc, output)
    if out.isatty():
        return out  # a terminal shows each report as it is written
    gathered = Gathered(out, binary=raw_utf8(out, translates=output is None))
    stack.callback(gathered.flush)  # before the stream is flushed, or the file put in place (the stack unwinds)
    return cast(TextIO, gathered)


GATHER = 1 << 16  # characters of a streamed output written at a time


def raw_utf8(out: TextIO, translates: bool) -> BinaryIO | None:
    """The byte stream under ``out`` when text written to ``out`` reaches it as its UTF-8 bytes, unchanged: ``out``
    encodes in UTF-8 and writes line ends as they are (``translates``: a stream opened without ``newline=""``, whose
    ``\n`` becomes ``os.linesep`` — the same only where that is ``\n``); else None."""
    buffer = getattr(out, "buffer", None)
    encoding = (getattr(out, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    if buffer is None or encoding != "utf8" or (translates and os.linesep != "\n"):
        return None
    out.flush()  # what was written to it before, ahead of what comes to its buffer
    return buffer


class Gathered:
    """A text stream written to ``out`` a group at a time: a writer of a batch writes each report's entry, and each
    write to a text stream costs some µs (encoding it, and a system call when Python runs unbuffered,
    ``PYTHONUNBUFFERED``); the texts are joined and written together, ``size`` characters or more at a time.  Given
    ``binary``, the byte stream under ``out`` (an output in UTF-8 that writes its line ends as they are:
    :func:`raw_utf8`), it encodes the texts itself and takes texts encoded already as they are
    (:meth:`write_encoded`: the entries worker processes wrote, :func:`govspec.check.written.write_texts`)."""

    def __init__(self, out: TextIO, size: int = GATHER, binary: BinaryIO | None = None) -> None:
        self.out, self.size, self.binary = out, size, binary
        self.errors = getattr(out, "errors", None) or "strict"
        self._parts: list = []  # texts, or (binary) bytes
        self._held = 0

    def write(self, text: str) -> int:
        self._parts.append(text if self.binary is None else text.encode("utf-8", self.errors))
        self._held += len(text)
        if self._held >= self.size:
            self.flush()
        return len(text)

    def write_encoded(self, data: bytes) -> None:
        """Text already in UTF-8, written as it is (decoded to be written as text, when there is no ``binary``)."""
        if self.binary is None:
            self.write(data.decode("utf-8"))
            return
        self._parts.append(data)
        self._held += len(data)
        if self._held >= self.size:
            self.flush()

    def flush(self) -> None:
        """What is gathered, written to ``out`` (not flushed: ``out`` is flushed when the output is done)."""
        if self._parts:
            parts, self._parts, self._held = self._parts, [], 0
            if self.binary is None:
                self.out.write("".join(parts))
                return
            data = memoryview(b"".join(parts))
            while data:  # all of it: a stream without a buffer (PYTHONUNBUFFERED) may take a part of a write
                written = self.binary.write(data)
                if written is None:  # a stream that would block (set so by another program): not written, said so
                    raise BlockingIOError(errno.EAGAIN, "the output would block")
                data = data[written:]

    def isatty(self) -> bool:
        return False


def _remember_lang(ctx: click.Context, _param, value: str) -> str:
    ctx.meta["govspec.lang"] = value  # shared by the group's context: its messages follow the command's --lang
    return value


lang_option = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                           is_eager=True, callback=_remember_lang, help="Language of the output (中文 by default).")
# For commands whose output is data (JSON, CSV, a workbook): the language of their messages only.
messages_lang_option = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                                    is_eager=True, expose_value=False, callback=_remember_lang,
                                    help="Language of messages (中文 by default).")


def chosen_lang() -> str:
    """The ``--lang`` of the command running (Chinese when it has none, or before it is known)."""
    context = click.get_current_context(silent=True)
    return context.meta.get("govspec.lang", "zh") if context else "zh"


def fail(error: GovspecError) -> NoReturn:
    """Say what could not be read or written, in the command's ``--lang`` (Chinese by default), and exit."""
    lang = chosen_lang()
    click.echo(f"govspec: {error.text(lang)}", err=True)
    sys.exit(error.exit_code)


def cannot_write(exc: OSError, output: str) -> NoReturn:
    """A full disk, a folder that cannot be written: the message and exit 3."""
    fail(GovspecError(f"cannot write: {exc.strerror}", zh=f"无法写入（{exc.strerror}）", source=output))


def stdout(by_line: bool = True) -> TextIO:
    """Standard output as text: in the encoding ``PYTHONIOENCODING`` names, or the console's when it is a
    terminal (a Chinese Windows console in code page 936 gets GBK), what it cannot show escaped
    (``\\u2713``), never a crash; UTF-8 into pipes and files, whatever the locale says.  A terminal is written
    line by line; so is a pipe or a file unless ``by_line`` is False: then a buffer at a time (not one system call
    per report of a batch), for an output whose writer flushes it when done (:func:`output_stream`)."""
    stream = click.get_text_stream("stdout")
    buffer = getattr(stream, "buffer", None)
    encoding = getattr(stream, "encoding", "") or ""
    terminal = stream.isatty()
    if buffer is None:
        return stream
    if encoding.lower().replace("-", "") == "utf8":  # click's stream, or the same bytes a buffer at a time
        return stream if terminal or by_line else _Stdout(buffer, encoding=encoding, errors=stream.errors,
                                                          write_through=True)
    if os.environ.get("PYTHONIOENCODING") or terminal:
        return _Stdout(buffer, encoding=encoding, errors="backslashreplace", newline="",
                       line_buffering=by_line or terminal, write_through=True)
    return _Stdout(buffer, encoding="utf-8", newline="", line_buffering=by_line, write_through=True)


class _Stdout(io.TextIOWrapper):
    """Text written straight to standard output's buffer, which it leaves open when it is collected."""

    def __del__(self) -> None:
        try:
            self.detach()
        except (ValueError, OSError):  # detached already, or the reader went away (its flush fails)
            pass


class Progress:
    """The count of reports read so far, on stderr when it is a terminal: every 500 reports, or every
    second when reports come slowly (a folder of PDFs).  Called by the batch as it reads each report."""

    def __init__(self) -> None:
        self.err = click.get_text_stream("stderr")
        self.live = self.err.isatty()
        self.count = self.shown = 0
        self.last = time.monotonic()

    def __call__(self, count: int) -> None:
        self.count = count
        if not self.live:
            return
        now = time.monotonic()
        if count % PROGRESS_EVERY == 0 or now - self.last >= PROGRESS_SECONDS:
            self.err.write(f"\r… {count}")
            self.err.flush()
            self.shown, self.last = count, now

    def done(self) -> None:
        if self.live and self.shown:
            self.err.write(f"\r… {self.count}\n")
            self.err.flush()


def verdict_exit(summary: Summary) -> NoReturn:
    """Exit with the batch's code: unreadable (3) > failed (1) > incomplete (4) > passed (0)."""
    if summary.unreadable:
        sys.exit(EXIT_UNREADABLE)
    sys.exit({FAILED: EXIT_INVALID, INCOMPLETE: EXIT_INCOMPLETE}.get(summary.verdict, EXIT_OK))


def _jobs(_ctx: click.Context, _param, value: str) -> int:
    if value == "auto":
        from govspec.check.parallel import default_jobs
        return default_jobs()
    if not (value.isascii() and value.isdigit()) or int(value) < 1:  # '²' is a digit int() refuses
        raise click.BadParameter(f"a number of processes (1, 2, …) or auto, not {value!r}")
    return int(value)


jobs_option = click.option("-j", "--jobs", default="auto", show_default=True, callback=_jobs, metavar="N|auto",
                           help="Worker processes for a large batch (auto: this machine's cores; small batches "
                                "stay in one process). The results and their order do not depend on it.")


STRICT_BLANKS_HELP = ("Count checks skipped for blank cells (on_blank: skip) as not evaluated: such a report is "
                      "incomplete, not passed.")


def write_output(data: bytes, output: str | None, inputs: tuple = (), what: str = "the file") -> None:
    """Write a binary document to ``output`` atomically (never over an input), or to standard output when it
    is not a terminal; a terminal gets a usage error asking for ``-o FILE``."""
    if output is None:
        stream = click.get_binary_stream("stdout")
        if stream.isatty():
            raise click.UsageError(f"{what} is binary: give -o FILE")
        stream.write(data)
        stream.flush()
        return
    try:
        check_outputs([output], inputs)
    except GovspecError as error:
        fail(error)
    try:
        write_atomic(output, data)
    except OSError as exc:
        cannot_write(exc, output)


def spec_or_fail(ref: str, version: str | None = None) -> CompiledSpec:
    """The spec ``ref`` (ID, ID@VERSION or a file) means, the newest version by default; or exit 3."""
    try:
        return loader.load(ref, version, newest=True).spec
    except GovspecError as error:
        fail(error)


scheduler_option = click.option(
    "--scheduler", metavar="ADDRESS",
    help="Run the batch on a Dask cluster (tcp://host:8786; needs govspec[dask]): the same results as here.")


def executor_for(stack: ExitStack, scheduler: str | None):
    """The Dask executor for ``--scheduler`` (closed when ``stack`` ends), or None; exit 3 when it cannot be had."""
    if scheduler is None:
        return None
    from govspec.dask import executor
    try:
        return stack.enter_context(executor(scheduler))
    except GovspecError as error:
        fail(error)
