"""Long lists of literal alternatives as one regular expression that is quick to search.

A flat alternation ("Islamic State|ISIS|ISIL|...") makes the regex engine try every word at every position of the
text. Written as a letter tree ("is(?:is(?:-k)?|il)") it tries only the branch of the next letter, and it matches
exactly what the flat list sorted longest first matches: where one word starts another, the longer is tried first
and the shorter is matched when the longer one does not fit (greedy optional branches backtrack the same way).
"""

from __future__ import annotations

import re

_Tree = dict[str, "_Tree"]


def word_tree(words: list[str] | set[str], lower: bool = False) -> str:
    """A non-capturing pattern matching any of `words` (lower-cased first when `lower`, for an re.I pattern)."""
    tree: _Tree = {}
    for word in {w.lower() for w in words} if lower else set(words):
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here
    return "(?:" + _pattern(tree) + ")"


def _pattern(node: _Tree) -> str:
    branches = [re.escape(ch) + _pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return "(?:" + body + ")?" if "" in node else body
