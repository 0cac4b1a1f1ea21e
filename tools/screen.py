#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
#
# Reads QEMU screendumps (binary PPM, "P6") of Nereid's console back into
# text: the picture is cut into character cells (8x16 on a framebuffer, 9x16
# in VGA text mode, whose ninth column is the gap QEMU draws) and each cell
# is matched pixel for pixel against the console's font (the header
# tools/psffont.py generates, build/drivers/video/console/font8x16.h): the
# cell's background is its most common colour, the foreground the other
# one, and the set pixels must be exactly a glyph's. A cell that matches no
# glyph reads as "\0" (its position is listed in Screen.unknown); a cell
# drawn in reverse (the framebuffer's cursor) is read as its glyph too and
# listed in Screen.reversed. VGA text mode is drawn with the card's own
# font, a little different from the console's: there a cell may also read
# as the one printable glyph nearest to it within `tolerance` pixels. Used by tests/system/system/run.py; run as
# `screen.py DUMP.ppm FONT.h [9]` it prints the text it reads.

import re
import sys


def read_ppm(path):
    """(width, height, bytes of RGB triples) of a binary PPM."""
    data = open(path, "rb").read()
    fields, at = [], 0
    while len(fields) < 4:
        while data[at:at + 1].isspace():
            at += 1
        if data[at:at + 1] == b"#":
            at = data.index(b"\n", at)
            continue
        end = at
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[at:end])
        at = end
    if fields[0] != b"P6" or int(fields[3]) != 255:
        raise ValueError("%s: not an 8-bit binary PPM" % path)
    width, height = int(fields[1]), int(fields[2])
    pixels = data[at + 1:at + 1 + width * height * 3]
    if len(pixels) != width * height * 3:
        raise ValueError("%s: truncated" % path)
    return width, height, pixels


def read_font(path):
    """The 256 glyphs of a psffont.py header: tuples of 16 row bytes."""
    glyphs = []
    for line in open(path):
        m = re.match(r"\s*\{([0-9a-fx, ]+)\}, /\* U\+", line)
        if m:
            glyphs.append(tuple(int(b, 16) for b in m.group(1).split(",")))
    if len(glyphs) != 256:
        raise ValueError("%s: %d glyphs, not 256" % (path, len(glyphs)))
    return glyphs


class Screen:
    """The text of a screendump: rows of strings, and each cell's colours."""

    def __init__(self, ppm, font, cell_width=8, cell_height=16, tolerance=0):
        self.width, self.height, self.pixels = read_ppm(ppm)
        self.cell_width, self.cell_height = cell_width, cell_height
        self.columns = self.width // cell_width
        self.rows = self.height // cell_height
        lookup = {}
        for code in range(255, -1, -1):  # the lowest code wins a shared glyph
            lookup[font[code]] = chr(code)
        self.font, self.tolerance = font, tolerance
        self.unknown, self.reversed = [], []
        self.colours = {}  # (row, column) -> (foreground, background) RGB tuples
        self.text = [self._read_row(r, lookup) for r in range(self.rows)]

    def pixel(self, x, y):
        at = (y * self.width + x) * 3
        return tuple(self.pixels[at:at + 3])

    def _cell(self, row, column):
        """The cell's bitmap (16 row bytes, 8 columns), background and foreground."""
        x0, y0 = column * self.cell_width, row * self.cell_height
        counts = {}
        grid = []
        for y in range(self.cell_height):
            line = [self.pixel(x0 + x, y0 + y) for x in range(8)]
            grid.append(line)
            for p in line:
                counts[p] = counts.get(p, 0) + 1
        ranked = sorted(counts, key=lambda p: -counts[p])
        background = ranked[0]
        foreground = ranked[1] if len(ranked) > 1 else None
        bits = tuple(sum(0x80 >> x for x in range(8) if grid[y][x] != background)
                     for y in range(self.cell_height))
        return bits, background, foreground, len(ranked)

    def _nearest(self, bits):
        """The printable ASCII glyph within tolerance differing pixels of
        bits, when exactly one is nearest (VGA text mode: the card's own
        font, nearly but not quite the console's)."""
        best, ties, char = None, 0, None
        for code in range(0x20, 0x7F):
            distance = sum(bin(a ^ b).count("1") for a, b in zip(bits, self.font[code]))
            if best is None or distance < best:
                best, ties, char = distance, 1, chr(code)
            elif distance == best:
                ties += 1
        return char if best is not None and best <= self.tolerance and ties == 1 else None

    def _read_row(self, row, lookup):
        out = []
        for column in range(self.columns):
            bits, background, foreground, colours = self._cell(row, column)
            char = lookup.get(bits) if colours <= 2 else None
            if char is None and colours <= 2 and self.tolerance:
                char = self._nearest(bits)
            if char is None and colours <= 2:
                inverse = tuple(b ^ 0xFF for b in bits)
                char = lookup.get(inverse)
                if char is not None:
                    self.reversed.append((row, column))
                    background, foreground = foreground, background
            if char is None:
                self.unknown.append((row, column))
                char = "\0"
            self.colours[(row, column)] = (foreground, background)
            out.append(char)
        return "".join(out)

    def lines(self):
        """The rows without trailing blanks."""
        return [t.rstrip(" \0") for t in self.text]

    def find(self, text):
        """(row, column) of the first row holding text, or None."""
        for row, line in enumerate(self.text):
            column = line.find(text)
            if column >= 0:
                return row, column
        return None

    def blank(self):
        """Every cell a space (or empty) in one background colour."""
        backgrounds = {self.colours[k][1] for k in self.colours}
        return all(not line.strip(" \0") for line in self.text) and len(backgrounds) == 1


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: screen.py DUMP.ppm FONT.h [CELL_WIDTH]")
    width = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    screen = Screen(sys.argv[1], read_font(sys.argv[2]), width, tolerance=40 if width == 9 else 0)
    for line in screen.lines():
        print(line.replace("\0", "?"))
    print("(%dx%d cells, %d unknown, reversed %s)" % (screen.columns, screen.rows,
                                                     len(screen.unknown), screen.reversed))


if __name__ == "__main__":
    main()
