"""Files parsed in a child process, so that this one embeds while they are read.

The child imports the parsers (unstructured, spaCy) and reads the files, one core's work that no
longer competes with the embedder for this process's GIL. It never imports torch: spaCy's `thinc`
tries to, for GPU support we do not use (1.5 of the 3 CPU-seconds of importing the parsers). A child
that read a whole batch is kept for this process's next ingest, so only the first one pays for the
imports (`assistant serve` keeps one warm). When a child dies (a parser crash, the OOM killer), or
takes longer than the parse timeout over one file (then it is killed), the file it was reading is
reported as failed and a new child reads the rest: nothing else is lost.
"""

from __future__ import annotations

import atexit
import os
import pickle
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from ingest.discovery import discover
from ingest.reading import Outcome, prepare_reading, read_file, reading_order

READY = "ready"  # the child's first message: it started and reads jobs
# Sent before each file, once the parsers its format needs are imported: the file's parse time starts.
PARSING = "parsing"
MAX_IDLE = 1  # warm children kept between ingests
# `-c` rather than `-m`: the child imports this very checkout of the code, whatever the environment says.
_CHILD_CODE = (
    f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r}); "
    "from ingest.parser_process import serve; serve()"
)


@dataclass
class Preload:
    """A message to the child: import the parsers the files under `paths` need, before a job comes."""

    paths: list[Path]


class ParserStopped(Exception):
    """The child ended before sending every outcome; the message says how it ended."""


class ParseTimedOut(ParserStopped):
    """The child spent longer than the timeout over one file, and was killed."""


class ParserProcess:
    """One child that parses the jobs (lists of files) it is sent, sending one outcome per file, in order."""

    def __init__(self) -> None:
        self.owner = os.getpid()  # a forked copy of this process must not talk to our child
        self._proc = subprocess.Popen(
            [sys.executable, "-c", _CHILD_CODE], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self._started = False
        self._timed_out: float | None = None  # the timeout it was killed for
        self.warm = False  # it waited between ingests, since it read a batch for an earlier one

    @property
    def alive(self) -> bool:
        return self.owner == os.getpid() and self._proc.poll() is None

    def parse(
        self,
        paths: Sequence[Path],
        ocr_languages: str,
        timeout_s: float,
        starting: Callable[[], None] = lambda: None,
    ) -> Iterator[Outcome]:
        """Each file's outcome as it is read; `starting()` when the child starts the next file.
        ParserStopped when the child ends early, ParseTimedOut when a file takes over `timeout_s`."""
        try:
            self._send((list(paths), ocr_languages))
            if not self._started:
                if self._receive() != READY:
                    raise RuntimeError("the parser process sent something else than its start message")
                self._started = True
        except ParserStopped as exc:
            if self._started:
                raise
            raise RuntimeError(f"the parser process could not start ({exc}); its error is above") from exc
        for _ in paths:
            if self._receive() != PARSING:
                raise RuntimeError("the parser process sent an outcome before saying it reads the file")
            starting()
            outcome: Outcome = self._receive_within(timeout_s)
            yield outcome

    def preload(self, paths: list[Path]) -> None:
        """Have the child import the parsers the files under `paths` need; returns at once."""
        self._send(Preload(paths))

    def close(self) -> None:
        """Stop the child now (between files or not) and reap it."""
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        for pipe in (self._proc.stdin, self._proc.stdout):
            if pipe:
                pipe.close()

    def _send(self, job: Any) -> None:
        assert self._proc.stdin is not None
        try:
            pickle.dump(job, self._proc.stdin)
            self._proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise self._stopped() from exc

    def _receive(self) -> Any:
        assert self._proc.stdout is not None
        try:
            return pickle.load(self._proc.stdout)
        except (EOFError, pickle.UnpicklingError, OSError) as exc:
            raise self._stopped() from exc

    def _receive_within(self, timeout_s: float) -> Any:
        """The next message, or ParseTimedOut: a child that has not sent it in `timeout_s` is killed."""
        timer = threading.Timer(min(timeout_s, threading.TIMEOUT_MAX), self._expire, (timeout_s,))
        timer.start()
        try:
            message = self._receive()
        finally:
            timer.cancel()
            timer.join()  # `_expire` has run to its end, or never will
        if self._timed_out is not None:  # it fired as the message came: the child is gone all the same
            raise self._stopped()
        return message

    def _expire(self, timeout_s: float) -> None:
        self._timed_out = timeout_s
        self._proc.kill()

    def _stopped(self) -> ParserStopped:
        """How the child ended (waiting for it to)."""
        code = self._proc.wait()
        if self._timed_out is not None:
            return ParseTimedOut(f"parse timed out after {self._timed_out:g} s")
        if code < 0:
            return ParserStopped(f"killed by {signal.Signals(-code).name}")
        return ParserStopped(f"exit status {code}")


class ParsedFiles:
    """`(position in paths, outcome)` for each file as a child reads it, formats read without
    unstructured first. Leaving the `with` block stops the child unless it read everything; then it
    waits, warm, for the next ingest."""

    def __init__(
        self,
        paths: Sequence[Path],
        ocr_languages: str,
        timeout_s: float,
        reading: Callable[[int], None] = lambda _: None,
    ) -> None:
        self._paths = list(paths)
        self._ocr_languages = ocr_languages
        self.timeout_s = timeout_s  # longer over one file, and the child is killed
        self._reading = reading  # called with a file's position in `paths` when the child starts it
        self._order = reading_order(self._paths)
        self._done = 0  # files of `_order` whose outcome was handed out
        self._worker: ParserProcess | None = None

    def __enter__(self) -> ParsedFiles:
        if self._paths:  # started now: it imports while the caller prepares the index
            self._worker = _checkout()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._worker is None:
            return
        if kind is None and self._done == len(self._order):
            _checkin(self._worker)
        else:
            self._worker.close()
        self._worker = None

    def __iter__(self) -> Iterator[tuple[int, Outcome]]:
        while self._worker is not None and self._done < len(self._order):
            start = self._done
            rest = [self._paths[i] for i in self._order[start:]]
            try:
                for outcome in self._worker.parse(rest, self._ocr_languages, self.timeout_s, self._starting):
                    yield self._hand_out(outcome)
            except ParserStopped as exc:
                self._worker.close()
                timed_out = isinstance(exc, ParseTimedOut)
                if self._worker.warm and self._done == start and not timed_out:
                    self._worker = ParserProcess()  # it died while it waited: not this file's doing
                    continue
                yield self._lost(exc)

    def _starting(self) -> None:
        self._reading(self._order[self._done])  # the files before it were handed out, in order

    def _lost(self, exc: ParserStopped) -> tuple[int, Outcome]:
        """The file the child was reading, failed; a new child for the files after it."""
        path = self._paths[self._order[self._done]]
        if isinstance(exc, ParseTimedOut):
            reason = f"{exc} (ASSISTANT_PARSE_TIMEOUT_S); the parser process reading it was stopped"
        else:
            reason = f"the parser process stopped while reading this file ({exc})"
        failed = self._hand_out(
            f"{path}: {reason}; the files after it were read by a new one, the next ingest tries it again"
        )
        self._worker = ParserProcess() if self._done < len(self._order) else None
        return failed

    def _hand_out(self, outcome: Outcome) -> tuple[int, Outcome]:
        position = self._order[self._done]
        self._done += 1
        return position, outcome


def start_parser(paths: Sequence[Path]) -> None:
    """Start this process's parser now, for its next ingest of `paths` (files or folders): the child
    imports the parsers their formats need (unstructured, spaCy: seconds) while the caller goes on,
    loading the embedder, on the other core."""
    worker = _checkout()
    try:
        worker.preload([Path(p).resolve() for p in paths])
    except ParserStopped:
        worker.close()
        return  # the ingest starts another and says what went wrong
    _checkin(worker)


_idle: list[ParserProcess] = []  # this process's warm children, like the modules an import keeps
_idle_lock = threading.Lock()


def _checkout() -> ParserProcess:
    with _idle_lock:
        while _idle:
            worker = _idle.pop()
            if worker.alive:
                return worker
            if worker.owner == os.getpid():
                worker.close()
    return ParserProcess()


def _checkin(worker: ParserProcess) -> None:
    with _idle_lock:
        if worker.alive and len(_idle) < MAX_IDLE:
            worker.warm = True
            _idle.append(worker)
            return
    worker.close()


@atexit.register
def close_idle_parsers() -> None:
    """Stop the warm children (at exit; the bench, to count their CPU time)."""
    with _idle_lock:
        while _idle:
            worker = _idle.pop()
            if worker.owner == os.getpid():
                worker.close()


def serve() -> None:
    """The child: read jobs from stdin and send each file's outcome to stdout, until stdin closes."""
    sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` raises ImportError: see above
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops us
    results = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # what a parser prints goes to stderr, not between our messages
    sys.stdout = sys.stderr
    _reply(results, READY)
    while True:
        try:
            job = pickle.load(sys.stdin.buffer)
        except EOFError:
            return
        if isinstance(job, Preload):
            for path in _one_file_per_format(job.paths):
                prepare_reading(path)
            continue
        paths, ocr_languages = job
        for path in paths:
            prepare_reading(path)  # imports, not part of the file's parse time
            _reply(results, PARSING)
            _reply(results, read_file(path, ocr_languages), path)


def _one_file_per_format(given: list[Path]) -> list[Path]:
    """A document of each format under `given`, as the ingest will find them (discovery: hidden folders
    and metadata files skipped); none when they cannot be walked (the ingest will say why)."""
    try:
        sources, _ = discover(given)
    except OSError:
        return []
    return list({src.path.suffix.lower(): src.path for src in sources}.values())


def _reply(results: IO[bytes], message: Any, path: Path | None = None) -> None:
    try:
        data = pickle.dumps(message)
    except Exception as exc:  # a parser left something unpicklable in the document
        data = pickle.dumps(f"{path}: could not pass the parsed file on ({type(exc).__name__}: {exc})")
    results.write(data)
    results.flush()
