"""schema.org JSON-LD for search engines: the skills as one ``DefinedTermSet`` of ``DefinedTerm``\\ s.

Each term has the skill's name, description, code (``termCode``: the slug), its official page (``url``), its
rolegraph IRI (``@id``) and the set it is in. The set is the framework's (or one job family's) skills, with the
framework's publisher, version, date and licence. The context is ``https://schema.org``.
"""
from __future__ import annotations

from .. import namespaces as ns
from . import SKILL_SET, Content

CONTEXT = "https://schema.org"


def term_set(c: Content) -> dict:
    """The ``DefinedTermSet`` of the skills in *c*."""
    rel = c.release
    set_iri = SKILL_SET if not c.family else SKILL_SET + "/" + c.family["iri"].rsplit("/", 1)[-1]
    title = rel.get("title") or rel["label"]
    name = f"Skills of the {title}" + (f": {c.family['label']} job family" if c.family else "")
    out: dict = {
        "@context": CONTEXT, "@type": "DefinedTermSet", "@id": set_iri, "name": name,
        "description": ("Every skill the framework describes, with rolegraph's short summary of each"
                        if not c.family else
                        f"The skills the roles of the {c.family['label']} job family require, with rolegraph's "
                        "short summary of each") + "; each term links to its official page.",
        "inLanguage": "en",
        "license": {"@id": rel.get("licence") or ns.OGL_V3},
        "url": rel.get("source") or ns.FRAMEWORK_SITE,
    }
    if rel.get("publisher"):
        out["publisher"] = {"@type": "Organization", "name": rel["publisher"]}
    if rel.get("version"):
        out["version"] = rel["version"]
    if rel.get("issued"):
        out["datePublished"] = rel["issued"]
    if c.family:
        out["isPartOf"] = {"@id": SKILL_SET}
    out["hasDefinedTerm"] = [_term(s, set_iri) for s in sorted(c.skills, key=lambda s: s["label"].casefold())]
    return out


def _term(s: dict, set_iri: str) -> dict:
    term = {"@type": "DefinedTerm", "@id": s["iri"], "name": s["label"],
            "termCode": s["iri"].rsplit("/", 1)[-1], "inDefinedTermSet": {"@id": set_iri}}
    if s.get("description"):
        term["description"] = s["description"]
    if s.get("source"):
        term["url"] = s["source"]
    return term
