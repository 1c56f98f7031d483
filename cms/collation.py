"""Alphabetical order per language, independent of the database's collation.

Swedish puts Å, Ä and Ö after Z, in that order, and treats accented letters (é, ü) as their
base letters; English sorts accented letters with their base letters. Databases sort by
their own collation (often byte order), so short lists (topics) are sorted here.
"""

import unicodedata

SWEDISH_LAST = {"å": "z\u0001", "ä": "z\u0002", "æ": "z\u0002", "ö": "z\u0003", "ø": "z\u0003"}


def _base(char):
    decomposed = unicodedata.normalize("NFD", char)
    return decomposed[0]


def collation_key(text, language):
    """A sort key for ``text`` in ``language`` ('sv' or anything else)."""
    folded = unicodedata.normalize("NFC", text.casefold())
    if language == "sv":
        return "".join(SWEDISH_LAST.get(char) or _base(char) for char in folded)
    return "".join(_base(char) for char in folded)
