"""Arabic a PDF's text extractors read back as printed, whatever reading-order guesses they make.

WeasyPrint writes every glyph with the characters it stands for (a ToUnicode map), each line left to
right as drawn. This module rewrites the page content after it, without changing one pixel of the
page, so that pypdf and poppler (pdftotext, Evince, Okular) both read every word as printed, in
reading order, with its diacritics and the digits and punctuation glued to it. It needs what
WeasyPrint knew and the PDF does not: while WeasyPrint draws, `drawn_lines()` records, for every
glyph of every line, which characters of the line it stands for and at which bidi level (Pango's).

1. **A glyph for several letters** (the lam-alef ligature `لا`, which Arabic typography requires):
   poppler spreads the letters over the glyph's width left to right in logical order, then reverses
   right-to-left runs, so `لا` comes out `ال`; `/ActualText` does not help, poppler lays its letters
   out the same way. Here the glyph's width is cut into one slot a letter, right to left, and each
   slot is a marked-content span with `/ActualText` of that one letter.
2. **A mark drawn raised** (tanween or shadda over a tall letter such as a final alef, `جداً`):
   WeasyPrint draws it with a text rise and its own horizontal offset, so poppler sees a separate
   word off the baseline and writes `جدا ً`. Here the mark's span says `/ActualText` of the mark and
   sits on the baseline just before the letter that carries it (sharing the carrier's width when the
   letter before is too narrow to leave room).
3. **A cluster of several glyphs** (a vowel between lam and alef, `بدلًا`: HarfBuzz draws lam-alef
   and the vowel as one cluster, and WeasyPrint's map gives a glyph the text of the first cluster it
   met, so the ligature reads `لا` and the vowel `ً` wherever they are drawn, or the vowel all three
   letters and the ligature none): the cluster's widest glyph gets a second code (a CIDToGIDMap
   stream maps it to the same glyph) that stands for the cluster's characters, the others codes that
   stand for nothing, in a span with empty ActualText; the widest then gets slots as in 1.
4. **Digits, Latin and punctuation inside Arabic** (`و2005)`, `29/مايو/2017`, `أمريكا،"مقلقة`):
   pypdf reads glyphs in content order and turns each right-to-left run around, so a line drawn
   left to right with a left-to-right run in it comes out in pieces in the wrong order; each such
   line is drawn again, every glyph where it was, in chunks of one direction in reading order
   (`_chunks`). poppler orders by position and gives a left-to-right run (digits, Latin, and the
   separators `,` `.` `:` `/` `،`) the neutral characters after it (`2005) و` came out `)2005 و`);
   an invisible span with `/ActualText` of a right-to-left mark (U+200F) after each such run ends
   it where the printed text does. Only poppler reads it; pdftotext's output has bidi controls
   around every embedded run anyway.

A span's position, for poppler, runs from its first glyph's origin to its last glyph's end. So each
span is bounded by two invisible zero-width "anchor" glyphs (text render mode 3, a glyph id the
font subset does not otherwise use, width 0, mapped to no characters), placed where the slot
should be; the visible glyph inside is drawn exactly where it was. pypdf does not read `/ActualText`
and reads the visible glyph's own characters (the anchors map to none).

Only Type0 fonts with Identity-H encoding (what WeasyPrint writes for TrueType and OpenType) are
rewritten; text in any other font, and text objects that use character or horizontal spacing
(`Tc`, `Tz`), are left as they are, and so is a line `drawn_lines` has no record of.
"""

import contextlib
import contextvars
import io
import re
import unicodedata

from pypdf import PdfReader, PdfWriter
from pypdf._utils import is_char_neutral, is_char_rtl
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    ContentStream,
    DecodedStreamObject,
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
# poppler takes a character that starts within 0.1 em of the one before for a copy of it.
DUPLICATE = 0.105
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

    def __init__(self, font, writer=None):
        self.font = font
        self.writer = writer
        descendant = font["/DescendantFonts"][0].get_object()
        self.descendant = descendant
        self.text = to_unicode_map(font["/ToUnicode"].get_object().get_data())
        self.widths, self.default_width = _widths(descendant)
        # The anchor: the lowest glyph id the content never shows. WeasyPrint's subsets keep glyph
        # ids (an unused id is an empty glyph), so any id below the highest used one exists.
        self.anchor = next((g for g in range(1, max(self.text, default=0)) if g not in self.text), None)
        self.anchor_used = False
        # Codes above every glyph id shown, each drawing a glyph that is shown elsewhere with other
        # text (`alias`): {(glyph id, text): code}.
        self.aliases = {}
        self.next_alias = max(self.text, default=0) + 1

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

    def alias(self, code, text):
        """A second code for glyph `code` that stands for `text` (one ToUnicode text a code, and a
        glyph may stand for other text in one place than another: a vowel inside lam-alef)."""
        if self.text.get(code) == text:
            return code
        key = (code, text)
        if key not in self.aliases:
            self.aliases[key] = self.next_alias
            self.next_alias += 1
        return self.aliases[key]

    def declare_aliases(self):
        """Write the aliases: their text (ToUnicode), width (/W) and glyph (a CIDToGIDMap stream)."""
        if not self.aliases:
            return
        stream = self.font["/ToUnicode"].get_object()
        entries = "".join(
            f"<{alias:04x}> <{text.encode('utf-16-be').hex()}>\n" for (_, text), alias in self.aliases.items()
        )
        block = f"{len(self.aliases)} beginbfchar\n{entries}endbfchar\n".encode()
        stream.set_data(stream.get_data().replace(b"endcmap", block + b"endcmap", 1))
        widths = []
        for (code, _), alias in self.aliases.items():
            widths += [NumberObject(alias), ArrayObject([FloatObject(self.width(code))])]
        self.descendant[NameObject("/W")] = ArrayObject([*self.descendant.get("/W", []), *widths])
        gids = list(range(self.next_alias))
        for (code, _), alias in self.aliases.items():
            gids[alias] = code
        cid_to_gid = DecodedStreamObject()
        cid_to_gid.set_data(b"".join(g.to_bytes(2, "big") for g in gids))
        cid_to_gid = cid_to_gid.flate_encode()
        self.descendant[NameObject("/CIDToGIDMap")] = self.writer._add_object(cid_to_gid)


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
    __slots__ = (
        "op",
        "item",
        "index",
        "code",
        "text",
        "x",
        "advance",
        "rise",
        "size",
        "font",
        "font_name",
        "segment",
    )

    def __init__(self, **values):
        for key, value in values.items():
            setattr(self, key, value)


def _scan(operations, fonts):
    """Each shown glyph with its pen position in text space (per segment: a text matrix and after)."""
    glyphs = []
    font = size = font_name = None
    rise, x, segment, plain = 0.0, 0.0, 0, True
    for op_index, (operands, operator) in enumerate(operations):
        if operator in (b"BT", b"Tm", b"Td", b"TD", b"T*"):
            segment += 1
            x, plain = 0.0, True
        elif operator == b"Tf":
            font, size, font_name = fonts.get(operands[0]), float(operands[1]), operands[0]
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
                                font_name=font_name,
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
            before = glyphs[i - 1] if i > 0 and glyphs[i - 1].segment == glyph.segment else None
            # where poppler meets the letter drawn before: its first slot, if it has slots
            start_before = min((slot[1] for slot in plans.get(id(before)) or []), default=before and before.x)
            if (
                before is not None
                and before.text.strip()
                and carrier - len(units) * step - start_before < DUPLICATE * glyph.size
                and after is not None
                and after.segment == glyph.segment
                and len(after.text) == 1
                and after.advance > 0
                and id(after) not in plans
            ):
                # The letter drawn before is too narrow to leave the marks' slots room: poppler would
                # take the first mark for a copy of it and break the word (`سل ِيم`). The marks and the
                # letter that carries them share the room from just after that letter's start to the
                # carrier's end, one slot each, the carrier's own on the right.
                low, high = start_before + DUPLICATE * glyph.size, after.x + after.advance
                width = (high - low) / (len(units) + 1)
                if width >= DUPLICATE * glyph.size:
                    for j, (mark, ch) in enumerate(units):
                        plans.setdefault(id(mark), []).append((ch, low + j * width, low + (j + 1) * width))
                    plans[id(after)] = [(after.text, high - width, high)]
                    i += len(run)
                    continue
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


# pypdf takes a move to the right of half a space or more inside TJ for a space between words;
# a line drawn in reading order moves right without one, in steps below that.
STEP = 0.1


def _moves(distance, size):
    """TJ numbers that move the pen `distance` to the right: one to the left, steps of STEP em to the right."""
    if distance <= STEP * size:
        return [_move(distance, size)] if abs(distance) > 1e-9 else []
    steps = int(distance // (STEP * size))
    rest = distance - steps * STEP * size
    return [_move(STEP * size, size)] * steps + ([_move(rest, size)] if rest > 1e-9 else [])


def _emit(glyph, slots, render_mode):
    """The operations that draw `glyph` where it was, inside one span a slot, bounded by anchors (no
    slot: in one span that stands for nothing)."""
    shown = ByteStringObject(glyph.code.to_bytes(2, "big"))
    if not slots:
        actual = DictionaryObject({NameObject("/ActualText"): TextStringObject("")})
        return [([NameObject("/Span"), actual], b"BDC"), ([ArrayObject([shown])], b"TJ"), ([], b"EMC")]
    anchor = ByteStringObject(glyph.font.anchor.to_bytes(2, "big"))
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
        ops.append(([ArrayObject([*_moves(start - pen, size), anchor])], b"TJ"))
        pen = start
        if k == 0:  # the visible glyph, inside the first span, drawn where it was
            ops.append(([NumberObject(render_mode)], b"Tr"))
            ops += back
            ops.append(([ArrayObject([*_moves(x - pen, size), shown])], b"TJ"))
            pen = end
            ops += rise
            ops.append(([NumberObject(INVISIBLE)], b"Tr"))
        ops.append(([ArrayObject([*_moves(stop - pen, size), anchor])], b"TJ"))
        pen = stop
        ops.append(([NumberObject(render_mode)], b"Tr"))
        ops += back
        ops.append(([], b"EMC"))
    if pen != end:
        ops.append(([ArrayObject(_moves(end - pen, size))], b"TJ"))
    return ops


def _as_bytes(operands, operator):
    """Shown strings as bytes: pypdf reads a glyph string as text and would write it back as UTF-16."""
    if operator == b"TJ":
        return [ArrayObject(ByteStringObject(_raw(i)) if isinstance(i, (bytes, str)) else i for i in operands[0])]
    if operator in (b"Tj", b"'", b'"'):
        return [*operands[:-1], ByteStringObject(_raw(operands[-1]))]
    return operands


# --- What WeasyPrint knows and the PDF does not: each glyph's characters, in reading order -----------

_drawn = contextvars.ContextVar("pdftext_drawn", default=None)


@contextlib.contextmanager
def drawn_lines():
    """Collects, while WeasyPrint draws, each line it sets: `[(text, [(glyph, start, end, level), ...])]`.

    For every glyph drawn (in the order it is written, left to right), the characters of the line's
    text its cluster stands for (`text[start:end]`, in reading order) and the bidi level Pango set
    it at. HarfBuzz may draw one cluster with several glyphs (a vowel between lam and alef: the
    lam-alef ligature and the vowel), and WeasyPrint's ToUnicode map gives a glyph the text of the
    first cluster it appeared in; this is the text of each occurrence, and the reading order of the
    line. `extractable` uses it.
    """
    lines = []
    token = _drawn.set(lines)
    try:
        yield lines
    finally:
        _drawn.reset(token)


def _line_clusters(textbox):
    """The glyphs of the line WeasyPrint has just drawn for `textbox`, as `drawn_lines` gives them."""
    from weasyprint.text.ffi import ffi, pango

    if not textbox.text.strip() or textbox.style["font_size"] < 1e-6:
        return None  # nothing drawn (as draw_first_line)
    line, _ = textbox.pango_layout.get_first_line()
    text = textbox.pango_layout.text
    char_at, position = {}, 0
    for index, character in enumerate(text):
        char_at[position] = index
        position += len(character.encode())
    char_at[position] = len(text)
    glyphs = []
    run = line.runs[0]
    while run != ffi.NULL:
        item, run = run.data, run.next
        glyph_string = item.glyphs
        count, clusters = glyph_string.num_glyphs, glyph_string.log_clusters
        offset, length = item.item.offset, item.item.length
        level = item.item.analysis.level & 0xFF
        starts = sorted({clusters[i] for i in range(count)})
        ends = dict(zip(starts, [*starts[1:], length], strict=True))
        for i in range(count):
            glyph = glyph_string.glyphs[i].glyph
            if glyph == pango.PANGO_GLYPH_EMPTY:
                continue
            if glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                glyph = None  # drawn as .notdef under another id
            start, end = char_at.get(offset + clusters[i]), char_at.get(offset + ends[clusters[i]])
            if start is None or end is None:
                return None
            glyphs.append((glyph, start, end, level))
    return text, glyphs


def _install():
    from weasyprint.draw import text as weasy_text

    if getattr(weasy_text.draw_first_line, "pdftext", False):
        return
    original = weasy_text.draw_first_line

    def draw_first_line(stream, textbox, *args, **kwargs):
        result = original(stream, textbox, *args, **kwargs)
        lines = _drawn.get()
        if lines is not None:
            lines.append(_line_clusters(textbox))
        return result

    draw_first_line.pdftext = True
    weasy_text.draw_first_line = draw_first_line


_install()


# --- Reading order: what pypdf and poppler make of a line ------------------------------------------

RLM = "\u200f"
# poppler's text reordering (TextOutputDev.cc, reorderText) takes these for left to right: letters,
# digits and the separators between them (`,` `.` `:` `/` and the Arabic comma among them).
POPPLER_LTR = {"L", "EN", "AN", "ES", "ET", "CS"}
# How far the right-to-left mark poppler is given sits from the left-to-right run it closes: more
# than 0.1 em from the run's first character (poppler takes closer ones for duplicated text), less
# than 0.1 em before it (poppler breaks a word at a larger gap).
RLM_FROM, RLM_TO = DUPLICATE, 0.01


def _pypdf_kind(text):
    """How pypdf's text extraction classes a glyph's text: "R", "L" or neutral "N" (it takes a text of
    several characters as neutral; `pypdf._utils.is_char_rtl`, `is_char_neutral`)."""
    if len(text) != 1:
        return "N"
    if is_char_neutral(text):
        return "N"
    return "R" if is_char_rtl(text) else "L"


class Cluster:
    """The glyphs HarfBuzz drew for some characters of a line (drawn left to right), those characters
    and their bidi level."""

    __slots__ = ("members", "text", "level", "left")

    def __init__(self, members, text, level):
        self.members, self.text, self.level = members, text, level
        self.left = min(g.x for g in members)


def _clusters(glyphs, line):
    """The segment's glyphs grouped by cluster, in reading order; None if the record is not this line's."""
    text, drawn = line
    if len(drawn) != len(glyphs) or any(
        d[0] is not None and d[0] != g.code for d, g in zip(drawn, glyphs, strict=True)
    ):
        return None
    groups = {}
    for glyph, (_, start, end, level) in zip(glyphs, drawn, strict=True):
        groups.setdefault((start, end), (level, []))[1].append(glyph)
    return [Cluster(members, text[start:end], level) for (start, end), (level, members) in sorted(groups.items())]


def _reading(cluster):
    """The cluster's glyphs in reading order (drawn left to right: right to left is reversed)."""
    return list(reversed(cluster.members)) if cluster.level % 2 else list(cluster.members)


def _mend(cluster):
    """Give a cluster whose glyphs' ToUnicode texts do not read as its characters codes of its own:
    the widest glyph stands for the whole cluster, the others for nothing. (A vowel between lam and
    alef: HarfBuzz draws the lam-alef ligature and the vowel as one cluster, and WeasyPrint gave
    each glyph the text it had where it first met it, the ligature `لا` and the vowel `َ`, or the
    vowel the three characters and the ligature none.) `_plan` then puts the widest glyph's
    characters in one-letter slots over its width, as for any ligature."""
    members = cluster.members
    readable = "".join(g.text for g in _reading(cluster)) == cluster.text and all(
        len(g.text) == 1 or is_arabic_mark(g.text) or (is_rtl_cluster(g.text) and g.advance > 0) for g in members
    )
    if readable or not cluster.text or members[0].font.anchor is None:
        return []
    widest = max(members, key=lambda g: g.advance)
    for glyph in members:
        text = cluster.text if glyph is widest else ""
        glyph.code, glyph.text = glyph.font.alias(glyph.code, text), text
    return members


def _poppler_ltr(cluster):
    return any(unicodedata.bidirectional(ch) in POPPLER_LTR for ch in cluster.text)


def _strong_rtl(cluster):
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in cluster.text)


def _rlm_after(clusters):
    """Where poppler, reading a page right to left, needs a right-to-left mark: after each run of
    characters it takes for left to right (digits, Latin, separators; a run ends where the next is
    not drawn on its right) that anything but a right-to-left letter follows, where one side of the
    boundary is at a right-to-left level. poppler's reordering gives a left-to-right run every
    neutral character to its left (`2005) و` came out `)2005 و`, `أمريكا،"مقلقة` `أمريكا"،مقلقة`,
    `29/مايو` `/29مايو`); the mark, read by poppler only (ActualText on invisible anchors), ends
    the run where the printed text does. Answers `{index of the run's last cluster: x of its left}`."""
    marks = {}
    i = 0
    while i < len(clusters):
        if not _poppler_ltr(clusters[i]):
            i += 1
            continue
        j = i
        while (
            j + 1 < len(clusters)
            and _poppler_ltr(clusters[j + 1])
            and clusters[j + 1].left > clusters[j].left  # drawn on its right (kerned, perhaps)
        ):
            j += 1
        after = clusters[j + 1] if j + 1 < len(clusters) else None
        if after is not None and (after.level % 2 or clusters[j].level % 2) and not _strong_rtl(after):
            marks[j] = min(c.left for c in clusters[i : j + 1])
        i = j + 1
    return marks


def _pypdf_reads(chunks, rtl):
    """What pypdf's text extraction reads from glyphs met in this order, chunk after chunk (a flush
    between them), starting in direction `rtl`: (text, the direction it ends in). Its rule
    (`pypdf._text_extraction.get_display_str`): a strong character of the other direction closes
    the run; a right-to-left run is turned around; neutral ones join the run they meet."""
    out = []
    for chunk in chunks:
        run = []
        for glyph in chunk:
            kind = _pypdf_kind(glyph.text) if glyph.text else None
            if kind is None:
                continue
            if kind != "N" and (kind == "R") != rtl:
                out.append("".join(reversed(run)) if rtl else "".join(run))
                run, rtl = [], kind == "R"
            run.append(glyph.text)
        out.append("".join(reversed(run)) if rtl else "".join(run))
    return "".join(out), rtl


def _drawn_order(glyphs):
    return sorted(glyphs, key=lambda g: (g.op, g.item, g.index))


def _chunks(clusters, rtl):
    """The line's glyphs in the order pypdf must meet them to read them in reading order, as chunks
    separated by a flush (a repeated Tf: pypdf closes its text run there and keeps its direction),
    pypdf reading right to left (`rtl`) when the line starts.

    pypdf reads glyphs in content order and turns each run of right-to-left letters around, so a
    line drawn left to right reads as printed only while it has no left-to-right letter or digit:
    `و2005` in a right-to-left line came out `2005 و`. Here each run of one direction is a chunk, in
    reading order: a right-to-left chunk drawn left to right (pypdf turns it), a left-to-right one
    in reading order; neutral characters go with the chunk of the next strong one; the neutral ones
    after the last strong one of a line that ends right to left, or on a line with no strong one
    (`لا.`: pypdf takes lam-alef, two letters, for neutral), are drawn in the order the direction
    pypdf then reads in needs. Answers `[[glyph, ...], ...]`.
    """
    kinds = []
    for cluster in clusters:
        glyph_kinds = [_pypdf_kind(g.text) for g in _drawn_order(cluster.members) if g.text]
        if "L" in glyph_kinds:
            kinds.append("L")
        elif glyph_kinds and glyph_kinds[0] == "R":  # the glyph pypdf meets first decides its run
            kinds.append("R")
        else:
            kinds.append("N")
    groups, pending = [], []
    for cluster, kind in zip(clusters, kinds, strict=True):
        pending.append((cluster, kind))
        if kind == "N":
            continue
        if groups and groups[-1][0] == kind:
            groups[-1][1].extend(pending)
        else:
            groups.append((kind, pending))
        pending = []
    if pending:
        if groups and groups[-1][0] == "L":
            groups[-1][1].extend(pending)
        else:
            groups.append(("N", pending))
    chunks = []
    for kind, members in groups:
        if kind == "L":
            # The neutral ones before its first letter each on their own: pypdf, still reading right to
            # left after the chunk before, would put two of them the other way round (`( ` for ` (`).
            lead = 0
            while members[lead][1] == "N":
                lead += 1
            chunks += [_drawn_order(c.members) for c, _ in members[:lead]]
            chunks.append([g for c, _ in members[lead:] for g in _drawn_order(c.members)])
            rtl = False
        elif kind == "R" or rtl:  # drawn left to right, as WeasyPrint drew them: pypdf turns them
            chunks.append(_drawn_order([g for c, _ in members for g in c.members]))
            rtl = rtl or kind == "R"
        else:  # neutral ones read left to right: in reading order
            chunks.append([g for c, _ in members for g in _drawn_order(c.members)])
    return chunks


def _segment_items(glyphs, clusters, rtl_page, rtl):
    """What to draw for one line WeasyPrint set, pypdf reading right to left (`rtl`) when it starts:
    (`[item, ...]` or None to leave the line as it is, the direction pypdf ends the line in). Each item
    is `("glyph", glyph)`, `("flush", glyph)` or `("mark", x of the run's left, glyph)`."""
    marks = _rlm_after(clusters) if rtl_page else {}
    printed = "".join(g.text for c in clusters for g in _reading(c))
    as_drawn, after = _pypdf_reads([glyphs], rtl)
    reorder = as_drawn != printed
    if reorder:
        order = _chunks(clusters, rtl)
        text, after = _pypdf_reads(order, rtl)
        if text != printed:  # not a line this can order (nothing is lost by leaving it as set)
            reorder, after = False, _pypdf_reads([glyphs], rtl)[1]
    if not (reorder or marks):
        return None, after
    # A mark goes just before the run's leftmost glyph is drawn: the pen is then just left of it
    # (a move to the right of more than a few hundredths of an em would be a space to pypdf).
    before = {}
    for j, left in marks.items():
        run_glyphs = [g for c in clusters[: j + 1] for g in c.members if abs(g.x - left) < 1e-9]
        if run_glyphs:
            before[id(run_glyphs[-1])] = left
    items = []
    for chunk in order if reorder else [glyphs]:
        if reorder:
            items.append(("flush", chunk[0]))
        for glyph in chunk:
            if id(glyph) in before:
                items.append(("mark", before[id(glyph)], glyph))
            items.append(("glyph", glyph))
    if reorder:
        items.append(("flush", glyphs[-1]))
    return items, after


def _poppler_rtl(glyphs):
    """Whether poppler reads the page right to left: more right-to-left letters than left-to-right."""
    count = 0
    for glyph in glyphs:
        for ch in glyph.text:
            kind = unicodedata.bidirectional(ch)
            count += 1 if kind == "L" else -1 if kind in ("R", "AL") else 0
    return count < 0


def _draw_items(items, render_mode, rise):
    """The operations that draw a line's items, each glyph exactly where it was."""
    ops, pen, shown, shown_size = [], 0.0, [], None

    def close():
        nonlocal shown
        if shown:
            ops.append(([ArrayObject(shown)], b"TJ"))
            shown = []

    def set_rise(value):
        nonlocal rise
        if value != rise:
            close()
            ops.append(([FloatObject(value)], b"Ts"))
            rise = value

    for item in items:
        glyph = item[-1] if item[0] == "mark" else item[1]
        size = glyph.size
        if item[0] == "flush":
            close()
            ops.append(([glyph.font_name, FloatObject(size)], b"Tf"))
        elif item[0] == "mark":
            close()
            set_rise(0.0)
            left = item[1]
            anchor = ByteStringObject(glyph.font.anchor.to_bytes(2, "big"))
            glyph.font.declare_anchor()
            start, stop = left - RLM_FROM * size, left - RLM_TO * size
            ops.append(
                ([NameObject("/Span"), DictionaryObject({NameObject("/ActualText"): TextStringObject(RLM)})], b"BDC")
            )
            ops.append(([NumberObject(INVISIBLE)], b"Tr"))
            ops.append(([ArrayObject([*_moves(start - pen, size), anchor])], b"TJ"))
            ops.append(([ArrayObject([*_moves(stop - start, size), anchor])], b"TJ"))
            ops.append(([NumberObject(render_mode)], b"Tr"))
            ops.append(([], b"EMC"))
            pen = stop
        else:
            slots = item[2]
            set_rise(glyph.rise)
            if slots is not None:
                close()
                if abs(glyph.x - pen) > 1e-9:
                    ops.append(([ArrayObject(_moves(glyph.x - pen, size))], b"TJ"))
                ops += _emit(glyph, slots, render_mode)
            else:
                if shown_size != size:
                    close()
                    shown_size = size
                shown += _moves(glyph.x - pen, size)
                shown.append(ByteStringObject(glyph.code.to_bytes(2, "big")))
            pen = glyph.x + glyph.advance
    close()
    return ops, rise


def _rewrite(operations, glyphs, plans, lines=None):
    """The operations with each planned glyph's TJ split around it and the glyph drawn in spans, and
    each line in `lines` (`{segment: items}`) drawn again from its items."""
    by_op, segment_ops = {}, {}
    for glyph in glyphs:
        if lines and glyph.segment in lines:
            first, last = segment_ops.get(glyph.segment, (glyph.op, glyph.op))
            segment_ops[glyph.segment] = (min(first, glyph.op), max(last, glyph.op))
        elif id(glyph) in plans:
            by_op.setdefault(glyph.op, []).append(glyph)
    starts = {first: (segment, last) for segment, (first, last) in segment_ops.items()}
    if not by_op and not starts:
        return operations
    out, render_mode, stack, rise = [], 0, [], 0.0
    skip_until = -1
    for op_index, (operands, operator) in enumerate(operations):
        if op_index <= skip_until:
            if operator == b"Ts":
                rise = float(operands[0])
            continue
        if operator == b"Tr":
            render_mode = int(operands[0])
        elif operator == b"q":
            stack.append(render_mode)
        elif operator == b"Q" and stack:
            render_mode = stack.pop()
        elif operator == b"Ts":
            rise = float(operands[0])
        if op_index in starts:
            segment, last = starts[op_index]
            items = [(*item, plans.get(id(item[1]))) if item[0] == "glyph" else item for item in lines[segment]]
            drawn, now = _draw_items(items, render_mode, rise)
            out += drawn
            # the rise the line's last operation left
            final = rise
            for operands_, operator_ in operations[op_index : last + 1]:
                if operator_ == b"Ts":
                    final = float(operands_[0])
            if now != final:
                out.append(([FloatObject(final)], b"Ts"))
            rise = final
            skip_until = last
            continue
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
                if glyph is None or plans[id(glyph)] is None:  # as drawn (an alias: its own code)
                    run += data[index : index + 2] if glyph is None else glyph.code.to_bytes(2, "big")
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


def _segments_only_show_text(operations, glyphs):
    """The segments whose operations, from their first glyph's to their last's, only show text and
    set its rise (what WeasyPrint writes for a line): only those are drawn again."""
    spans = {}
    for glyph in glyphs:
        first, last = spans.get(glyph.segment, (glyph.op, glyph.op))
        spans[glyph.segment] = (min(first, glyph.op), max(last, glyph.op))
    return {
        segment
        for segment, (first, last) in spans.items()
        if all(operator in (b"TJ", b"Ts") for _, operator in operations[first : last + 1])
    }


def extractable(pdf, lines=None):
    """`pdf` (bytes) with its text in spans and order both pypdf and poppler read as printed.

    `lines` is what `drawn_lines()` collected while WeasyPrint set `pdf`: with it, each line is
    read in its reading order (digits and Latin inside Arabic), and a cluster of several glyphs as
    its characters; without it, only ligatures and raised marks are put in spans for poppler. The
    pages look the same.
    """
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    writer.pdf_header = reader.pdf_header  # keep WeasyPrint's version (ActualText needs 1.5)
    changed = False
    known = {}  # the fonts, by object: pages share them, and their aliases
    remaining = [line for line in (lines or []) if line and line[1]]
    cursor = 0
    for page in writer.pages:
        resources = page.get("/Resources")
        if resources is None or "/Font" not in resources or page.get_contents() is None:
            continue
        fonts = {}
        for name, reference in resources["/Font"].get_object().items():
            font = reference.get_object()
            if not usable(font):
                continue
            key = getattr(reference, "idnum", id(font))
            if key not in known:
                known[key] = Font(font, writer)
            fonts[NameObject(name)] = known[key]
        if not fonts:
            continue
        content = ContentStream(page.get_contents(), writer)
        glyphs = _scan(content.operations, fonts)
        # Each line WeasyPrint drew (matched by its glyphs, in order; lines drawn elsewhere are
        # skipped): its clusters, with their text mended where the ToUnicode map says otherwise.
        matched, mended = {}, []
        by_segment = {}
        for glyph in glyphs:
            by_segment.setdefault(glyph.segment, []).append(glyph)
        for segment, members in by_segment.items():
            codes = [g.code for g in members]
            for ahead in range(cursor, len(remaining)):
                drawn = [d[0] for d in remaining[ahead][1]]
                if len(drawn) == len(codes) and all(d is None or d == c for d, c in zip(drawn, codes, strict=True)):
                    clusters = _clusters(members, remaining[ahead])
                    if clusters is not None:
                        matched[segment] = clusters
                        mended += [g for c in clusters for g in _mend(c)]
                    cursor = ahead + 1
                    break
        plans = _plan(glyphs)
        redrawn = {}
        if matched:
            rtl_page = _poppler_rtl(glyphs)
            whole = _segments_only_show_text(content.operations, glyphs)
            rtl = False  # how pypdf starts a page
            for segment, members in by_segment.items():  # in content order, following pypdf's direction
                if segment in matched and segment in whole:
                    items, rtl = _segment_items(members, matched[segment], rtl_page, rtl)
                    if items:
                        redrawn[segment] = items
                else:
                    rtl = _pypdf_reads([members], rtl)[1]
        for glyph in mended:
            if not glyph.text:
                # A glyph that now stands for nothing (the vowel drawn raised over lam-alef) goes in a
                # span with empty ActualText: poppler would break the word at its baseline.
                plans[id(glyph)] = []
            elif glyph.segment not in redrawn and id(glyph) not in plans:
                plans[id(glyph)] = None  # its alias's code, written where it was
        if not plans and not redrawn:
            continue
        for glyph in glyphs:
            if plans.get(id(glyph)):
                glyph.font.declare_anchor()
        content.operations = _rewrite(content.operations, glyphs, plans, redrawn)
        page.replace_contents(content)
        changed = True
    if not changed:
        return pdf
    for font in known.values():
        font.declare_aliases()
    for page in writer.pages:
        page.compress_content_streams()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
