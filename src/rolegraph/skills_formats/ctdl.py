"""CTDL-ASN JSON-LD shaped as Rich Skill Descriptors (RSDs): one ``ceasn:CompetencyFramework`` and one
``ceasn:Competency`` per skill, in one ``@graph`` (as the Credential Registry publishes a framework).

Each competency carries the RSD fields the framework has facts for: the skill name (``ceasn:competencyLabel``), the
skill statement (``ceasn:competencyText``: the description), the categories (``ceasn:competencyCategory``: the job
families whose roles need it), the occupations (``ceterms:occupationType``: one ``ceterms:CredentialAlignmentObject``
per role level or Senior Civil Service role that requires it, naming the level required), the levels it is
described at (``ceasn:conceptKeyword``), its code (``ceasn:codedNotation``: the slug) and the author/licence of the
framework. ``ceasn:comment`` says where the description comes from.

``@id`` is the rolegraph IRI; ``ceterms:ctid`` is derived from it (a CTID is ``ce-`` and a UUID in version 4 form:
the SHA-1 of the IRI, as :func:`~rolegraph.skills_formats.stable_uuid`, with the version and variant bits a CTID's
grammar asks for), so the same skill keeps its CTID across exports. The context is CTDL-ASN's published one.
"""
from __future__ import annotations

import uuid

from .. import namespaces as ns
from . import Content, provenance_note

CONTEXT = "https://credreg.net/ctdlasn/schema/context/json"
LANG = "en"


def ctid(iri: str) -> str:
    """A CTID for *iri*: ``ce-`` and a UUID of version-4 form derived from the IRI (stable across runs).

    >>> ctid("https://w3id.org/rolegraph/ddat/skill/testing")
    'ce-ccbaf849-d15c-475f-bcae-35f4cdd91edf'
    """
    raw = bytearray(uuid.uuid5(uuid.NAMESPACE_URL, iri).bytes)
    raw[6] = (raw[6] & 0x0F) | 0x40   # version 4 form
    raw[8] = (raw[8] & 0x3F) | 0x80   # RFC 4122 variant
    return "ce-" + str(uuid.UUID(bytes=bytes(raw)))


def _text(value: str) -> dict:
    return {LANG: value}


def framework(c: Content) -> dict:
    """The CTDL-ASN JSON-LD document of *c* (see the module's description)."""
    rel = c.release
    base = rel["iri"] + ("/ctdl" if not c.family else "/ctdl/" + c.family["iri"].rsplit("/", 1)[-1])
    name = (rel.get("title") or rel["label"]) + (f": {c.family['label']} job family" if c.family else "")
    licence = rel.get("licence") or ns.OGL_V3
    skill_iris = [s["iri"] for s in c.skills]
    fw: dict = {
        "@id": base, "@type": "ceasn:CompetencyFramework", "ceterms:ctid": ctid(base),
        "ceasn:name": _text(name),
        "ceasn:description": _text((c.family.get("description") if c.family else rel.get("desc")) or name),
        "ceasn:inLanguage": [LANG], "ceasn:license": licence,
        "ceasn:source": [rel.get("source") or ns.FRAMEWORK_SITE],
        "ceasn:hasTopChild": skill_iris,
    }
    if rel.get("publisher"):
        fw["ceasn:publisherName"] = _text(rel["publisher"])
    if rel.get("issued"):
        fw["ceasn:dateCreated"] = rel["issued"]
    if rel.get("version"):
        fw["ceasn:codedNotation"] = rel["version"]
    if rel.get("rights"):
        fw["ceasn:rights"] = _text(rel["rights"])

    labels = c.labels
    role_of = {lv["iri"]: lv["role"] for lv in c.levels}
    family_of = {r["iri"]: r["family"] for r in c.roles}
    level_name = {sl["iri"]: sl["notation"] for sl in c.skill_levels}
    needed_by: dict[str, list[dict]] = {}
    for q in c.requirements:
        needed_by.setdefault(q["skill"], []).append(q)
    defined: dict[str, list[str]] = {}
    for skill, level in c.levels_defined:
        defined.setdefault(skill, []).append(level)
    rank = {sl["iri"]: sl["rank"] for sl in c.skill_levels}

    graph = [fw]
    for s in c.skills:
        reqs = sorted(needed_by.get(s["iri"], []), key=lambda q: (labels.get(q["owner"], q["owner"]).casefold()))
        families = sorted({labels[family_of[role_of.get(q["owner"], q["owner"])]] for q in reqs
                           if family_of.get(role_of.get(q["owner"], q["owner"])) in labels}, key=str.casefold)
        comp: dict = {
            "@id": s["iri"], "@type": "ceasn:Competency", "ceterms:ctid": ctid(s["iri"]),
            "ceasn:competencyLabel": _text(s["label"]),
            "ceasn:competencyText": _text(s.get("description") or s["label"]),
            "ceasn:codedNotation": s["iri"].rsplit("/", 1)[-1],
            "ceasn:isPartOf": base, "ceasn:isTopChildOf": base,
            "ceasn:inLanguage": [LANG], "ceasn:license": licence,
        }
        if families:
            comp["ceasn:competencyCategory"] = {LANG: families}
        levels = sorted(defined.get(s["iri"], []), key=lambda lv: rank.get(lv, 0))
        if levels:
            comp["ceasn:conceptKeyword"] = {LANG: [f"{level_name[lv]} level" for lv in levels if lv in level_name]}
        if reqs:
            comp["ceterms:occupationType"] = [{
                "@type": "ceterms:CredentialAlignmentObject",
                "ceterms:targetNode": q["owner"],
                "ceterms:targetNodeName": _text(labels.get(q["owner"], q["owner"])),
                "ceterms:targetNodeDescription": _text(
                    f"requires {s['label']} at {level_name[q['level']]} level" if q["level"] in level_name
                    else f"requires {s['label']} (the framework names no level)"),
                "ceterms:frameworkName": _text(rel.get("title") or rel["label"]),
            } for q in reqs]
        note = provenance_note(s)
        if note:
            comp["ceasn:comment"] = {LANG: [note]}
        graph.append(comp)
    return {"@context": CONTEXT, "@id": base, "@graph": graph}
