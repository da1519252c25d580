"""1EdTech CASE 1.1 JSON: the framework as one ``CFPackage``.

* ``CFDocument``: the release (or one job family of it), with its publisher, version, date and licence.
* ``CFItems``: job families, roles, role levels, skills and the four skill levels, each typed by a ``CFItemType``
  (Job family, Role, Role level, Skill, Skill level). ``fullStatement`` is the description (rolegraph's own
  summary, said in ``notes`` with the official page) or, without one, the name; ``abbreviatedStatement`` the name;
  ``humanCodingScheme`` the node's slug; a role level's ``listEnumeration`` its place on the ladder and its grades
  in ``notes``.
* ``CFAssociations``: ``isChildOf`` (a role of its family, a level of its role, families, skills and skill
  levels of the document), ``precedes`` (each level the next on its ladder), ``hasSkillLevel`` (a skill the levels
  the framework describes it at) and ``isRelatedTo`` from a role level (or Senior Civil Service role) to each skill
  it requires, grouped by the level required: the ``CFAssociationGrouping`` "Requires skill at practitioner level"
  (or "Requires skill", for Senior Civil Service roles, which name no level).

Identifiers are UUIDs derived from IRIs (:func:`~rolegraph.skills_formats.stable_uuid`); an item's ``uri`` is its
rolegraph IRI. ``lastChangeDateTime`` is the release's date, so the output is the same on every run.
"""
from __future__ import annotations

from .. import namespaces as ns
from . import Content, provenance_note, stable_uuid

CASE_VERSION = "1.1"
#: the base of the IRIs of the package's own objects (document, item types, groupings, associations)
CASE_BASE = ns.DDAT + "case/"
ITEM_TYPES = {"family": "Job family", "role": "Role", "level": "Role level", "skill": "Skill",
              "skill_level": "Skill level"}
ITEM_TYPE_DESCRIPTIONS = {
    "family": "A group of related roles, such as Architecture or Data.",
    "role": "A job role, such as data engineer; a Senior Civil Service role requires skills directly.",
    "level": "One step on a role's career ladder, such as senior data engineer, usually performed at one to three "
             "Civil Service grades.",
    "skill": "A capability that role levels require, described at up to four skill levels.",
    "skill_level": "One of the four ordered proficiency levels: awareness, working, practitioner, expert.",
}


def _when(release: dict) -> str:
    return f"{release.get('issued') or '1970-01-01'}T00:00:00+00:00"


def _link(title: str, iri: str) -> dict:
    """A CASE LinkURI (and LinkGenURI) to the object with the IRI *iri*."""
    return {"title": title, "identifier": stable_uuid(iri), "uri": iri}


def package(c: Content) -> dict:
    """The ``CFPackage`` of *c* (see the module's description)."""
    rel = c.release
    when = _when(rel)
    doc_iri = CASE_BASE + "document/" + rel["iri"].rsplit("/", 1)[-1]
    if c.family:
        doc_iri += "/" + c.family["iri"].rsplit("/", 1)[-1]
    title = (rel.get("title") or rel["label"]) + (f": {c.family['label']} job family" if c.family else "")
    doc_link = _link(title, doc_iri)
    licence_iri = rel.get("licence") or ns.OGL_V3
    licence = {"identifier": stable_uuid(licence_iri), "uri": licence_iri,
               "title": "Open Government Licence v3.0" if licence_iri == ns.OGL_V3 else licence_iri,
               "description": "The licence of the framework's names, levels, grades and relations; rolegraph's "
                              "own summaries are under the same terms.",
               "licenseText": "Contains public sector information licensed under the Open Government Licence v3.0 "
                              f"({ns.OGL_V3}).",
               "lastChangeDateTime": when}
    document = {
        "identifier": doc_link["identifier"],
        "uri": doc_iri,
        "creator": rel.get("publisher") or "rolegraph",
        "title": title,
        "lastChangeDateTime": when,
        "officialSourceURL": rel.get("source") or ns.FRAMEWORK_SITE,
        "publisher": rel.get("publisher") or "rolegraph",
        "description": (c.family.get("description") if c.family else rel.get("desc")) or title,
        "language": "en",
        "version": rel.get("version") or "",
        "adoptionStatus": "Adopted",
        "caseVersion": CASE_VERSION,
        "licenseURI": {"title": licence["title"], "identifier": licence["identifier"], "uri": licence_iri},
        "notes": ("Exported by rolegraph from the release " + rel["iri"] + ". " + (rel.get("rights") or "")).strip(),
    }
    if not document["version"]:
        del document["version"]

    types = {k: {"identifier": stable_uuid(CASE_BASE + "item-type/" + k), "uri": CASE_BASE + "item-type/" + k,
                 "title": v, "description": ITEM_TYPE_DESCRIPTIONS[k], "hierarchyCode": str(i + 1),
                 "lastChangeDateTime": when} for i, (k, v) in enumerate(ITEM_TYPES.items())}
    items: list[dict] = []
    labels = c.labels

    def item(kind: str, node: dict, **extra) -> None:
        desc = node.get("description") or node.get("definition")
        notes = [n for n in (provenance_note(node), extra.pop("notes", None)) if n]
        out = {"identifier": stable_uuid(node["iri"]), "uri": node["iri"],
               "fullStatement": desc or node["label"], "abbreviatedStatement": node["label"],
               "humanCodingScheme": node["iri"].rstrip("/").rsplit("/", 1)[-1],
               "CFItemType": types[kind]["title"],
               "CFItemTypeURI": {k: types[kind][k] for k in ("title", "identifier", "uri")},
               "language": "en", "lastChangeDateTime": when, **extra}
        if notes:
            out["notes"] = " ".join(notes)
        items.append(out)

    for f in c.families:
        item("family", f)
    for r in c.roles:
        item("role", r, notes=("Senior Civil Service role; grades: " + ", ".join(r["grades"])) if r["scs"] else None)
    for lv in c.levels:
        item("level", lv, listEnumeration=str(lv["order"]),
             notes=("Grades: " + ", ".join(lv["grades"])) if lv["grades"] else "No grade published.")
    for s in c.skills:
        item("skill", s)
    for sl in c.skill_levels:
        item("skill_level", dict(sl, description=None), notes="Definition: rolegraph's own words.",
             listEnumeration=str(sl["rank"]))

    groupings = {None: "Requires skill"} | {sl["iri"]: f"Requires skill at {sl['notation']} level"
                                            for sl in c.skill_levels}
    grouping_objs = {k: {"uri": CASE_BASE + "grouping/" + (k.rsplit("/", 1)[-1] if k else "no-level"),
                         "title": v,
                         "description": (f"The origin (a role level) requires the destination skill at the "
                                         f"{v.rsplit(' at ', 1)[-1]}" if k else
                                         "The origin (a Senior Civil Service role) requires the destination skill; "
                                         "the framework names no level."),
                         "lastChangeDateTime": when} for k, v in groupings.items()}
    grouping_objs = {k: dict(v, identifier=stable_uuid(v["uri"])) for k, v in grouping_objs.items()}
    associations: list[dict] = []

    def associate(kind: str, origin: str, dest_link: dict, grouping: str | None | bool = False,
                  seq: int | None = None) -> None:
        key = f"{origin} {kind} {dest_link['uri']}"
        ident = stable_uuid(CASE_BASE + "association/" + key)
        a: dict = {"identifier": ident, "associationType": kind, "uri": CASE_BASE + "association/" + ident,
             "originNodeURI": _link(labels.get(origin, origin), origin), "destinationNodeURI": dest_link,
             "lastChangeDateTime": when}
        if seq is not None:
            a["sequenceNumber"] = seq
        if grouping is not False:
            g = grouping_objs[grouping]  # (a level IRI or None)
            a["CFAssociationGroupingURI"] = {k: g[k] for k in ("title", "identifier", "uri")}
        associations.append(a)

    def node_link(iri: str) -> dict:
        return _link(labels.get(iri, iri), iri)

    for f in c.families:
        associate("isChildOf", f["iri"], doc_link)
    in_scope = {n["iri"] for n in c.families}
    for r in c.roles:
        associate("isChildOf", r["iri"], node_link(r["family"]) if r["family"] in in_scope else doc_link)
    ladders: dict[str, list[dict]] = {}
    for lv in c.levels:
        associate("isChildOf", lv["iri"], node_link(lv["role"]), seq=int(lv["order"]))
        ladders.setdefault(lv["role"], []).append(lv)
    for ladder in ladders.values():
        ladder.sort(key=lambda lv: int(lv["order"]))
        for a, b in zip(ladder, ladder[1:]):
            associate("precedes", a["iri"], node_link(b["iri"]))
    for s in c.skills:
        associate("isChildOf", s["iri"], doc_link)
    for sl in c.skill_levels:
        associate("isChildOf", sl["iri"], doc_link, seq=sl["rank"])
    for skill, level in c.levels_defined:
        associate("hasSkillLevel", skill, node_link(level))
    for q in c.requirements:
        associate("isRelatedTo", q["owner"], node_link(q["skill"]), grouping=q["level"])

    used_groupings = {a["CFAssociationGroupingURI"]["uri"] for a in associations if "CFAssociationGroupingURI" in a}
    definitions = {
        "CFItemTypes": list(types.values()),
        "CFLicenses": [licence],
        "CFAssociationGroupings": [g for g in grouping_objs.values() if g["uri"] in used_groupings],
    }
    return {"CFDocument": document, "CFItems": items, "CFAssociations": associations, "CFDefinitions": definitions}
