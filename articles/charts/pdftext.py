"""Arabic a PDF's text extractors read back as printed, whatever reading-order guesses they make.

WeasyPrint writes every glyph with the characters it stands for (a ToUnicode map), in visual order,
left to right. Extractors that keep each glyph's text together (pypdf) read that back as printed.
poppler's (pdftotext, Evince, Okular) does not, in two cases, and this module rewrites the page
content so that it does, without changing one pixel of the page:

1. **A glyph for several letters** (the lam-alef ligature `لا`, which Arabic typography requires):
   poppler spreads the letters over the glyph's width left to right in logical order, then reverses
   right-to-left runs, so `لا` comes out `ال`; `/ActualText` does not help, poppler lays its letters
   out the same way. Here the glyph's width is cut into one slot a letter, right to left, and each
   slot is a marked-content span with `/ActualText` of that one letter.
2. **A mark drawn raised** (tanween or shadda over a tall letter such as a final alef, `جداً`):
   WeasyPrint draws it with a text rise and its own horizontal offset, so poppler sees a separate
   word off the baseline and writes `جدا ً`. Here the mark's span says `/ActualText` of the mark and
   sits on the baseline just before the letter that carries it.

A span's position, for poppler, runs from its first glyph's origin to its last glyph's end. So each
span is bounded by two invisible zero-width "anchor" glyphs (text render mode 3, a glyph id the
font subset does not otherwise use, width 0, mapped to no characters), placed where the slot
should be; the visible glyph inside is drawn exactly where it was. pypdf does not read `/ActualText`
and reads the visible glyph's own characters (the anchors map to none), so its text is unchanged.

Only Type0 fonts with Identity-H encoding (what WeasyPrint writes for TrueType and OpenType) are
rewritten; text in any other font, and text objects that use character or horizontal spacing
(`Tc`, `Tz`), are left as they are.
"""

import io
import re
import unicodedata

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    ContentStream,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

# Where a raised mark's slot sits: it ends SLOT_GAP before the letter that carries it, so poppler
# keeps both in one word (it breaks a word at a gap of 0.1 em), and consecutive marks' slots start
# SLOT_STEP apart (poppler takes two characters that start within 0.1 em for duplicated text).
SLOT_STEP = 0.11
SLOT_GAP = 0.01
INVISIBLE = 3  # text render mode: neither fill nor stroke

CODESPACE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>")
BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>")


def _utf16(hexdigits):
    return bytes.fromhex(hexdigits.decode()).decode("utf-16-be")


def to_unicode_map(cmap):
    """A ToUnicode CMap's glyph codes and their text, `{code: str}` (bfchar and single-string bfrange)."""
    mapping = {}
    for block in BFCHAR.findall(cmap):
        for code, text in CODESPACE.findall(block):
            mapping[int(code, 16)] = _utf16(text)
    for block in BFRANGE.findall(cmap):
        for first, last, text in RANGE.findall(block):
            start = _utf16(text)
            for offset, code in enumerate(range(int(first, 16), int(last, 16) + 1)):
                mapping[code] = start[:-1] + chr(ord(start[-1]) + offset) if start else ""
    return mapping


def _widths(descendant):
    """A CIDFont's glyph widths (thousandths of the font size) and its default width."""
    widths, w = {}, list(descendant.get("/W", []))
    i = 0
    while i < len(w):
        first = int(w[i])
        if isinstance(w[i + 1].get_object(), list):
            for offset, width in enumerate(w[i + 1].get_object()):
                widths[first + offset] = float(width)
            i += 2
        else:
            for code in range(first, int(w[i + 1]) + 1):
                widths[code] = float(w[i + 2])
            i += 3
    return widths, float(descendant.get("/DW", 1000))


class Font:
    """What the rewriting needs of one Type0 font: glyph text, widths, and an unused glyph id."""

    def __init__(self, font):
        self.font = font
        descendant = font["/DescendantFonts"][0].get_object()
        self.descendant = descendant
        self.text = to_unicode_map(font["/ToUnicode"].get_object().get_data())
        self.widths, self.default_width = _widths(descendant)
        # The anchor: the lowest glyph id the content never shows. WeasyPrint's subsets keep glyph
        # ids (an unused id is an empty glyph), so any id below the highest used one exists.
        self.anchor = next((g for g in range(1, max(self.text, default=0)) if g not in self.text), None)
        self.anchor_used = False

    def width(self, code):
        return self.widths.get(code, self.default_width)

    def declare_anchor(self):
        """Map the anchor glyph to no characters and give it no width, once."""
        if self.anchor_used:
            return
        self.anchor_used = True
        stream = self.font["/ToUnicode"].get_object()
        cmap = stream.get_data()
        entry = f"1 beginbfchar\n<{self.anchor:04x}> <>\nendbfchar\n".encode()
        stream.set_data(cmap.replace(b"endcmap", entry + b"endcmap", 1))
        self.descendant[NameObject("/W")] = ArrayObject(
            [NumberObject(self.anchor), ArrayObject([NumberObject(0)]), *self.descendant.get("/W", [])]
        )


def usable(font):
    font = font.get_object()
    return (
        font.get("/Subtype") == "/Type0"
        and font.get("/Encoding") == "/Identity-H"
        and "/ToUnicode" in font
        and "/DescendantFonts" in font
    )


def _raw(string):
    """A shown string's bytes (pypdf may have read it as text)."""
    return string.original_bytes if hasattr(string, "original_bytes") else bytes(string)


def is_rtl_cluster(text):
    """Several characters for one glyph, all right to left (letters) or marks on them."""
    kinds = {unicodedata.bidirectional(ch) for ch in text}
    return len(text) > 1 and bool(kinds & {"R", "AL"}) and kinds <= {"R", "AL", "NSM"}


def is_arabic_mark(text):
    return bool(text) and all(
        unicodedata.bidirectional(ch) == "NSM" and unicodedata.name(ch, "").startswith("ARABIC") for ch in text
    )


class Glyph:
    __slots__ = ("op", "item", "index", "code", "text", "x", "advance", "rise", "size", "font", "segment")

    def __init__(self, **values):
        for key, value in values.items():
            setattr(self, key, value)


def _scan(operations, fonts):
    """Each shown glyph with its pen position in text space (per segment: a text matrix and after)."""
    glyphs = []
    font = size = None
    rise, x, segment, plain = 0.0, 0.0, 0, True
    for op_index, (operands, operator) in enumerate(operations):
        if operator in (b"BT", b"Tm", b"Td", b"TD", b"T*"):
            segment += 1
            x, plain = 0.0, True
        elif operator == b"Tf":
            font, size = fonts.get(operands[0]), float(operands[1])
        elif operator == b"Ts":
            rise = float(operands[0])
        elif operator in (b"Tc", b"Tz", b"Tw"):
            if float(operands[0]) != (100 if operator == b"Tz" else 0):
                plain = False
        elif operator in (b"TJ", b"Tj", b"'", b'"'):
            items = operands[0] if operator == b"TJ" else [operands[-1]]
            if operator != b"TJ":
                segment += 1  # ' and " move to the next line
            for item_index, item in enumerate(items):
                if not isinstance(item, (bytes, str)):
                    x -= float(item) / 1000 * (size or 0)
                    continue
                data = _raw(item)
                if font is None:
                    plain = False
                    continue
                for index in range(0, len(data) - 1, 2):
                    code = int.from_bytes(data[index : index + 2], "big")
                    advance = font.width(code) / 1000 * size
                    if plain and operator == b"TJ":
                        glyphs.append(
                            Glyph(
                                op=op_index,
                                item=item_index,
                                index=index // 2,
                                code=code,
                                text=font.text.get(code, ""),
                                x=x,
                                advance=advance,
                                rise=rise,
                                size=size,
                                font=font,
                                segment=segment,
                            )
                        )
                    x += advance
    return glyphs


def _plan(glyphs):
    """Which glyphs get spans: `{glyph: [(text, start, end), ...]}` slots, left to right."""
    plans = {}
    i = 0
    while i < len(glyphs):
        glyph = glyphs[i]
        if glyph.font.anchor is None:
            i += 1
            continue
        if is_arabic_mark(glyph.text):
            run = [glyph]
            while (
                i + len(run) < len(glyphs)
                and glyphs[i + len(run)].segment == glyph.segment
                and glyphs[i + len(run)].font is glyph.font
                and is_arabic_mark(glyphs[i + len(run)].text)
            ):
                run.append(glyphs[i + len(run)])
            after = glyphs[i + len(run)] if i + len(run) < len(glyphs) else None
            last = run[-1]
            carrier = after.x if after is not None and after.segment == glyph.segment else last.x + last.advance
            step, gap = SLOT_STEP * glyph.size, SLOT_GAP * glyph.size
            # One slot a mark, left to right as drawn; a glyph for several marks (DejaVu draws
            # shadda with fatha as one) gets one slot each, its last mark first.
            units = [(mark, ch) for mark in run for ch in reversed(mark.text)]
            for j, (mark, ch) in enumerate(units):
                start = carrier - (len(units) - j) * step
                plans.setdefault(id(mark), []).append((ch, start, start + step - gap))
            i += len(run)
            continue
        if is_rtl_cluster(glyph.text) and glyph.advance > 0:
            # One slot a character (a vowel inside the ligature too), left to right on the page:
            # the last character first.
            width = glyph.advance / len(glyph.text)
            plans[id(glyph)] = [
                (ch, glyph.x + k * width, glyph.x + (k + 1) * width) for k, ch in enumerate(reversed(glyph.text))
            ]
        i += 1
    return plans


def _move(distance, size):
    """The TJ number that moves the pen `distance` (text space) to the right."""
    return FloatObject(round(-distance * 1000 / size, 3))


def _emit(glyph, slots, render_mode):
    """The operations that draw `glyph` where it was, inside one span a slot, bounded by anchors."""
    anchor = ByteStringObject(glyph.font.anchor.to_bytes(2, "big"))
    shown = ByteStringObject(glyph.code.to_bytes(2, "big"))
    size, x, end = glyph.size, glyph.x, glyph.x + glyph.advance
    rise = [([FloatObject(0)], b"Ts")] if glyph.rise else []
    back = [([FloatObject(glyph.rise)], b"Ts")] if glyph.rise else []
    ops = []
    pen = x
    for k, (text, start, stop) in enumerate(slots):
        ops.append(
            ([NameObject("/Span"), DictionaryObject({NameObject("/ActualText"): TextStringObject(text)})], b"BDC")
        )
        ops += rise
        ops.append(([NumberObject(INVISIBLE)], b"Tr"))
        ops.append(([ArrayObject([_move(start - pen, size), anchor])], b"TJ"))
        pen = start
        if k == 0:  # the visible glyph, inside the first span, drawn where it was
            ops.append(([NumberObject(render_mode)], b"Tr"))
            ops += back
            ops.append(([ArrayObject([_move(x - pen, size), shown])], b"TJ"))
            pen = end
            ops += rise
            ops.append(([NumberObject(INVISIBLE)], b"Tr"))
        ops.append(([ArrayObject([_move(stop - pen, size), anchor])], b"TJ"))
        pen = stop
        ops.append(([NumberObject(render_mode)], b"Tr"))
        ops += back
        ops.append(([], b"EMC"))
    if pen != end:
        ops.append(([ArrayObject([_move(end - pen, size)])], b"TJ"))
    return ops


def _as_bytes(operands, operator):
    """Shown strings as bytes: pypdf reads a glyph string as text and would write it back as UTF-16."""
    if operator == b"TJ":
        return [ArrayObject(ByteStringObject(_raw(i)) if isinstance(i, (bytes, str)) else i for i in operands[0])]
    if operator in (b"Tj", b"'", b'"'):
        return [*operands[:-1], ByteStringObject(_raw(operands[-1]))]
    return operands


def _rewrite(operations, glyphs, plans):
    """The operations with each planned glyph's TJ split around it and the glyph drawn in spans."""
    by_op = {}
    for glyph in glyphs:
        if id(glyph) in plans:
            by_op.setdefault(glyph.op, []).append(glyph)
    if not by_op:
        return operations
    out, render_mode, stack = [], 0, []
    for op_index, (operands, operator) in enumerate(operations):
        if operator == b"Tr":
            render_mode = int(operands[0])
        elif operator == b"q":
            stack.append(render_mode)
        elif operator == b"Q" and stack:
            render_mode = stack.pop()
        targets = by_op.get(op_index)
        if not targets:
            out.append((_as_bytes(operands, operator), operator))
            continue
        wanted = {(g.item, g.index): g for g in targets}
        pending = []
        for item_index, item in enumerate(operands[0]):
            if not isinstance(item, (bytes, str)):
                pending.append(item)
                continue
            data = _raw(item)
            run = b""
            for index in range(0, len(data) - 1, 2):
                glyph = wanted.get((item_index, index // 2))
                if glyph is None:
                    run += data[index : index + 2]
                    continue
                if run:
                    pending.append(ByteStringObject(run))
                    run = b""
                if pending:
                    out.append(([ArrayObject(pending)], b"TJ"))
                    pending = []
                out += _emit(glyph, plans[id(glyph)], render_mode)
            if run:
                pending.append(ByteStringObject(run))
        if pending:
            out.append(([ArrayObject(pending)], b"TJ"))
    return out


def extractable(pdf):
    """`pdf` (bytes) with its ligatures and raised Arabic marks in spans poppler reads as printed.

    The pages look the same; pypdf's text is the same; poppler's is the printed text.
    """
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    writer.pdf_header = reader.pdf_header  # keep WeasyPrint's version (ActualText needs 1.5)
    changed = False
    for page in writer.pages:
        resources = page.get("/Resources")
        if resources is None or "/Font" not in resources or page.get_contents() is None:
            continue
        fonts = {
            NameObject(name): Font(font.get_object())
            for name, font in resources["/Font"].get_object().items()
            if usable(font)
        }
        if not fonts:
            continue
        content = ContentStream(page.get_contents(), writer)
        glyphs = _scan(content.operations, fonts)
        plans = _plan(glyphs)
        if not plans:
            continue
        for glyph in glyphs:
            if id(glyph) in plans:
                glyph.font.declare_anchor()
        content.operations = _rewrite(content.operations, glyphs, plans)
        page.replace_contents(content)
        changed = True
    if not changed:
        return pdf
    for page in writer.pages:
        page.compress_content_streams()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
