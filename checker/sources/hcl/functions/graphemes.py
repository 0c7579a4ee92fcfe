"""Grapheme clusters, as Terraform counts characters: go-textseg v15's scanner over Unicode
15's grapheme break properties (close to UAX #29's extended grapheme clusters): a letter
and its combining marks, a CRLF, a flag (two regional indicators), an emoji with its
modifiers and ZWJ sequence, a Hangul syllable, are each one. The break property comes from
Python's unicodedata where it can (general categories), from the tables below where it
cannot."""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from functools import lru_cache

# Unicode 15 properties that Python's unicodedata does not give, as code point ranges.
_EXT_PICT = (
    "A9 AE 203C 2049 2122 2139 2194-2199 21A9-21AA 231A-231B 2328 2388 23CF 23E9-23F3 "
    "23F8-23FA 24C2 25AA-25AB 25B6 25C0 25FB-25FE 2600-2605 2607-2612 2614-2685 2690-2705 "
    "2708-2712 2714 2716 271D 2721 2728 2733-2734 2744 2747 274C 274E 2753-2755 2757 "
    "2763-2767 2795-2797 27A1 27B0 27BF 2934-2935 2B05-2B07 2B1B-2B1C 2B50 2B55 3030 303D "
    "3297 3299 1F000-1F0FF 1F10D-1F10F 1F12F 1F16C-1F171 1F17E-1F17F 1F18E 1F191-1F19A "
    "1F1AD-1F1E5 1F201-1F20F 1F21A 1F22F 1F232-1F23A 1F23C-1F23F 1F249-1F3FA 1F400-1F53D "
    "1F546-1F64F 1F680-1F6FF 1F774-1F77F 1F7D5-1F7FF 1F80C-1F80F 1F848-1F84F 1F85A-1F85F "
    "1F888-1F88F 1F8AE-1F8FF 1F90C-1F93A 1F93C-1F945 1F947-1FAFF 1FC00-1FFFD")
_PREPEND = ("600-605 6DD 70F 890-891 8E2 D4E 110BD 110CD 111C2-111C3 1193F 11941 11A3A "
            "11A84-11A89 11D46 11F02")
_OTHER_EXTEND = ("9BE 9D7 B3E B57 BBE BD7 CC2 CD5-CD6 D3E D57 DCF DDF 1B35 200C 302E-302F "
                 "FF9E-FF9F 1133E 11357 114B0 114BD 115AF 11930 1D165 1D16E-1D172 "
                 "E0020-E007F 1F3FB-1F3FF")
_NOT_SPACING = ("102B-102C 1038 1062-1064 1067-106D 1083 1087-108C 108F 109A-109C 1A61 "
                "1A63-1A64 AA7B AA7D 11720-11721")
_IGNORABLE_UNASSIGNED = "2065 FFF0-FFF8 E0000 E0002-E001F E0080-E00FF E01F0-E0FFF"


def _table(spec: str) -> list[int]:
    """Ranges `A-B C` as a flat sorted list of starts and ends+1 (for bisect)."""
    out: list[int] = []
    for item in sorted(spec.split(), key=lambda item: int(item.partition("-")[0], 16)):
        lo, _, hi = item.partition("-")
        out += [int(lo, 16), int(hi or lo, 16) + 1]
    return out


def _member(table: list[int], cp: int) -> bool:
    """True when *cp* lies in one of *table*'s ranges."""
    return bisect_right(table, cp) % 2 == 1


_TABLES = {name: _table(spec) for name, spec in (
    ("pict", _EXT_PICT), ("prepend", _PREPEND), ("extend", _OTHER_EXTEND),
    ("not_spacing", _NOT_SPACING), ("ignorable", _IGNORABLE_UNASSIGNED))}

# Grapheme_Cluster_Break values (PICT: Extended_Pictographic, otherwise Other).
(OTHER, CR, LF, CONTROL, EXTEND, ZWJ, RI, PREPEND, SPACING, L, V, T, LV, LVT,
 PICT) = range(15)


@lru_cache(maxsize=8192)
def _kind(ch: str) -> int:
    """The grapheme break property of *ch*."""
    cp = ord(ch)
    if cp < 0x7F:
        return CR if cp == 0x0D else LF if cp == 0x0A else CONTROL if cp < 0x20 else OTHER
    hangul = _hangul(cp)
    if hangul is not None:
        return hangul
    if 0x1F1E6 <= cp <= 0x1F1FF:
        return RI
    if cp == 0x200D:
        return ZWJ
    if _member(_TABLES["prepend"], cp):
        return PREPEND
    cat = unicodedata.category(ch)
    if cat in ("Mn", "Me") or _member(_TABLES["extend"], cp):
        return EXTEND
    if cat in ("Zl", "Zp", "Cc", "Cf", "Cs") or cp == 0xFFFD or (
            cat == "Cn" and _member(_TABLES["ignorable"], cp)):
        return CONTROL  # U+FFFD too: textseg reads it as it reads a control
    if (cat == "Mc" and not _member(_TABLES["not_spacing"], cp)) or cp in (0xE33, 0xEB3):
        return SPACING
    return PICT if _member(_TABLES["pict"], cp) else OTHER


def _hangul(cp: int) -> int | None:
    """The Hangul syllable type of *cp*, if it has one."""
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97C:
        return L
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return V
    if 0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
        return T
    if 0xAC00 <= cp <= 0xD7A3:
        return LV if (cp - 0xAC00) % 28 == 0 else LVT
    return None


def _run(kinds: list[int], j: int, allowed: tuple[int, ...]) -> int:
    """Where the run of *allowed* kinds starting at *j* ends."""
    while j < len(kinds) and kinds[j] in allowed:
        j += 1
    return j


def _extension(kinds: list[int], j: int) -> int:
    """The end of textseg's `Extension`: Extend, SpacingMark, ZWJ (Extended_Pictographic
    Extend*)?, repeated."""
    while j < len(kinds):
        if kinds[j] in (EXTEND, SPACING):
            j += 1
        elif kinds[j] == ZWJ:
            j += 1
            if j < len(kinds) and kinds[j] == PICT:
                j = _run(kinds, j + 1, (EXTEND,))
        else:
            break
    return j


def _hangul_end(kinds: list[int], i: int) -> int:
    """The end of the longest Hangul syllable sequence at *i* (textseg's HangulSeq, less
    its extension)."""
    first = kinds[i]
    if first == L:
        j = _run(kinds, i, (L,))
        ends = [j + (j < len(kinds) and kinds[j] == LV)]
        k = j + (j < len(kinds) and kinds[j] == LV)
        if k < len(kinds) and kinds[k] == V:
            ends.append(_run(kinds, _run(kinds, k, (V,)), (T,)))
        if j < len(kinds) and kinds[j] == LVT:
            ends.append(_run(kinds, j + 1, (T,)))
        return max(ends)
    if first in (LV, V):
        return _run(kinds, _run(kinds, i + (first == LV), (V,)), (T,))
    return _run(kinds, i + (first == LVT), (T,))


def _token_end(kinds: list[int], i: int) -> int:
    """The end of the cluster starting at *i*: the longest token of textseg v15's scanner
    (grapheme_clusters.rl), which is not quite UAX #29 (`🇬` ZWJ `🏴` is one cluster)."""
    first, n = kinds[i], len(kinds)
    if first == CR:
        return i + 2 if i + 1 < n and kinds[i + 1] == LF else i + 1
    if first in (LF, CONTROL):
        return i + 1
    if first == PREPEND:
        j = _run(kinds, i, (PREPEND,))
        return j if j == n or kinds[j] in (CR, LF, CONTROL) else _token_end(kinds, j)
    if first in (L, V, T, LV, LVT):
        return _extension(kinds, _hangul_end(kinds, i))
    if first == PICT:
        return _extension(kinds, _run(kinds, i + 1, (EXTEND,)))
    if first == RI:
        return _extension(kinds, i + 1 + (i + 1 < n and kinds[i + 1] == RI))
    return _run(kinds, i + 1, (EXTEND, ZWJ, SPACING))


def graphemes(text: str) -> list[str]:
    """*text* split into its grapheme clusters."""
    if text.isascii() and "\r" not in text:
        return list(text)
    kinds = [_kind(ch) for ch in text]
    out: list[str] = []
    i = 0
    while i < len(text):
        end = _token_end(kinds, i)
        out.append(text[i:end])
        i = end
    return out


def grapheme_count(text: str) -> int:
    """How many characters Terraform counts in *text*."""
    if text.isascii():
        return len(text) - text.count("\r\n")
    return len(graphemes(text))


__all__ = ["grapheme_count", "graphemes"]
