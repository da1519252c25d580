"""The one slug rule, shared by the bundled data and the CSV importer.

A slug is the lower-case name with every run of other characters turned into a
single hyphen, so the same name always gets the same IRI across releases:

>>> slugify("Data and artificial intelligence (AI) ethicist")
'data-and-artificial-intelligence-ai-ethicist'
>>> slugify("  SCS 1 ")
'scs-1'
"""
from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(name: str) -> str:
    """Return the IRI slug for *name* (ASCII, lower case, hyphen-separated)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM.sub("-", text.lower()).strip("-")
