"""Counts written as digits or words ("three", "twenty-one", "a dozen", "dozens") and their qualifiers."""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "no": 0, "none": 0, "a": 1, "an": 1, "one": 1, "single": 1, "lone": 1, "two": 2, "both": 2,
    "pair": 2, "couple": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "dozen": 12,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1000}
# Vague quantities map to their lower bound: a count we are sure of, flagged as approximate.
_VAGUE = {"dozens": 24, "scores": 40, "several": 3, "hundreds": 200, "thousands": 2000}
_ORDINAL_NEXT = {"another": 1, "second": 1, "third": 1, "fourth": 1, "fifth": 1}

NUMBER_WORDS = set(_UNITS) | set(_TENS) | set(_SCALES) | set(_VAGUE)
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})*$|^\d+$")


def parse_number(text: str) -> tuple[int, bool] | None:
    """Parse a count; returns (value, approximate) or None. "a dozen" -> 12, "twenty-one" -> 21."""
    t = text.lower().strip().replace("-", " ")
    if not t:
        return None
    if _DIGITS.match(t):
        return int(t.replace(",", "")), False
    if t in _VAGUE:
        return _VAGUE[t], True
    words = [w for w in t.split() if w not in ("and",)]
    if not words:
        return None
    if words[0] in ("a", "an") and len(words) > 1:
        words = words[1:]
    total, current = 0, 0
    # with a figure among the words, two counts side by side are two numbers, not one ("Channel 3 four men", "12
    # two"): not 7, not 14. Words alone keep adding up ("twenty four", "one hundred twenty four")
    figures = any(_DIGITS.match(w) for w in words)
    counted = False  # a figure or count word since the last scale word
    for w in words:
        if figures and (_DIGITS.match(w) or w in _UNITS or w in _TENS):
            if counted:
                return None
            counted = True
        elif w in _SCALES:
            counted = False
        if _DIGITS.match(w):
            current += int(w.replace(",", ""))
        elif w in _UNITS:
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w in _SCALES:
            current = max(current, 1) * _SCALES[w]
            if _SCALES[w] >= 1000:
                total, current = total + current, 0
        elif w in _VAGUE:
            return _VAGUE[w], True
        else:
            return None
    return total + current, False


def is_number_word(word: str) -> bool:
    """True for a token that can be part of a spelled-out count."""
    w = word.lower()
    return w in NUMBER_WORDS or bool(_DIGITS.match(w)) or "-" in w and all(p in NUMBER_WORDS for p in w.split("-"))
