"""Compare two releases of the framework: what was added, removed, renamed, moved and changed.

>>> from rolegraph.graph import RoleGraph
>>> result = diff(RoleGraph.load(["releases/2025-10"]), RoleGraph.load())   # doctest: +SKIP
>>> result["roles"]["added"]                                                  # doctest: +SKIP
['Agile coach']

Roles, role levels, skills and job families are matched in two ways, and every
rename says which one found it (``result["renames"][i]["basis"]``):

* **given**: a pair from a renames file (``renames=``, e.g. taken from the
  framework's change log), which overrides everything else; a pair with an
  empty new name says "removed, not renamed";
* **same IRI**: the node keeps its IRI (the importer and ``data/`` share one
  slug rule, so a renamed node keeps its IRI only when the IRI was pinned);
* **former name**: the new release records the old node's name as a former
  name of one of its nodes (``rg:formerName``, with the date of the rename);
* **matched on content**: the unmatched nodes of each side are paired by what
  they are connected to, greedily, best first, when at least half of it is the
  same (Jaccard index >= 0.5; >= 0.3 for a role within the same job family and
  for a role level, which is only matched within its matched role): a skill by
  the role levels that require it (and at which skill level), a role by the
  skills its levels require, a role level by the skills it requires and at
  which level. A match that ignores the skill levels counts 0.8 of its overlap
  and also needs the names to share words (:func:`name_similarity` >= 0.4).
  Ties on content are broken by name similarity (the winner's names must
  share as much), and the basis says so; a tie the names cannot break is not
  a rename. Matching repeats until nothing new
  is found, so a renamed skill required by renamed levels is still found.

A node that is neither is added or removed. Requirements are compared after
mapping renamed owners and skills to their new IRIs, so a rename alone changes
no requirement. Grades are compared for every matched role level (and SCS
role) whose grades both releases state; grades a release only carried over from
another release (``rg:inferredProperty rg:grade``) are not evidence of a change.
Descriptions are compared only like with like (``rg:descriptionKind``: the
official text with official text, rolegraph's own summaries with summaries; a
missing description is not a change); each rewrite is counted and, with
``verbose=True``, listed with a short word diff.
"""
from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError

KINDS = ("family", "role", "level", "skill")
KIND_TITLES = {"family": "Job families", "role": "Roles", "level": "Role levels", "skill": "Skills"}
THRESHOLD = 0.5           # least Jaccard index for a content match ...
CONTEXT_THRESHOLD = 0.3   # ... or for a role within its family, a level within its role
NAME_SUPPORT = 0.4        # least name similarity for a match that ignores skill levels
_STOP = {"and", "or", "of", "the", "for", "in", "a", "an", "to", "with", "on"}


def name_similarity(a: str, b: str) -> float:
    """How much two names share: the Jaccard index of their word stems (first five letters, small words dropped).

    >>> round(name_similarity("Requirements definition and management",
    ...                       "Defining and managing business needs, user needs and requirements"), 2)
    0.5
    >>> name_similarity("Requirements definition and management", "Change, benefits and adoption analysis")
    0.0
    """
    def stems(text: str) -> set[str]:
        return {w[:5] for w in re.findall(r"[a-z0-9]+", text.casefold()) if w not in _STOP}
    return _jaccard(stems(a), stems(b))


def read_renames(path: Path) -> list[tuple[str, str]]:
    """(old name, new name) pairs from a CSV file with two columns, ``old,new`` (a header row
    naming them is optional; ``#`` lines are comments). An empty new name means "not renamed".
    Raises :class:`InputError` naming the file and line of anything unusable.
    """
    from .safe_io import decode_text

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the renames file ({exc.strerror or exc})") from None
    text = decode_text(data, f"{path} (the renames file)")
    pairs = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), 1):
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if number == 1 and [c.casefold() for c in cells[:2]] == ["old", "new"]:
            continue
        if len(cells) != 2 or not cells[0]:
            raise InputError(f"{path}: line {number}: expected two columns, old name and new name "
                             f"(e.g. \"Data ethicist,Data and AI ethicist\")")
        pairs.append((cells[0], cells[1]))
    if not pairs:
        raise InputError(f"{path}: the renames file has no old,new pairs")
    return pairs


@dataclass
class Node:
    iri: str
    label: str
    description: str | None = None
    parent: str | None = None          # family of a role, role of a level
    order: int | None = None
    grades: tuple[str, ...] = ()
    grades_inferred: bool = False        # carried over from another release, not stated by this one
    description_kind: str | None = None  # "official" or "summary" (rg:descriptionKind), None if unknown
    former: tuple[tuple[str, str | None], ...] = ()   # (former name, date of the rename)


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
    inferred = {r["n"] for r in g.select("SELECT ?n WHERE { ?n rg:inferredProperty rg:grade }")}
    kinds = {r["n"]: r["k"].rsplit("#", 1)[-1] for r in g.select("SELECT ?n ?k WHERE { ?n rg:descriptionKind ?k }")}
    former: dict[str, list[tuple[str, str | None]]] = {}
    for r in g.select("""SELECT ?n ?name ?date WHERE { ?n rg:formerName ?f . ?f rg:name ?name .
                         OPTIONAL { ?f dcterms:date ?date } }"""):
        former.setdefault(r["n"], []).append((r["name"], str(r["date"]) if r["date"] else None))
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
                         tuple(n for _, n in sorted(grades.get(r["n"], []))), r["n"] in inferred,
                         {"OfficialText": "official", "OwnSummary": "summary"}.get(kinds.get(r["n"], "")),
                         tuple(sorted(former.get(r["n"], []))))
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

    def __init__(self, old: Snapshot, new: Snapshot, renames: Sequence[tuple[str, str]] = (),
                 renames_name: str = ""):
        self.old, self.new = old, new
        self.map: dict[str, dict[str, str]] = {k: {} for k in KINDS}      # kind -> old iri -> new iri
        self.basis: dict[str, dict[str, str]] = {k: {} for k in KINDS}
        self.not_renamed: set[str] = set()        # old IRIs a renames file says were removed, not renamed
        self.unused_renames: list[list[str]] = []
        for old_name, new_name in renames:
            if not self._given(old_name, new_name, renames_name or "the renames file"):
                self.unused_renames.append([old_name, new_name])
        for kind in KINDS:
            o, n = old.nodes[kind], new.nodes[kind]
            for iri in o.keys() & n.keys():
                if iri not in self.map[kind] and iri not in self._taken(kind) and iri not in self.not_renamed:
                    self._pair(kind, iri, iri, "same IRI")
            by_label: dict[str, list[str]] = {}
            for iri, node in n.items():
                by_label.setdefault(node.label.casefold(), []).append(iri)
            for iri, node in o.items():
                cands = [c for c in by_label.get(node.label.casefold(), []) if c not in self._taken(kind)]
                if iri not in self.map[kind] and iri not in self.not_renamed and len(cands) == 1:
                    self._pair(kind, iri, cands[0], "same name")
            self._former_names(kind)
        while self._round():
            pass

    def _given(self, old_name: str, new_name: str, source: str) -> bool:
        """Apply one pair of a renames file; False when no unmatched node of the old release has that name."""
        for kind in KINDS:
            olds = [i for i, nd in self.old.nodes[kind].items()
                    if nd.label.casefold() == old_name.casefold() and i not in self.map[kind]]
            if not olds:
                continue
            if not new_name:
                self.not_renamed.update(olds)
                return True
            news = [i for i, nd in self.new.nodes[kind].items()
                    if nd.label.casefold() == new_name.casefold() and i not in self._taken(kind)]
            if news:
                self._pair(kind, olds[0], news[0], f"given in {source}")
                return True
        return False

    def _former_names(self, kind: str) -> None:
        """Pair an unmatched old node with the new node that records its name as a former name."""
        olds = {nd.label.casefold(): i for i, nd in self.old.nodes[kind].items()
                if i not in self.map[kind] and i not in self.not_renamed}
        for n, node in self.new.nodes[kind].items():
            for name, when in node.former:
                o = olds.get(name.casefold())
                if o and o not in self.map[kind] and n not in self._taken(kind):
                    self._pair(kind, o, n, "former name recorded in the new release"
                               + (f" (renamed on {when})" if when else ""))

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
            olds = [i for i in self.old.nodes[kind] if i not in self.map[kind] and i not in self.not_renamed]
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
                    same_context = False
                    if parent_kind:
                        o_parent = self.map[parent_kind].get(o_node.parent) if o_node.parent is not None else None
                        same_context = o_parent == self.new.nodes[kind][n].parent
                    if kind == "level" and not same_context:
                        continue
                    n_full, n_bare = new_sigs[n]
                    full = _jaccard(o_full, n_full)
                    score = max(full, (0.8 if kind != "role" else 1) * _jaccard(o_bare, n_bare))
                    least = CONTEXT_THRESHOLD if same_context else THRESHOLD
                    name = name_similarity(o_node.label, self.new.nodes[kind][n].label)
                    # a match only on who requires it, not at which level, needs names that share words
                    if score >= least and (full >= least or kind == "role" or name >= NAME_SUPPORT):
                        scored.append((round(score, 9), name, o, n))
            used_old, used_new = set(), set()
            for score, name, o, n in sorted(scored, key=lambda t: (-t[0], -t[1], t[2], t[3])):
                if o in used_old or n in used_new:
                    continue
                rivals = [t for t in scored if t[0] == score and (t[2] == o) != (t[3] == n)
                          and t[2] not in used_old and t[3] not in used_new]
                if rivals and (name < NAME_SUPPORT or any(t[1] == name for t in rivals)):
                    used_old.add(o)     # a tie the names cannot break: not a rename
                    used_new.add(n)
                    continue
                used_old.add(o)
                used_new.add(n)
                basis = f"matched on content: {round(score * 100)}% of the same {what}"
                if rivals:
                    basis += f"; a tie with {len(rivals)} other candidate(s), broken by name similarity"
                self._pair(kind, o, n, basis)
                found = True
        return found


# ---------------------------------------------------------------- the diff


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def _sorted(labels) -> list[str]:
    return sorted(labels, key=str.casefold)


def word_diff(old: str, new: str, context: int = 4, limit: int = 6) -> str:
    """A short word diff: changed words as ``[-old-]{+new+}`` with a few words of context,
    unchanged stretches shortened to ``…``; at most *limit* changes shown.

    >>> word_diff("A data engineer builds pipelines.", "A data engineer builds and runs pipelines.")
    'A data engineer builds {+and runs+} pipelines.'
    """
    a, b = old.split(), new.split()
    out: list[str] = []
    changes = 0
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for i, (op, a1, a2, b1, b2) in enumerate(ops):
        if op == "equal":
            words = a[a1:a2]
            head = words[:context] if i > 0 else []
            tail = words[-context:] if i < len(ops) - 1 else []
            if len(words) > len(head) + len(tail):
                out += head + ["…"] + tail
            else:
                out += words
            continue
        changes += 1
        if changes > limit:
            out.append("…")
            break
        if a2 > a1:
            out.append("[-" + " ".join(a[a1:a2]) + "-]")
        if b2 > b1:
            out.append("{+" + " ".join(b[b1:b2]) + "+}")
    return " ".join(out).replace("… …", "…")


def diff(old_graph, new_graph, verbose: bool = False, renames: Sequence[tuple[str, str]] = (),
         renames_name: str = "", former_names: bool = True) -> dict:
    """Everything that changed from *old_graph* to *new_graph* (RoleGraphs), as JSON-ready data.

    *renames* are (old name, new name) pairs that override the matching (see
    :func:`read_renames`); *renames_name* names their source in each rename's basis.
    With *former_names* False the former names recorded in the new release are
    ignored, so renames are found on content alone.
    """
    old, new = snapshot(old_graph), snapshot(new_graph)
    if not former_names:
        for nodes in new.nodes.values():
            for node in nodes.values():
                node.former = ()
    m = _Matcher(old, new, list(renames), renames_name)
    result: dict = {
        "old": {"version": old.version, "title": old.title},
        "new": {"version": new.version, "title": new.title},
    }
    if renames:
        result["renames_unused"] = m.unused_renames
    rename_rows = []
    for kind in KINDS:
        o_nodes, n_nodes, mapping = old.nodes[kind], new.nodes[kind], m.map[kind]
        renamed = []
        for o, n in mapping.items():
            if o_nodes[o].label != n_nodes[n].label:
                renamed.append([o_nodes[o].label, n_nodes[n].label])
                rename_rows.append({"kind": kind, "old": o_nodes[o].label, "new": n_nodes[n].label,
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

    result["grades"] = _grades(old, new, m)
    result["descriptions"] = _descriptions(old, new, m, verbose)
    result["renames"] = sorted(rename_rows, key=lambda d: (KINDS.index(d["kind"]), d["old"].casefold()))
    return result


def _grades(old: Snapshot, new: Snapshot, m: _Matcher) -> dict:
    """Grade changes of matched role levels and SCS roles whose grades both releases state."""
    changed, added, removed, inferred = [], [], [], 0
    graded = {side: any(n.grades and not n.grades_inferred for k in ("level", "role") for n in snap.nodes[k].values())
              for side, snap in (("old", old), ("new", new))}
    if not (graded["old"] and graded["new"]):
        missing = " and ".join(side for side, ok in graded.items() if not ok)
        return {"changed": [], "not_compared": f"the {missing} release states no grades (import it with --grades FILE)"}
    for kind in ("level", "role"):
        for o, n in m.map[kind].items():
            on, nn = old.nodes[kind][o], new.nodes[kind][n]
            if on.grades_inferred or nn.grades_inferred:
                inferred += on.grades != nn.grades
                continue
            entry = {"role_level": nn.label, "old": list(on.grades), "new": list(nn.grades)}
            if on.grades and nn.grades and on.grades != nn.grades:
                changed.append(entry)
            elif nn.grades and not on.grades:
                added.append(entry)
            elif on.grades and not nn.grades:
                removed.append(entry)
    by = lambda d: d["role_level"].casefold()  # noqa: E731
    out: dict[str, Any] = {"changed": sorted(changed, key=by)}
    if added:
        out["added"] = sorted(added, key=by)
    if removed:
        out["removed"] = sorted(removed, key=by)
    if inferred:
        out["not_compared_carried_over"] = inferred
    return out


def _descriptions(old: Snapshot, new: Snapshot, m: _Matcher, verbose: bool) -> dict:
    """Rewritten descriptions, like with like: official text with official text, summary with summary."""
    counts = {k: 0 for k in ("families", "roles", "levels", "skills")}
    listed, unlike = [], 0
    for kind, key in (("family", "families"), ("role", "roles"), ("level", "levels"), ("skill", "skills")):
        for o, n in m.map[kind].items():
            on, nn = old.nodes[kind][o], new.nodes[kind][n]
            od, nd = _norm(on.description), _norm(nn.description)
            if not od or not nd or od == nd:
                continue          # a missing description says nothing about a rewrite
            if on.description_kind != nn.description_kind:
                unlike += 1       # official text against an own summary: not comparable
                continue
            counts[key] += 1
            if verbose:
                listed.append({"kind": kind, "name": nn.label, "description_kind": nn.description_kind,
                               "words": word_diff(od, nd), "old": on.description, "new": nn.description})
    out: dict = dict(counts, total=sum(counts.values()), not_comparable=unlike)
    if verbose:
        out["changed"] = sorted(listed, key=lambda d: (KINDS.index(d["kind"]), d["name"].casefold()))
    return out


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
    out += _grade_lines(result["grades"], text=True)
    d = result["descriptions"]
    out.append(f"\nDescriptions: {d['total']} rewritten ({d['families']} families, {d['roles']} roles, "
               f"{d['levels']} role levels, {d['skills']} skills)" + ("" if "changed" in d else
                                                                       "; list them with --verbose"))
    if d.get("not_comparable"):
        out.append(f"  ({d['not_comparable']} not compared: official text on one side, an own-words summary "
                   "on the other)")
    for c in d.get("changed", []):
        out.append(f"  ~ {c['kind']}: {c['name']}: {c['words']}")
    if result.get("renames_unused"):
        out.append("\nRenames given but not used (no such old name left unmatched): "
                   + "; ".join(f"{o} -> {n or '(removed)'}" for o, n in result["renames_unused"]))
    return "\n".join(out)


def _grades_str(grades: list[str]) -> str:
    return ", ".join(grades) or "none"


def _grade_lines(gr: dict, text: bool) -> list[str]:
    """The grade section of the text (*text*) or Markdown report."""
    if "not_compared" in gr:
        return [f"\nGrades: not compared, as {gr['not_compared']}"] if text else []
    rows = [(g, "changed") for g in gr["changed"]] + [(g, "added") for g in gr.get("added", [])] + \
           [(g, "removed") for g in gr.get("removed", [])]
    rows.sort(key=lambda r: r[0]["role_level"].casefold())
    if text:
        out = [f"\nGrades: {len(gr['changed'])} role level(s) changed, {len(gr.get('added', []))} newly graded, "
               f"{len(gr.get('removed', []))} no longer graded"]
        out += [f"  ~ {g['role_level']}: {_grades_str(g['old'])} -> {_grades_str(g['new'])}" for g, _ in rows]
    else:
        out = [f"- {g['role_level']}: " + (f"grades added: **{_grades_str(g['new'])}**" if how == "added" else
                                           f"{_grades_str(g['old'])} → **{_grades_str(g['new'])}**")
               for g, how in rows]
    if gr.get("not_compared_carried_over"):
        n = gr["not_compared_carried_over"]
        out.append(f"  ({n} differ but were not compared: one release only carried its grades over from another)"
                   if text else f"- {n} role levels differ only because one release carried its grades over "
                                "from another; not compared")
    return out


def render_md(result: dict) -> str:
    """Markdown a maintainer can paste into release notes, grouped as the framework's own change notes:
    roles, role levels, skills, skill requirements, grades, then descriptions and how renames were found."""
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
    gr = result["grades"]
    if "not_compared" in gr:
        summary.append(f"- Grades not compared: {gr['not_compared']}")
    elif gr["changed"] or gr.get("added"):
        summary.append(f"- Grades updated in {len(gr['changed'])} role levels"
                       + (f", added to {len(gr['added'])}" if gr.get("added") else ""))
    if result["descriptions"]["total"]:
        summary.append(f"- {result['descriptions']['total']} descriptions rewritten")
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
            out += ["### Renamed", ""] + [f"- {o} is now **{n}**" for o, n in sec["renamed"]] + [""]
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
    grade_lines = _grade_lines(gr, text=False)
    if grade_lines:
        out += ["", "## Grades", ""] + grade_lines
    d = result["descriptions"]
    if d["total"]:
        out += ["", "## Descriptions", "",
                f"{d['total']} descriptions rewritten: {d['roles']} roles, {d['levels']} role levels, "
                f"{d['skills']} skills, {d['families']} job families."]
        if "changed" in d:
            out += [""] + [f"- {c['kind'].capitalize()} **{c['name']}**: {c['words']}" for c in d["changed"]]
    if d.get("not_comparable"):
        out += ["", f"_{d['not_comparable']} descriptions were not compared: one release has the official text, "
                    "the other rolegraph's own summaries._"]
    if result["renames"]:
        out += ["", "## How renames were found", ""]
        out += [f"- {r['old']} → {r['new']}: {r['basis']}" for r in result["renames"]]
    return "\n".join(out)
