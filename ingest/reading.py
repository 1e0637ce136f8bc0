"""Files parsed on a background thread while the caller embeds what has already been read."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType

from ingest.errors import IngestError
from ingest.loaders import ParsedDocument, needs_unstructured, parse_file

Outcome = ParsedDocument | str  # the document, or why it could not be read


def read_file(path: Path, ocr_languages: str) -> Outcome:
    """One file parsed, or the message a report shows for it; a parser bug must not sink the batch."""
    try:
        return parse_file(path, ocr_languages=ocr_languages)
    except IngestError as exc:
        return str(exc)
    except Exception as exc:
        return f"could not read the file ({type(exc).__name__}: {exc})"


class BackgroundReader:
    """Parses `paths` on one thread, formats read without unstructured first, so the caller has
    documents to embed while unstructured (and spaCy, torch) is imported. Iterating yields
    `(position in paths, outcome)` as each file is done; leaving the `with` block stops the thread
    after the file it is reading."""

    def __init__(self, paths: Sequence[Path], ocr_languages: str) -> None:
        self._paths = list(paths)
        self._ocr_languages = ocr_languages
        self._done: queue.Queue[tuple[int, Outcome]] = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ingest-reader", daemon=True)

    def __enter__(self) -> BackgroundReader:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()

    def __iter__(self) -> Iterator[tuple[int, Outcome]]:
        for _ in self._paths:
            while True:
                try:
                    yield self._done.get(timeout=1.0)
                    break
                except queue.Empty:
                    if not self._thread.is_alive() and self._done.empty():
                        raise RuntimeError("the ingest reader thread stopped early") from None

    def _run(self) -> None:
        order = sorted(range(len(self._paths)), key=lambda i: needs_unstructured(self._paths[i]))
        for i in order:
            if self._stop.is_set():
                return
            self._done.put((i, read_file(self._paths[i], self._ocr_languages)))
