"""Compare two releases of the framework: what was added, removed, renamed, moved and changed.

>>> from rolegraph.graph import RoleGraph
>>> result = diff(RoleGraph.load(["releases/2025-10"]), RoleGraph.load())   # doctest: +SKIP
>>> result["roles"]["added"]                                                  # doctest: +SKIP
['Agile coach']

Roles, role levels, skills and job families are matched in two ways, and every
rename says which one found it (``result["renames"][i]["basis"]``):

* **same IRI**: the node keeps its IRI (the importer and ``data/`` share one
  slug rule, so a renamed node keeps its IRI only when the IRI was pinned);
* **matched on content**: the unmatched nodes of each side are paired by what
  they are connected to, greedily, best first, when at least half of it is the
  same (Jaccard index >= 0.5; >= 0.3 for a role within the same job family and
  for a role level, which is only matched within its matched role): a skill by
  the role levels that require it (and at which skill level), a role by the
  skills its levels require, a role level by the skills it requires and at
  which level. A match that ignores the skill levels counts 0.8 of its overlap. Matching
  repeats until nothing new is found, so a renamed skill required by renamed
  levels is still found.

A node that is neither is added or removed. Requirements are compared after
mapping renamed owners and skills to their new IRIs, so a rename alone changes
no requirement. Descriptions are compared with whitespace normalised; they are
counted, and listed only with ``verbose=True`` (between an import, which keeps
the official text, and the bundled data, which has rolegraph's own summaries,
nearly every description differs).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field

KINDS = ("family", "role", "level", "skill")
KIND_TITLES = {"family": "Job families", "role": "Roles", "level": "Role levels", "skill": "Skills"}
THRESHOLD = 0.5           # least Jaccard index for a content match ...
CONTEXT_THRESHOLD = 0.3   # ... or for a role within its family, a level within its role


@dataclass
class Node:
    iri: str
    label: str
    description: str | None = None
    parent: str | None = None          # family of a role, role of a level
    order: int | None = None
    grades: tuple[str, ...] = ()


@dataclass
class Snapshot:
    """One release, reduced to plain Python for comparing."""

    version: str | None
    title: str | None
    nodes: dict[str, dict[str, Node]] = field(default_factory=dict)     # kind -> iri -> node
    reqs: dict[tuple[str, str], str | None] = field(default_factory=dict)   # (owner, skill) -> skill level
    scs: set[str] = field(default_factory=set)


def snapshot(g) -> Snapshot:
    """Read the parts of *g* (a RoleGraph) that a diff compares."""
    rel = g.select("SELECT ?v ?l WHERE { ?r a rg:Release . OPTIONAL { ?r schema:version ?v } "
                   "OPTIONAL { ?r skos:prefLabel ?l } } ORDER BY DESC(?v) LIMIT 1")
    snap = Snapshot(rel[0]["v"] if rel else None, rel[0]["l"] if rel else None)
    classes = {"family": "rg:JobFamily", "role": "rg:Role", "level": "rg:RoleLevel", "skill": "rg:Skill"}
    grades: dict[str, list[tuple[int, str]]] = {}
    for r in g.select("SELECT ?n ?note ?rank WHERE { ?n rg:grade ?gr . ?gr skos:notation ?note ; rg:rank ?rank }"):
        grades.setdefault(r["n"], []).append((r["rank"], r["note"]))
    for kind, cls in classes.items():
        rows = g.select(f"""
            SELECT ?n ?label ?desc ?parent ?order WHERE {{
                ?n a {cls} ; skos:prefLabel ?label .
                OPTIONAL {{ ?n dcterms:description ?desc }}
                OPTIONAL {{ ?n rg:family|rg:ofRole ?parent }}
                OPTIONAL {{ ?n rg:order ?order }}
            }}""")
        snap.nodes[kind] = {
            r["n"]: Node(r["n"], r["label"], r["desc"], r["parent"], r["order"],
                         tuple(n for _, n in sorted(grades.get(r["n"], []))))
            for r in rows
        }
    snap.scs = {r["n"] for r in g.select("SELECT ?n WHERE { ?n a rg:SeniorCivilServiceRole }")}
    for r in g.select("""SELECT ?o ?s ?lv WHERE {
            ?o rg:requires ?q . ?q rg:skill ?s . OPTIONAL { ?q rg:level/skos:notation ?lv } }"""):
        snap.reqs[(r["o"], r["s"])] = r["lv"]
    return snap


# ---------------------------------------------------------------- matching


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


class _Matcher:
    """Pairs old nodes with new ones, kind by kind, recording the basis of each pair."""

    def __init__(self, old: Snapshot, new: Snapshot):
        self.old, self.new = old, new
        self.map: dict[str, dict[str, str]] = {k: {} for k in KINDS}      # kind -> old iri -> new iri
        self.basis: dict[str, dict[str, str]] = {k: {} for k in KINDS}
        for kind in KINDS:
            o, n = old.nodes[kind], new.nodes[kind]
            for iri in o.keys() & n.keys():
                self._pair(kind, iri, iri, "same IRI")
            by_label: dict[str, list[str]] = {}
            for iri, node in n.items():
                by_label.setdefault(node.label.casefold(), []).append(iri)
            for iri, node in o.items():
                cands = [c for c in by_label.get(node.label.casefold(), []) if c not in self._taken(kind)]
                if iri not in self.map[kind] and len(cands) == 1:
                    self._pair(kind, iri, cands[0], "same name")
        while self._round():
            pass

    def _taken(self, kind: str) -> set[str]:
        return set(self.map[kind].values())

    def _pair(self, kind: str, old: str, new: str, basis: str) -> None:
        self.map[kind][old] = new
        self.basis[kind][old] = basis

    def to_new(self, iri: str) -> str:
        for kind in KINDS:
            if iri in self.map[kind]:
                return self.map[kind][iri]
        return iri

    # signatures: what a node is connected to, in the new release's IRIs
    def _sig(self, side: str, kind: str, iri: str, with_level: bool) -> set:
        snap = self.old if side == "old" else self.new
        conv = self.to_new if side == "old" else (lambda x: x)
        if kind == "skill":
            return {(conv(o), lv) if with_level else conv(o) for (o, s), lv in snap.reqs.items() if s == iri}
        if kind == "level":
            return {(conv(s), lv) if with_level else conv(s) for (o, s), lv in snap.reqs.items() if o == iri}
        if kind == "role":
            owners = {iri} | {n.iri for n in snap.nodes["level"].values() if n.parent == iri}
            return {conv(s) for (o, s) in snap.reqs if o in owners}
        return {conv(n.iri) for n in snap.nodes["role"].values() if n.parent == iri}   # family: its roles

    def _round(self) -> bool:
        found = False
        for kind in ("skill", "role", "level", "family"):
            olds = [i for i in self.old.nodes[kind] if i not in self.map[kind]]
            taken = self._taken(kind)
            news = [i for i in self.new.nodes[kind] if i not in taken]
            if not olds or not news:
                continue
            what = {"skill": "role levels requiring it", "role": "skills required",
                    "level": "skill requirements", "family": "roles"}[kind]
            parent_kind = {"role": "family", "level": "role"}.get(kind)
            new_sigs = {i: (self._sig("new", kind, i, True), self._sig("new", kind, i, False)) for i in news}
            scored = []
            for o in olds:
                o_full, o_bare = self._sig("old", kind, o, True), self._sig("old", kind, o, False)
                o_node = self.old.nodes[kind][o]
                for n in news:
                    # a level is only matched within its (matched) role; a role in its (matched) family
                    # needs less overlap than a skill, which can be matched with anything
                    same_context = self.map[parent_kind].get(o_node.parent or "") == self.new.nodes[kind][n].parent \
                        if parent_kind else False
                    if kind == "level" and not same_context:
                        continue
                    n_full, n_bare = new_sigs[n]
                    score = max(_jaccard(o_full, n_full), (0.8 if kind != "role" else 1) * _jaccard(o_bare, n_bare))
                    if score >= (CONTEXT_THRESHOLD if same_context else THRESHOLD):
                        name = difflib.SequenceMatcher(None, o_node.label.casefold(),
                                                       self.new.nodes[kind][n].label.casefold()).ratio()
                        scored.append((score, name, o, n))
            used_old, used_new = set(), set()
            for score, _, o, n in sorted(scored, reverse=True):
                if o in used_old or n in used_new:
                    continue
                used_old.add(o)
                used_new.add(n)
                self._pair(kind, o, n, f"matched on content: {round(score * 100)}% of the same {what}")
                found = True
        return found


# ---------------------------------------------------------------- the diff


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def _sorted(labels) -> list[str]:
    return sorted(labels, key=str.casefold)


def diff(old_graph, new_graph, verbose: bool = False) -> dict:
    """Everything that changed from *old_graph* to *new_graph* (RoleGraphs), as JSON-ready data."""
    old, new = snapshot(old_graph), snapshot(new_graph)
    m = _Matcher(old, new)
    result: dict = {
        "old": {"version": old.version, "title": old.title},
        "new": {"version": new.version, "title": new.title},
    }
    renames = []
    for kind in KINDS:
        o_nodes, n_nodes, mapping = old.nodes[kind], new.nodes[kind], m.map[kind]
        renamed = []
        for o, n in mapping.items():
            if o_nodes[o].label != n_nodes[n].label:
                renamed.append([o_nodes[o].label, n_nodes[n].label])
                renames.append({"kind": kind, "old": o_nodes[o].label, "new": n_nodes[n].label,
                                "old_iri": o, "new_iri": n, "basis": m.basis[kind][o]})
        mapped = set(mapping.values())
        section = {"family": "families", "role": "roles", "level": "levels", "skill": "skills"}[kind]
        result[section] = {
            "added": _sorted(n_nodes[i].label for i in n_nodes if i not in mapped),
            "removed": _sorted(o_nodes[i].label for i in o_nodes if i not in mapping),
            "renamed": sorted(renamed, key=lambda p: p[0].casefold()),
        }
    # family moves: a matched role whose family is not the match of its old family
    moved = []
    for o, n in m.map["role"].items():
        o_fam, n_fam = old.nodes["role"][o].parent, new.nodes["role"][n].parent
        if o_fam and n_fam and m.map["family"].get(o_fam) != n_fam:
            moved.append({"role": new.nodes["role"][n].label,
                          "old": old.nodes["family"].get(o_fam, Node(o_fam, o_fam)).label,
                          "new": new.nodes["family"].get(n_fam, Node(n_fam, n_fam)).label})
    result["families"]["moved"] = sorted(moved, key=lambda d: d["role"].casefold())

    # requirements, in the new release's IRIs
    def owner_label(iri: str, snap: Snapshot) -> str:
        node = snap.nodes["level"].get(iri) or snap.nodes["role"].get(iri)
        return node.label if node else iri

    def skill_label(iri: str, snap: Snapshot) -> str:
        node = snap.nodes["skill"].get(iri)
        return node.label if node else iri

    old_reqs = {(m.to_new(o), m.to_new(s)): (lv, o, s) for (o, s), lv in old.reqs.items()}
    added, removed, changed = [], [], []
    for key, lv in new.reqs.items():
        if key not in old_reqs:
            added.append({"role_level": owner_label(key[0], new), "skill": skill_label(key[1], new), "level": lv})
        elif old_reqs[key][0] != lv:
            changed.append({"role_level": owner_label(key[0], new), "skill": skill_label(key[1], new),
                            "old": old_reqs[key][0], "new": lv})
    for key, (lv, o, s) in old_reqs.items():
        if key not in new.reqs:
            removed.append({"role_level": owner_label(o, old), "skill": skill_label(s, old), "level": lv})
    by = lambda d: (d["role_level"].casefold(), d["skill"].casefold())  # noqa: E731
    result["requirements"] = {"added": sorted(added, key=by), "removed": sorted(removed, key=by),
                              "changed": sorted(changed, key=by)}

    grades = []
    for kind in ("level", "role"):
        for o, n in m.map[kind].items():
            og, ng = old.nodes[kind][o].grades, new.nodes[kind][n].grades
            if og != ng:
                grades.append({"role_level": new.nodes[kind][n].label, "old": list(og), "new": list(ng)})
    graded_old = any(n.grades for k in ("level", "role") for n in old.nodes[k].values())
    graded_new = any(n.grades for k in ("level", "role") for n in new.nodes[k].values())
    if graded_old and graded_new:
        result["grades"] = {"changed": sorted(grades, key=lambda d: d["role_level"].casefold())}
    else:
        # a release without any grade (a CSV import without --grades) says nothing about grades
        missing = " and ".join(side for side, ok in (("old", graded_old), ("new", graded_new)) if not ok)
        result["grades"] = {"changed": [], "not_compared": f"the {missing} release has no grades"}

    # matched levels whose place on the ladder moved (beyond what added/removed levels explain) are not
    # reported: orders are renumbered whenever a level is added, so they would mostly be noise.
    descriptions: dict = {k: 0 for k in ("families", "roles", "levels", "skills")}
    listed = []
    for kind, section in (("family", "families"), ("role", "roles"), ("level", "levels"), ("skill", "skills")):
        for o, n in m.map[kind].items():
            od, nd = old.nodes[kind][o].description, new.nodes[kind][n].description
            if _norm(od) != _norm(nd):
                descriptions[section] += 1
                if verbose:
                    listed.append({"kind": kind, "name": new.nodes[kind][n].label, "old": od, "new": nd})
    descriptions["total"] = sum(descriptions.values())
    if verbose:
        descriptions["changed"] = sorted(listed, key=lambda d: (KINDS.index(d["kind"]), d["name"].casefold()))
    result["descriptions"] = descriptions
    result["renames"] = sorted(renames, key=lambda d: (KINDS.index(d["kind"]), d["old"].casefold()))
    return result


# ---------------------------------------------------------------- rendering


def _release_name(side: dict) -> str:
    return f"release {side['version']}" if side.get("version") else "an unversioned release"


def _basis(result: dict, kind: str, old: str) -> str:
    for r in result["renames"]:
        if r["kind"] == kind and r["old"] == old:
            return r["basis"]
    return ""


def _level(lv: str | None) -> str:
    return lv or "no level (Senior Civil Service)"


def _split(reqs: list[dict], owners: list[str]) -> tuple[list[dict], int]:
    """The requirements whose owner is not in *owners*, and how many are."""
    gone = set(owners)
    kept = [r for r in reqs if r["role_level"] not in gone]
    return kept, len(reqs) - len(kept)


def render_text(result: dict) -> str:
    """A plain-text report: counts per section, then the changes."""
    out = [f"Changes from {_release_name(result['old'])} to {_release_name(result['new'])}"]
    for kind, key in (("family", "families"), ("role", "roles"), ("level", "levels"), ("skill", "skills")):
        sec = result[key]
        head = (f"{KIND_TITLES[kind]}: {len(sec['added'])} added, {len(sec['removed'])} removed, "
                f"{len(sec['renamed'])} renamed")
        if kind == "family":
            head += f"; {len(sec['moved'])} role(s) moved to another family"
        out.append("\n" + head)
        out += [f"  + {x}" for x in sec["added"]]
        out += [f"  - {x}" for x in sec["removed"]]
        out += [f"  ~ {o} -> {n}  [{_basis(result, kind, o)}]" for o, n in sec["renamed"]]
        if kind == "family":
            out += [f"  > {mv['role']}: {mv['old']} -> {mv['new']}" for mv in sec["moved"]]
    req = result["requirements"]
    out.append(f"\nSkill requirements: {len(req['added'])} added, {len(req['removed'])} removed, "
               f"{len(req['changed'])} changed level")
    out += [f"  ~ {c['role_level']}: {c['skill']}: {_level(c['old'])} -> {_level(c['new'])}" for c in req["changed"]]
    added, on_new = _split(req["added"], result["roles"]["added"] + result["levels"]["added"])
    removed, on_gone = _split(req["removed"], result["roles"]["removed"] + result["levels"]["removed"])
    out += [f"  + {c['role_level']}: {c['skill']} ({_level(c['level'])})" for c in added]
    out += [f"  - {c['role_level']}: {c['skill']} ({_level(c['level'])})" for c in removed]
    if on_new or on_gone:
        out.append(f"  (plus {on_new} on added and {on_gone} on removed roles and role levels, not listed)")
    gr = result["grades"]["changed"]
    if "not_compared" in result["grades"]:
        out.append(f"\nGrades: not compared, as {result['grades']['not_compared']}")
    else:
        out.append(f"\nGrades: {len(gr)} role level(s) changed")
    out += [f"  ~ {g['role_level']}: {', '.join(g['old']) or 'none'} -> {', '.join(g['new']) or 'none'}" for g in gr]
    d = result["descriptions"]
    out.append(f"\nDescriptions: {d['total']} changed ({d['families']} families, {d['roles']} roles, "
               f"{d['levels']} role levels, {d['skills']} skills)" + ("" if "changed" in d else
                                                                       "; list them with --verbose"))
    for c in d.get("changed", []):
        out.append(f"  ~ {c['kind']}: {c['name']}")
    return "\n".join(out)


def render_md(result: dict) -> str:
    """Markdown that reads like a release's change notes."""
    out = [f"# What changed from {_release_name(result['old'])} to {_release_name(result['new'])}", ""]
    summary = []
    for key, word in (("roles", "role"), ("levels", "role level"), ("skills", "skill")):
        sec = result[key]
        bits = [f"{len(sec[k])} {k}" for k in ("added", "removed", "renamed") if sec[k]]
        if bits:
            summary.append(f"- {word.capitalize()}s: {', '.join(bits)}")
    req = result["requirements"]
    if any(req.values()):
        summary.append(f"- Skill requirements: {len(req['added'])} added, {len(req['removed'])} removed, "
                       f"{len(req['changed'])} changed level")
    if "not_compared" in result["grades"]:
        summary.append(f"- Grades not compared: {result['grades']['not_compared']}")
    elif result["grades"]["changed"]:
        summary.append(f"- Grades changed for {len(result['grades']['changed'])} role levels")
    if result["descriptions"]["total"]:
        summary.append(f"- {result['descriptions']['total']} descriptions reworded")
    out += summary or ["No changes."]
    for kind, key in (("role", "roles"), ("level", "levels"), ("skill", "skills"), ("family", "families")):
        sec = result[key]
        moves = sec.get("moved", [])
        if not (sec["added"] or sec["removed"] or sec["renamed"] or moves):
            continue
        out += ["", f"## {KIND_TITLES[kind]}", ""]
        if sec["added"]:
            out += ["### New", ""] + [f"- **{x}**" for x in sec["added"]] + [""]
        if sec["renamed"]:
            out += ["### Renamed", ""] + [f"- {o} is now **{n}** ({_basis(result, kind, o)})"
                                          for o, n in sec["renamed"]] + [""]
        if sec["removed"]:
            out += ["### Removed", ""] + [f"- ~~{x}~~" for x in sec["removed"]] + [""]
        if moves:
            out += ["### Moved", ""] + [f"- {mv['role']} moved from {mv['old']} to **{mv['new']}**"
                                        for mv in moves] + [""]
        while out[-1] == "":
            out.pop()
    if any(req.values()):
        out += ["", "## Skill requirements"]
        groups: dict[str, list[str]] = {}
        for c in req["changed"]:
            groups.setdefault(c["role_level"], []).append(
                f"{c['skill']}: {_level(c['old'])} → **{_level(c['new'])}**")
        added, on_new = _split(req["added"], result["roles"]["added"] + result["levels"]["added"])
        removed, on_gone = _split(req["removed"], result["roles"]["removed"] + result["levels"]["removed"])
        for c in added:
            groups.setdefault(c["role_level"], []).append(f"now requires {c['skill']} ({_level(c['level'])})")
        for c in removed:
            groups.setdefault(c["role_level"], []).append(f"no longer requires {c['skill']}")
        if on_new or on_gone:
            out += ["", f"New roles and role levels bring {on_new} skill requirements; removed ones take "
                        f"{on_gone} with them. Changes to the others:"]
        for owner in _sorted(groups):
            out += ["", f"**{owner}**", ""] + [f"- {line}" for line in groups[owner]]
    if result["grades"]["changed"]:
        out += ["", "## Grades", ""]
        out += [f"- {g['role_level']}: {', '.join(g['old']) or 'none'} → **{', '.join(g['new']) or 'none'}**"
                for g in result["grades"]["changed"]]
    d = result["descriptions"]
    if d["total"]:
        out += ["", "## Descriptions", "",
                f"{d['total']} descriptions changed: {d['roles']} roles, {d['levels']} role levels, "
                f"{d['skills']} skills, {d['families']} job families."]
        if "changed" in d:
            out += [""] + [f"- {c['kind']}: {c['name']}" for c in d["changed"]]
    return "\n".join(out)
