"""Unicode handling for Vietnamese text: normal form, search folding and control characters."""

import unicodedata

_ALLOWED_WHITESPACE = frozenset("\t\n\r")


def nfc(text: str) -> str:
    """Return the text in Unicode normal form C, the one form we store and compare."""
    return unicodedata.normalize("NFC", text)


def fold_for_search(text: str) -> str:
    """Fold text so that people typing without diacritics find what they look for.

    FTS5's remove_diacritics and PostgreSQL's unaccent leave đ/Đ alone (it is a letter of its
    own, not d with a mark), so it is mapped by hand.
    """
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d").replace("Đ", "D").casefold()


def has_control_characters(text: str, *, allow_newlines: bool = False) -> bool:
    """Tell whether the text holds control or invisible format characters (bidi overrides...)."""
    # Printable text has no character of category C* at all (str.isprintable, in C): the usual
    # case needs no look-up per character.
    if text.isprintable():
        return False
    for ch in text:
        if allow_newlines and ch in _ALLOWED_WHITESPACE:
            continue
        if unicodedata.category(ch) in ("Cc", "Cf"):
            return True
    return False
