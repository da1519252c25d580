"""Own-words summaries: not near-copies of the official text, not templated, informative."""
from __future__ import annotations

import csv
import difflib
import re
from collections import Counter

import pytest

from rolegraph.graph import RoleGraph

from .conftest import OFFICIAL_2025

NEAR_COPY = 0.6      # difflib ratio at or above which a summary is a near-copy (the issue measured 0.85)


def _summaries(graph: RoleGraph, cls: str) -> dict[str, str]:
    rows = graph.select(f"""SELECT ?name ?desc WHERE {{ ?n a {cls} ; skos:prefLabel ?name ;
                            dcterms:description ?desc ; rg:descriptionKind rg:OwnSummary }}""")
    return {r["name"]: r["desc"] for r in rows}


def _first_sentence_without_subject(text: str, role: str) -> str:
    """The official first sentence, without its "A <role> ..." subject (summaries start at the verb)."""
    first = re.split(r"(?<=\.)\s", text.replace("\r", "").strip(), maxsplit=1)[0].casefold()
    return re.sub(r"^(an?|the)\s+" + re.escape(role.casefold()) + r"s?\s+", "", first)


def test_no_role_summary_is_a_near_copy_of_the_official_first_sentence(graph):
    if not (OFFICIAL_2025 / "roles.csv").is_file():
        pytest.skip("../shared/official-exports/2025-10 is not present")
    with (OFFICIAL_2025 / "roles.csv").open(encoding="utf-8-sig", newline="") as fh:
        official = {}
        for row in csv.DictReader(fh):
            official.setdefault(" ".join(row["Role"].split()), row["Role Description"])
    summaries = _summaries(graph, "rg:Role")
    compared = [name for name in summaries if name in official]
    assert len(compared) >= 50
    near = {name: round(difflib.SequenceMatcher(None, summaries[name].casefold(),
                                                _first_sentence_without_subject(official[name], name)).ratio(), 2)
            for name in compared}
    assert {n: r for n, r in near.items() if r >= NEAR_COPY} == {}


def test_summaries_are_not_templated(graph):
    """No boilerplate opening shared by several summaries ("Roles that ...", "SCS leader ...")."""
    for cls in ("rg:Role", "rg:JobFamily"):
        texts = list(_summaries(graph, cls).values())
        assert texts
        openings = Counter(" ".join(t.split()[:2]).casefold() for t in texts)
        assert [o for o, n in openings.items() if n > 3] == []
        assert not [t for t in texts if re.match(r"(roles that|scs leader)\b", t, re.I)]


def test_rewritten_summaries_say_how_a_role_differs(graph):
    """The rewrites (data/sources/summaries.json) are one or two sentences and informative."""
    import json

    from .conftest import ROOT

    rewrites = json.loads((ROOT / "data" / "sources" / "summaries.json").read_text(encoding="utf-8"))
    summaries = _summaries(graph, "rg:Role")
    for name, text in rewrites["roles"].items():
        assert summaries[name] == text
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
        assert 1 <= len(sentences) <= 2 and len(text.split()) >= 20, name
