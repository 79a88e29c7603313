"""Bytes before rows: empty and binary files, encodings, transcoding to UTF-8, and the file checksum.

DuckDB reads only UTF-8, so a Windows-1252 file is transcoded once, in large chunks, to a temporary UTF-8
file; line numbers stay the same because the transcoding never adds or removes a newline.
"""

from __future__ import annotations

import codecs
import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG

from katsaus.core.errors import Problem

HEAD_BYTES = 1 << 20
CHUNK_BYTES = 16 << 20
HASH_CHUNK_BYTES = 16 << 20
UTF8_BOM = b"\xef\xbb\xbf"
FALLBACK = "cp1252"  # Windows-1252, what Finnish Excel and older ERPs write


@dataclass(frozen=True)
class Sniffed:
    """What the first megabyte says: the encoding to try first, or the problem that stops reading."""

    encoding: str | None  # a codec name (utf-8 means DuckDB can read the file as it is)
    problem: Problem | None = None


def encoding_label(name: str) -> str:
    return {"utf-8": "UTF-8", "cp1252": "Windows-1252"}.get(name, name)


def sniff(path: Path, requested: str, label: str) -> Sniffed:
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
        more = bool(handle.read(1))
    problem = _fatal(head, label)
    if problem is not None:
        return Sniffed(None, problem)
    if requested not in ("auto", "utf-8"):
        return Sniffed(requested)  # transcoding checks every byte
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=not more)
    except UnicodeDecodeError as exc:
        if requested == "auto":
            return Sniffed(FALLBACK)
        row = head.count(b"\n", 0, exc.start) + 1
        bad = head[exc.start : exc.end]
        return Sniffed(None, _encoding_problem_at(label, "utf-8", row, bad, auto=False))
    return Sniffed("utf-8")


def _fatal(head: bytes, label: str) -> Problem | None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Problem("file.utf16", file=label)
    if head.startswith(b"PK\x03\x04"):
        return Problem("file.zip_as_csv", file=label)
    if b"\x00" in head:
        return Problem("file.binary", file=label)
    if not head.removeprefix(UTF8_BOM).strip():
        return Problem("file.empty", file=label)
    return None


def _line_of(path: Path, offset: int) -> int:
    """1-based line number of a byte offset, counted only when an error needs it."""
    lines = 1
    with path.open("rb") as handle:
        done = 0
        while done < offset:
            chunk = handle.read(min(CHUNK_BYTES, offset - done))
            if not chunk:
                break
            lines += chunk.count(b"\n")
            done += len(chunk)
    return lines


def transcode(path: Path, encoding: str, target: Path, label: str, *, auto: bool) -> Problem | None:
    """Write `path` decoded as `encoding` to `target` as UTF-8; a problem names the first bad line."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    with path.open("rb") as src, target.open("w", encoding="utf-8", newline="") as dst:
        while True:
            chunk = src.read(CHUNK_BYTES)
            try:
                dst.write(decoder.decode(chunk, final=not chunk))
            except UnicodeDecodeError as exc:
                return _encoding_problem(path, label, encoding, offset + exc.start, chunk[exc.start : exc.end], auto)
            if not chunk:
                return None
            offset += len(chunk)


def _encoding_problem(path: Path, label: str, encoding: str, offset: int, bad: bytes, auto: bool) -> Problem:
    return _encoding_problem_at(label, encoding, _line_of(path, offset), bad, auto=auto)


def _encoding_problem_at(label: str, encoding: str, row: int, bad: bytes, *, auto: bool) -> Problem:
    """The first bytes the encoding cannot read, on their line: neither of the two encodings tried (`auto`),
    not UTF-8 as the mapping says (perhaps Windows-1252), or not the mapping's other encoding."""
    shown = bad.hex(" ")
    if auto:
        return Problem("file.encoding_unknown", {"bytes": shown}, file=label, row=row)
    if encoding == "utf-8":
        return Problem("file.not_utf8", {"bytes": shown}, file=label, row=row)
    return Problem("file.not_in_encoding", {"encoding": encoding_label(encoding), "bytes": shown}, file=label,
                   row=row)


FileVersion = tuple[str, int, int]


def file_version(path: Path) -> FileVersion | None:
    """A regular file as it is now (resolved path, size, modification time): work begun on it early is taken
    over only while this is unchanged. None for a missing or unreadable path and for anything but a file."""
    try:
        stat = path.stat()
    except OSError:
        return None
    if not S_ISREG(stat.st_mode):
        return None
    return str(path.resolve()), stat.st_size, stat.st_mtime_ns


class _Cores:
    """Whether a scan (DuckDB with a thread per core) is running: background hashing waits for it to end, so that
    it uses the time when only Python works (starting, storing) instead of slowing the scan."""

    def __init__(self) -> None:
        self._scans = 0
        self._changed = threading.Condition()

    @contextmanager
    def scanning(self) -> Iterator[None]:
        with self._changed:
            self._scans += 1
        try:
            yield
        finally:
            with self._changed:
                self._scans -= 1
                self._changed.notify_all()

    def wait_for_idle(self, needed: threading.Event) -> None:
        with self._changed:
            self._changed.wait_for(lambda: self._scans == 0 or needed.is_set())

    def wake(self) -> None:
        with self._changed:
            self._changed.notify_all()


CORES = _Cores()


class Checksum:
    """sha256 of the file bytes, computed in a background thread (hashlib releases the GIL).

    It hashes while no scan runs (CORES.scanning): on a machine whose cores a DuckDB scan fills, hashing beside
    the scan only slows it. `Checksum.start(path)` begins before the caller reads the file: a command starts it
    before the database opens, so the hashing runs while Python starts. `Checksum.of(path)` takes such a started
    one over when the file's size and modification time are unchanged, and otherwise starts afresh. Once
    someone waits for the result, the thread no longer pauses."""

    _started: dict[FileVersion, Checksum] = {}
    _lock = threading.Lock()

    def __init__(self, path: Path) -> None:
        self._path = path
        self._digest = ""
        self._error: BaseException | None = None
        self._needed = threading.Event()
        self._dropped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="katsaus-sha256", daemon=True)
        self._thread.start()

    @classmethod
    def start(cls, path: Path) -> None:
        key = file_version(path)
        if key is None:
            return  # the read that follows reports a missing or unreadable file
        with cls._lock:
            if key not in cls._started:
                cls._started[key] = cls(path)

    @classmethod
    def drop_started(cls) -> None:
        """Stop the started ones nobody took over (the command was refused before reading)."""
        with cls._lock:
            started = list(cls._started.values())
            cls._started.clear()
        for checksum in started:
            checksum._dropped.set()
            checksum.result_or_none()

    @classmethod
    def of(cls, path: Path) -> Checksum:
        key = file_version(path)
        with cls._lock:
            started = cls._started.pop(key, None) if key is not None else None
        return started if started is not None else cls(path)

    def _run(self) -> None:
        try:
            digest = hashlib.sha256()
            # large chunks into one buffer: each chunk takes the GIL back, and a thread that keeps asking for it
            # slows the thread that starts the application
            buffer = bytearray(HASH_CHUNK_BYTES)
            view = memoryview(buffer)
            with self._path.open("rb", buffering=0) as handle:
                while not self._dropped.is_set():
                    CORES.wait_for_idle(self._needed)
                    size = handle.readinto(buffer)
                    if not size:
                        break
                    digest.update(view[:size])
            self._digest = digest.hexdigest()
        except BaseException as exc:  # reported to the caller of result()
            self._error = exc

    def result_or_none(self) -> str | None:
        try:
            return self.result()
        except OSError:
            return None

    def result(self) -> str:
        self._needed.set()
        CORES.wake()
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._digest


def sha256_file(path: Path) -> str:
    return Checksum(path).result()


def read_text(path: Path, label: str) -> tuple[str | None, Problem | None]:
    """A small file (a plan) decoded whole: UTF-8 with or without BOM, else Windows-1252."""
    sniffed = sniff(path, "auto", label)
    if sniffed.problem is not None:
        return None, sniffed.problem
    data = path.read_bytes()
    encoding = "utf-8-sig" if sniffed.encoding == "utf-8" else str(sniffed.encoding)
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError:
        if encoding == "utf-8-sig":
            try:
                return data.decode(FALLBACK), None
            except UnicodeDecodeError as second:
                exc = second
        row = data.count(b"\n", 0, exc.start) + 1
        return None, _encoding_problem_at(label, FALLBACK, row, data[exc.start : exc.end], auto=True)
