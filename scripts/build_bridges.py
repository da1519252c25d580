"""Generate data/bridges.ttl: inferred career bridges from G6 role levels into the SCS roles they lead toward.

Why: the framework's Senior Civil Service (SCS) roles require SCS-only skills
that no ordinary role level shares, so skill similarity cannot say which
ordinary roles lead to which SCS role. These bridges say it from *role
relevance*: which job families and roles each SCS role leads.

Method (``bridge:method/role-relevance``), rules in :data:`LEADS`:

* Origins: role levels whose grade band tops out at G6 (one grade below SCS 1,
  where SCS roles are entered), so every bridge is a one-grade step. Bands come
  from rolegraph.careers (management variants take their twin's band).
* An origin gets a bridge to every SCS role with a rule matching its role or
  job family; its strength is the best matching rule's relevance: 0.9 for the
  families and roles the SCS role leads directly, 0.6 for neighbouring ones.
  A weaker bridge costs more on a path (rolegraph.careers.model).
* Inferred bridges never exceed 0.9: an official edge (``rg:inferred false``,
  from the framework's "Senior Civil Service roles that X could lead to"
  sections, added as data with ``dcterms:source``) counts as 1.0 and is preferred.

Usage: python scripts/build_bridges.py [--check]   (--check: exit 1 if the file is out of date)

It reads the RDF graph of the ontology and the other data files (never
data/bridges.ttl itself) through rolegraph.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from rolegraph import careers  # noqa: E402
from rolegraph import namespaces as ns  # noqa: E402
from rolegraph.graph import RoleGraph  # noqa: E402
from rolegraph.slugs import slugify  # noqa: E402
from rolegraph.store import expand_paths  # noqa: E402

OUT = ROOT / "data" / "bridges.ttl"
METHOD = ns.BRIDGE + "method/role-relevance"
ORIGIN_TOP_GRADE = "G6"
DIRECT, NEIGHBOUR = 0.9, 0.6

#: SCS role slug -> rules: (what: "family" name or "role" slug, relevance, why)
LEADS: dict[str, list[tuple[str, str, float, str]]] = {
    "chief-data-officer": [
        ("family", "Data", DIRECT, "leads the data profession, the Data job family"),
        ("role", "data-architect", NEIGHBOUR, "data architecture sets the data standards a chief data officer owns"),
    ],
    "chief-technology-officer": [
        ("family", "Architecture", DIRECT, "leads technology architecture, the Architecture job family"),
        ("family", "Software development", DIRECT, "leads software engineering, the Software development job family"),
        ("role", "infrastructure-engineer", DIRECT, "leads infrastructure"),
        ("role", "infrastructure-operations-engineer", DIRECT, "leads infrastructure"),
        ("family", "IT operations", NEIGHBOUR, "IT operations runs the technology a chief technology officer sets"),
        ("family", "Quality assurance testing (QAT)", NEIGHBOUR, "testing is part of engineering practice"),
        ("role", "data-engineer", NEIGHBOUR, "data engineering builds technology platforms"),
        ("role", "machine-learning-engineer", NEIGHBOUR, "machine learning engineering builds technology platforms"),
    ],
    "chief-information-security-officer": [
        ("role", "security-architect", DIRECT, "leads security, whose specialist roles are security architects"),
        ("family", "IT operations", NEIGHBOUR, "IT operations handles incidents and secure running of services"),
        ("family", "Architecture", NEIGHBOUR,
         "architects design the controls a chief information security officer sets"),
    ],
    "chief-digital-and-information-officer": [
        ("family", "Product and delivery", DIRECT, "leads digital services, products and their delivery"),
        ("role", "it-service-manager", DIRECT, "leads IT service management"),
        ("role", "service-desk-manager", DIRECT, "leads IT service management"),
        ("role", "service-transition-manager", DIRECT, "leads IT service management"),
        ("role", "business-relationship-manager", DIRECT, "leads the relationship between IT and the business"),
        ("family", "User-centred design", NEIGHBOUR, "user-centred design shapes the services it leads"),
        ("family", "IT operations", NEIGHBOUR, "IT operations runs the services it leads"),
    ],
}


def turtle_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _decimal(x: float) -> str:
    """A canonical xsd:decimal lexical form (oxigraph round-trips it unchanged): 0.90 -> "0.9"."""
    text = f"{x:.3f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _match(rule: tuple[str, str, float, str], role_slug: str, family: str | None) -> bool:
    kind, what, _, _ = rule
    return (kind == "family" and family == what) or (kind == "role" and role_slug == what)


def build(g: RoleGraph) -> str:
    m = careers.career_model(g)
    B = m.B
    g6 = next(rank for rank, name in m.grade_names.items() if name == ORIGIN_TOP_GRADE)
    scs = {B.nodes[p]["role"].rsplit("/", 1)[-1]: p for p in m.positions if B.nodes[p]["kind"] == "scs"}
    origins = [p for p in m.positions if B.nodes[p]["kind"] == "level" and m.band(p) and m.band(p)[1] == g6]
    rules_text = "; ".join(
        f"{B.nodes[scs[s]]['label']}: " + ", ".join(f"{w} ({k}, {r})" for k, w, r, _ in rules)
        for s, rules in LEADS.items() if s in scs)
    lines = [
        "@prefix rg:      <https://w3id.org/rolegraph/ontology#> .",
        "@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix prov:    <http://www.w3.org/ns/prov#> .",
        "@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .",
        f"@prefix bridge:  <{ns.BRIDGE}> .",
        f"@prefix level:   <{ns.LEVEL}> .",
        f"@prefix role:    <{ns.ROLE}> .",
        "",
        "# Career bridges from G6 role levels into Senior Civil Service roles, by role relevance. INFERRED by",
        "# rolegraph, not published by the framework. Generated by scripts/build_bridges.py; do not edit by hand.",
        "# Official edges (the framework's 'Senior Civil Service roles that X could lead to') belong in another",
        "# data file as rg:CareerBridge with rg:inferred false, rg:bridgeFrom the role and dcterms:source the page;",
        "# rolegraph gives them strength 1 and prefers them to these.",
        "",
        f"<{METHOD}>",
        "    a prov:Plan ;",
        '    skos:prefLabel "role relevance, G6 to SCS 1"@en ;',
        "    dcterms:description " + turtle_string(
            "From each role level whose grade band tops out at G6 to each Senior Civil Service role that leads its "
            "job family or role; strength = the relevance of the best matching rule (0.9: a family or role the SCS "
            f"role leads directly; 0.6: a neighbouring one). Rules: {rules_text}. Generated by "
            "scripts/build_bridges.py.") + "@en .",
        "",
    ]
    count = 0
    for o in sorted(origins, key=lambda p: B.nodes[p]["label"].casefold()):
        od = B.nodes[o]
        role_slug = od["role"].rsplit("/", 1)[-1]
        for slug, rules in LEADS.items():
            if slug not in scs:
                continue
            matched = sorted((r for r in rules if _match(r, role_slug, od["family"])), key=lambda r: -r[2])
            if not matched:
                continue
            p = scs[slug]
            pd = B.nodes[p]
            kind, what, strength, why = matched[0]
            subject = f"the {od['family']} job family" if kind == "family" else f"the {od['role_label']} role"
            basis = (f"Role relevance: {pd['label']}: {why}; {od['label']} is in {subject}. "
                     f"Grade step: {m.grades(o)} -> SCS 1. Relevance "
                     f"{'direct' if strength == DIRECT else 'neighbouring'} ({strength}).")
            iri = ns.BRIDGE + f"{slugify(od['label'])}--{slugify(pd['label'])}"
            lines += [
                f"<{iri}>",
                "    a rg:CareerBridge ;",
                f"    skos:prefLabel {turtle_string(od['label'] + ' to ' + pd['label'])}@en ;",
                f"    rg:bridgeFrom <{o}> ;",
                f"    rg:bridgeTo <{p}> ;",
                f"    rg:basis {turtle_string(basis)}@en ;",
                "    rg:inferred true ;",
                f"    rg:method <{METHOD}> ;",
                f'    rg:score "{_decimal(strength)}"^^xsd:decimal .',
                "",
            ]
            count += 1
    lines.insert(14, f"# {count} bridges from {len(origins)} role levels.")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    files = [f for f in expand_paths([ROOT / "data"]) if f.resolve() != OUT.resolve()]
    text = build(RoleGraph.load(files))
    if "--check" in argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is out of date; run python scripts/build_bridges.py", file=sys.stderr)
            return 1
        return 0
    fd, tmp = tempfile.mkstemp(dir=OUT.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, OUT)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
