"""Listing and reading landing files for the benchmark's comparison scripts.

docs/interface.md: every file under a top folder named *.ndjson or
*.ndjson.gz, listed as a path (os.walk, never a pattern); a file that cannot
be read whole (broken, truncated or trailing gzip, a plain file named .gz, no
permission, a link out of the folder) is not used; lines are split on LF and
numbered from 1, a final LF ending the last line.
"""

from __future__ import annotations

import os
import zlib

LANDING_SUFFIXES = (".ndjson", ".ndjson.gz")


def display_path(relative: str) -> str:
    """source_file: '/'-joined; a name's bytes that are not UTF-8 as \\xNN."""
    raw = relative.encode("utf-8", "surrogateescape")
    return raw.decode("utf-8", "backslashreplace").replace(os.sep, "/")


def list_files(landing_dir: str, folder: str) -> list[tuple[str, str]]:
    """(path, source_file) of a top folder's landing files, by source_file."""
    found: list[tuple[str, str]] = []
    for root, _dirs, names in os.walk(os.path.join(landing_dir, folder)):
        for name in names:
            if name.endswith(LANDING_SUFFIXES):
                path = os.path.join(root, name)
                found.append((path, display_path(os.path.relpath(path, landing_dir))))
    return sorted(found, key=lambda item: item[1])


def read_whole(landing_dir: str, path: str) -> bytes:
    """The file's bytes, gunzipped; raises OSError/ValueError when it cannot
    be read whole."""
    root = os.path.realpath(landing_dir)
    if os.path.commonpath([root, os.path.realpath(path)]) != root:
        raise ValueError("links to a file outside the landing folder")
    with open(path, "rb") as handle:
        data = handle.read()
    if not path.endswith(".gz"):
        return data
    stream = zlib.decompressobj(wbits=31)  # one gzip stream, checksum checked
    try:
        text = stream.decompress(data) + stream.flush()
    except zlib.error as error:
        raise ValueError(f"not a whole gzip stream: {error}") from error
    if not stream.eof:
        raise ValueError("truncated gzip stream")
    if stream.unused_data:
        raise ValueError("bytes after the gzip stream")
    return text


def split_lines(data: bytes) -> list[bytes]:
    """Split on LF; a final LF ends the last line, it starts no new one."""
    if not data:
        return []
    return (data[:-1] if data.endswith(b"\n") else data).split(b"\n")
