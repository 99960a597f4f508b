"""The OLE2 container ([MS-CFB], a compound file) of the old binary Office formats: its streams by name.

An .xls keeps its sheets in the ``Workbook`` stream (read for what they hide, :mod:`govspec.extract.hidden_cells`), a
.doc its text and formatting in ``WordDocument`` and a table stream (:mod:`govspec.extract.word97`).  A chain of
sectors that does not end — a damaged or hostile file pointing a sector back at itself — raises ``ValueError``, as a
container too short for what it states raises ``struct.error`` or ``IndexError``: the readers say the file is damaged.
"""

from __future__ import annotations

import struct

FREE_CHAIN = 0xFFFFFFFA  # sector numbers from here on end a chain
STREAM = 2               # a directory entry's type: a stream (1 is a storage, 5 the root)


class Compound:
    """An OLE2 compound file, its allocation table and directory read once."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.size = 1 << struct.unpack_from("<H", raw, 0x1E)[0]
        self.mini_size = 1 << struct.unpack_from("<H", raw, 0x20)[0]
        self.entries: list[bytes] = []
        if self.size not in (512, 4096) or self.mini_size != 64:
            return  # not a container this reading knows: it holds no stream
        fat_count, first_directory = struct.unpack_from("<II", raw, 0x2C)
        self.cutoff, self.first_mini, _, first_difat, difat_count = struct.unpack_from("<IIIII", raw, 0x38)
        self.sectors = (len(raw) - self.size) // self.size
        difat = list(struct.unpack_from("<109I", raw, 0x4C))
        sector = first_difat
        for _ in range(min(difat_count, self.sectors)):
            if sector >= FREE_CHAIN:
                break
            listed = struct.unpack_from(f"<{self.size // 4}I", raw, (sector + 1) * self.size)
            difat.extend(listed[:-1])
            sector = listed[-1]
        self.fat: list[int] = []
        for sector in difat[:fat_count]:
            self.fat.extend(struct.unpack_from(f"<{self.size // 4}I", raw, (sector + 1) * self.size))
        directory = self._read(first_directory)
        self.entries = [directory[at:at + 128] for at in range(0, len(directory) - 127, 128)]

    def _chain(self, start: int) -> list[int]:
        found: list[int] = []
        while start < FREE_CHAIN:
            if len(found) > self.sectors:
                raise ValueError("a sector chain that does not end")
            found.append(start)
            start = self.fat[start]
        return found

    def _read(self, start: int) -> bytes:
        size = self.size
        return b"".join(self.raw[(n + 1) * size:(n + 2) * size] for n in self._chain(start))

    def stream(self, wanted: str) -> bytes | None:
        """The stream named ``wanted`` at the top of the file (names compare without case, as the format says: an
        embedded object's streams, within a storage of their own, are not the file's), or None when there is none."""
        wanted = wanted.casefold()
        for entry in self._top():
            length = struct.unpack_from("<H", entry, 64)[0]
            name = entry[:max(length - 2, 0)].decode("utf-16-le", "replace")
            if name.casefold() == wanted and entry[66] == STREAM:
                return self._stream(entry)
        return None

    def _top(self) -> list[bytes]:
        """The entries directly in the root storage: the tree of siblings under its child (each entry seen once)."""
        if not self.entries:
            return []
        found: list[bytes] = []
        seen: set[int] = set()
        waiting = [struct.unpack_from("<I", self.entries[0], 76)[0]]
        while waiting:
            number = waiting.pop()
            if number >= len(self.entries) or number in seen:
                continue  # no entry (0xFFFFFFFF), or one the tree names twice (a damaged file)
            seen.add(number)
            entry = self.entries[number]
            found.append(entry)
            waiting.extend(struct.unpack_from("<II", entry, 68))  # its left and right siblings
        return found

    def _stream(self, entry: bytes) -> bytes:
        start, stream_size = struct.unpack_from("<II", entry, 116)
        if stream_size >= self.cutoff:
            return self._read(start)[:stream_size]
        root = self.entries[0]  # a small stream lies in the mini stream, held by the root entry
        mini_stream = self._read(struct.unpack_from("<I", root, 116)[0])
        table = self._read(self.first_mini) if self.first_mini < FREE_CHAIN else b""
        mini_fat = struct.unpack(f"<{len(table) // 4}I", table[:len(table) // 4 * 4])
        data: list[bytes] = []
        sector = start
        mini_size = self.mini_size
        while sector < FREE_CHAIN and len(data) * mini_size < stream_size:
            if len(data) * mini_size >= len(mini_stream):  # more sectors than the mini stream holds: a loop
                raise ValueError("a mini sector chain that does not end")
            data.append(mini_stream[sector * mini_size:(sector + 1) * mini_size])
            sector = mini_fat[sector]
        return b"".join(data)[:stream_size]
