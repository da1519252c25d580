#!/usr/bin/env python3
"""Seedable generator of synthetic frameworks in rolegraph's model, from tiny to ESCO scale.

The output is Turtle (and N-Triples) in exactly the model of ``data/``: job
families, roles with a ladder of role levels (``rg:ofRole``, ``rg:order``,
``rg:grade``), skills (``dcterms:source``, ``rg:levelDefined``), skill
requirements (``rg:skill``, ``rg:level``), a few Senior Civil Service roles whose
requirements carry no level, and one ``rg:Release``. Every node has exactly one
English ``skos:prefLabel``, so a clean data set validates against
``ontology/shapes.ttl``.

Skill popularity is skewed the way real frameworks are (after the generator in
``../shared/reference/tech-baseline.md``): every family has its own pool of
skills drawn Zipf-wise, every role also takes a few transversal skills (a global
Zipf pool) and a few from a neighbouring family. Skill levels rise (never drop)
along each ladder and grades rise with the order, so clean data raises no
warnings.

``--defects N`` plants N of each of three known defects, so a validator has
something to find: a levelled requirement with no ``rg:level`` (core SHACL
violation), a skill required twice by one role level (SHACL-SPARQL violation)
and a skill level that drops along a ladder (SHACL-SPARQL warning).

The same size, seed and defects always give byte-identical files.

Usage::

    python benchmarks/generate.py esco                 # -> benchmarks/data/esco-s42.{ttl,nt,json}
    python benchmarks/generate.py tiny --seed 7 --out /tmp/x --defects 1
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from rolegraph import namespaces as ns
from rolegraph import turtle
from rolegraph.slugs import slugify

HERE = Path(__file__).resolve().parent
DATA_DIR = HERE / "data"


@dataclass(frozen=True)
class Size:
    roles: int          # ordinary roles (each gets a ladder of 3-5 role levels)
    scs_roles: int      # Senior Civil Service roles (no levels; unlevelled requirements)
    skills: int
    families: int
    transversal: int    # skills every family draws from
    role_skills: float  # mean size of a role's skill set
    level_share: float  # share of the role's skills each level requires
    skill_alt: int      # max skos:altLabels per skill (uniform 0..max); ESCO skills carry many
    role_alt: int       # max skos:altLabels per role


SIZES = {
    "tiny": Size(roles=12, scs_roles=2, skills=80, families=3, transversal=8, role_skills=10, level_share=0.8,
                 skill_alt=2, role_alt=2),
    "small": Size(roles=100, scs_roles=4, skills=500, families=6, transversal=20, role_skills=12,
                  level_share=0.8, skill_alt=8, role_alt=10),
    "medium": Size(roles=600, scs_roles=8, skills=3000, families=12, transversal=50, role_skills=13,
                   level_share=0.8, skill_alt=16, role_alt=20),
    # ESCO: 3,039 occupations, 13,939 skills, ~126,000 occupation-skill links
    "esco": Size(roles=2980, scs_roles=20, skills=14000, families=30, transversal=100, role_skills=13.5,
                 level_share=0.8, skill_alt=28, role_alt=30),
}

LEVELS = ["awareness", "working", "practitioner", "expert"]
GRADES = ["aa", "ao", "eo", "heo", "seo", "g7", "g6"]
SCS_GRADES = ["scs-1", "scs-2", "scs-3"]
LADDER = {3: ["Junior", "", "Senior"], 4: ["Associate", "", "Senior", "Lead"],
          5: ["Trainee", "", "Senior", "Lead", "Head of"]}
SCS_TITLES = ["Chief", "Director of", "Deputy director of"]

# syllables for pronounceable made-up words: labels look like names, not numbers
_ONSETS = ["b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "cr", "dr", "pl",
           "st", "tr", "gr", "sh", "th"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "io", "ea"]
_CODAS = ["", "", "n", "r", "s", "l", "x", "nd", "st"]
_SKILL_HEADS = ["management", "design", "analysis", "engineering", "modelling", "governance", "testing",
                "operations", "planning", "assurance", "research", "architecture", "delivery", "security",
                "integration", "strategy", "optimisation", "communication", "automation", "maintenance"]
_ROLE_HEADS = ["engineer", "analyst", "architect", "manager", "designer", "specialist", "officer",
               "technician", "scientist", "consultant", "lead", "administrator", "developer", "researcher"]
_FAMILY_HEADS = ["services", "operations", "technology", "design", "data", "engineering", "security",
                 "delivery", "research", "infrastructure"]

FAMILY_PAGE = "https://example.org/synthetic-framework/"


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(rng.randint(1, 2))) + rng.choice(_CODAS)


def _names(rng: random.Random, n: int, make) -> list[str]:
    """*n* distinct labels with distinct slugs from *make(rng)*."""
    out, seen = [], set()
    while len(out) < n:
        name = make(rng)
        if slugify(name) in seen:
            continue
        seen.add(slugify(name))
        out.append(name)
    return out


def _zipf_cum(n: int, s: float) -> list[float]:
    return list(accumulate(1.0 / (i + 1) ** s for i in range(n)))


def _pick(rng: random.Random, items: list[str], cum: list[float], k: int, taken: dict[str, None]) -> None:
    """Add up to *k* new distinct items to *taken* (an ordered dict used as a set), Zipf-weighted."""
    k = min(k, len(items))
    goal = len(taken) + k
    total = cum[-1]
    tries = 0
    while len(taken) < goal and tries < 50 * k + 50:
        taken.setdefault(items[bisect(cum, rng.random() * total)], None)
        tries += 1


class Writer:
    """Collects triples as N-Triples terms, grouped by subject in insertion order."""

    def __init__(self) -> None:
        self.subjects: dict[str, list[tuple[str, str]]] = {}
        self.count = 0

    def add(self, s: str, p: str, o: str) -> None:
        self.subjects.setdefault(s, []).append((p, o))
        self.count += 1


iri = turtle.iri  # terms are kept as N-Triples (full IRIs), and shortened when Turtle is written


def lit(text: str, lang: str | None = "en", datatype: str | None = None) -> str:
    return turtle.literal(text, lang=None if datatype else lang, datatype=datatype)


def build(size: str, seed: int = 42, defects: int = 0) -> tuple[Writer, dict]:
    """Generate the framework; returns the triples and a summary (counts, sample nodes for the benchmarks)."""
    cfg = SIZES[size]
    rng = random.Random(f"rolegraph-bench/{size}/{seed}")
    w = Writer()
    A = ns.RDF + "type"
    P = lambda local: ns.RG + local  # noqa: E731
    PREF, ALT = ns.SKOS + "prefLabel", ns.SKOS + "altLabel"
    DESC, SRC = ns.DCTERMS + "description", ns.DCTERMS + "source"
    PART = ns.DCTERMS + "isPartOf"
    release = ns.RELEASE + f"synthetic-{size}-s{seed}"

    # release ----------------------------------------------------------------
    w.add(iri(release), A, iri(P("Release")))
    w.add(iri(release), PREF, lit(f"Synthetic framework ({size}, seed {seed})"))
    w.add(iri(release), ns.SCHEMA + "version", lit(f"synthetic-{size}-s{seed}", lang=None))
    w.add(iri(release), ns.DCTERMS + "issued", lit("2026-01-01", datatype=ns.XSD + "date"))
    w.add(iri(release), ns.DCTERMS + "license", iri(ns.OGL_V3))
    w.add(iri(release), SRC, iri(FAMILY_PAGE))
    w.add(iri(release), DESC, lit("Synthetic data generated by benchmarks/generate.py for benchmarking only."))

    # families ----------------------------------------------------------------
    fam_names = _names(rng, cfg.families, lambda r: f"{_word(r).capitalize()} {r.choice(_FAMILY_HEADS)}")
    families = [ns.FAMILY + slugify(n) for n in fam_names]
    for f, name in zip(families, fam_names):
        w.add(iri(f), A, iri(P("JobFamily")))
        w.add(iri(f), PREF, lit(name))
        w.add(iri(f), SRC, iri(FAMILY_PAGE))
        w.add(iri(f), PART, iri(release))
    scs_family = ns.FAMILY + "synthetic-senior-leadership"
    w.add(iri(scs_family), A, iri(P("JobFamily")))
    w.add(iri(scs_family), PREF, lit("Synthetic senior leadership"))
    w.add(iri(scs_family), PART, iri(release))

    # skills ------------------------------------------------------------------
    skill_names = _names(rng, cfg.skills, lambda r: f"{_word(r).capitalize()} {_word(r)} {r.choice(_SKILL_HEADS)}")
    skills = [ns.SKILL + slugify(n) for n in skill_names]
    skill_label = dict(zip(skills, skill_names))
    for s, name in zip(skills, skill_names):
        w.add(iri(s), A, iri(P("Skill")))
        w.add(iri(s), PREF, lit(name))
        for k in range(rng.randint(0, cfg.skill_alt)):
            w.add(iri(s), ALT, lit(f"{name.lower()} {_word(rng)}"))
        w.add(iri(s), DESC, lit(f"Synthetic skill: {name.lower()}."))
        w.add(iri(s), SRC, iri(FAMILY_PAGE + "skills#" + slugify(name)))
        rng.choice((0, 0, 0, 1))  # (kept so that each seed's other choices stay as they were)
        for lv in LEVELS:  # every level, since requirements may ask for any (rgsh:DefinedSkillLevelShape)
            w.add(iri(s), P("levelDefined"), iri(ns.SKILL_LEVEL + lv))
        w.add(iri(s), PART, iri(release))

    trans = skills[: cfg.transversal]
    specific = skills[cfg.transversal:]
    pools = [specific[i:: cfg.families] for i in range(cfg.families)]
    for p in pools:
        rng.shuffle(p)
    pool_cum = [_zipf_cum(len(p), 0.9) for p in pools]
    trans_cum = _zipf_cum(len(trans), 1.0)

    # roles and their ladders ---------------------------------------------------
    role_names = _names(rng, cfg.roles + cfg.scs_roles,
                        lambda r: f"{_word(r).capitalize()} {_word(r)} {r.choice(_ROLE_HEADS)}")
    used_level_slugs: set[str] = set()
    n_levels = n_reqs = 0
    role_iris, level_iris, level_skills = [], [], {}
    plan = {"missing-level": defects, "duplicate": defects, "drop": defects}
    planted: dict[str, list[str]] = {k: [] for k in plan}
    # spread the defects over the ladders: every `gap`-th role gets one
    gap = max(1, cfg.roles // max(1, 3 * defects)) if defects else 0

    for i, name in enumerate(role_names[: cfg.roles]):
        role = ns.ROLE + slugify(name)
        role_iris.append(role)
        fi = i % cfg.families
        w.add(iri(role), A, iri(P("Role")))
        w.add(iri(role), PREF, lit(name))
        for _ in range(rng.randint(0, cfg.role_alt)):
            w.add(iri(role), ALT, lit(f"{_word(rng)} {name.lower()}"))
        w.add(iri(role), P("family"), iri(families[fi]))
        w.add(iri(role), DESC, lit(f"Synthetic role: {name.lower()}."))
        w.add(iri(role), SRC, iri(FAMILY_PAGE + "role/" + slugify(name) + "/"))
        w.add(iri(role), PART, iri(release))

        # the role's skill set: transversal, own family pool, a neighbouring family
        k = max(4, round(rng.gauss(cfg.role_skills, cfg.role_skills / 4)))
        k_tr, k_rel = max(1, k // 8), k // 10
        chosen: dict[str, None] = {}
        _pick(rng, trans, trans_cum, k_tr, chosen)
        _pick(rng, pools[fi], pool_cum[fi], k - k_tr - k_rel, chosen)
        rf = (fi + 1 + rng.randrange(3)) % cfg.families
        _pick(rng, pools[rf], pool_cum[rf], k_rel, chosen)
        role_skills = list(chosen)
        base = {s: rng.choice((0, 0, 1)) for s in role_skills}   # starting level index
        step = {s: rng.choice((0.5, 0.75, 1.0)) for s in role_skills}

        n = rng.choice((3, 4, 5))
        g0 = rng.choice((0, 1, 2, 2, 3))
        defect = None
        if gap and i % gap == 0:
            for kind in ("missing-level", "duplicate", "drop"):
                turn = ("missing-level", "duplicate", "drop").index(kind)
                if len(planted[kind]) < plan[kind] and (i // gap) % 3 == turn:
                    defect = kind
                    break
        for o in range(1, n + 1):
            prefix = LADDER[n][o - 1]
            lname = f"{prefix} {name.lower()}" if prefix else name
            slug = slugify(lname)
            while slug in used_level_slugs:
                slug += "-x"
            used_level_slugs.add(slug)
            lvl = ns.LEVEL + slug
            level_iris.append(lvl)
            n_levels += 1
            w.add(iri(lvl), A, iri(P("RoleLevel")))
            w.add(iri(lvl), PREF, lit(lname[0].upper() + lname[1:]))
            w.add(iri(lvl), P("ofRole"), iri(role))
            w.add(iri(lvl), P("order"), lit(str(o), datatype=ns.XSD + "integer"))
            gi = min(len(GRADES) - 1, g0 + o - 1)
            w.add(iri(lvl), P("grade"), iri(ns.GRADE + GRADES[gi]))
            if gi + 1 < len(GRADES) and rng.random() < 0.3:
                w.add(iri(lvl), P("grade"), iri(ns.GRADE + GRADES[gi + 1]))
            reqs = [s for s in role_skills if rng.random() < cfg.level_share] or role_skills[:1]
            level_skills[lvl] = reqs
            for j, s in enumerate(reqs):
                req = ns.REQUIREMENT + f"{slug}--{s.rsplit('/', 1)[-1]}"
                li = min(3, base[s] + int((o - 1) * step[s]))
                prev_li = min(3, base[s] + int((o - 2) * step[s]))
                if defect == "drop" and o == n and prev_li > 0 and s in level_skills[level_iris[-2]]:
                    li, defect = prev_li - 1, None
                    planted["drop"].append(lvl)
                w.add(iri(lvl), P("requires"), iri(req))
                w.add(iri(req), A, iri(P("SkillRequirement")))
                w.add(iri(req), P("skill"), iri(s))
                if defect == "missing-level" and o == 2 and j == 0:
                    defect = None
                    planted["missing-level"].append(req)
                else:
                    w.add(iri(req), P("level"), iri(ns.SKILL_LEVEL + LEVELS[li]))
                n_reqs += 1
            if defect == "duplicate" and o == 1:
                s = reqs[0]
                req = ns.REQUIREMENT + f"{slug}--{s.rsplit('/', 1)[-1]}--again"
                w.add(iri(lvl), P("requires"), iri(req))
                w.add(iri(req), A, iri(P("SkillRequirement")))
                w.add(iri(req), P("skill"), iri(s))
                w.add(iri(req), P("level"), iri(ns.SKILL_LEVEL + LEVELS[min(3, base[s])]))
                n_reqs += 1
                defect = None
                planted["duplicate"].append(lvl)
            w.add(iri(lvl), PART, iri(release))

    # Senior Civil Service roles: no levels, unlevelled requirements, senior skills of their own
    scs_skills = skills[cfg.transversal: cfg.transversal + max(6, cfg.scs_roles)]
    scs_iris = []
    for i, name in enumerate(role_names[cfg.roles:]):
        title = f"{SCS_TITLES[i % len(SCS_TITLES)]} {name.lower()}"
        role = ns.ROLE + slugify(title)
        scs_iris.append(role)
        w.add(iri(role), A, iri(P("Role")))
        w.add(iri(role), A, iri(P("SeniorCivilServiceRole")))
        w.add(iri(role), PREF, lit(title))
        w.add(iri(role), P("family"), iri(scs_family))
        w.add(iri(role), SRC, iri(FAMILY_PAGE + "role/" + slugify(title) + "/"))
        w.add(iri(role), P("profession"), iri(ns.PROFESSION + "government-digital-and-data"))
        w.add(iri(role), P("grade"), iri(ns.GRADE + SCS_GRADES[i % 3]))
        picked = sorted(rng.sample(range(len(scs_skills)), min(6, len(scs_skills))))
        for j in picked:
            s = scs_skills[j]
            req = ns.REQUIREMENT + f"{slugify(title)}--{s.rsplit('/', 1)[-1]}"
            w.add(iri(role), P("requires"), iri(req))
            w.add(iri(req), A, iri(P("SkillRequirement")))
            w.add(iri(req), P("skill"), iri(s))
            n_reqs += 1
        w.add(iri(role), PART, iri(release))

    # sample nodes for the benchmarks: two levels of roles in the same family, far apart on the ladder
    a_role, b_role = role_iris[0], role_iris[cfg.families] if len(role_iris) > cfg.families else role_iris[-1]
    levels_of = lambda r: [lv for lv in level_iris if lv.startswith(ns.LEVEL)  # noqa: E731
                           and lv in level_skills and _role_of.get(lv) == r]
    _role_of = {}
    for s, pos in w.subjects.items():
        for p, o in pos:
            if p == P("ofRole"):
                _role_of[s[1:-1]] = o[1:-1]
    meta = {
        "size": size, "seed": seed, "defects": defects,
        "triples": w.count, "families": cfg.families + 1, "roles": cfg.roles + cfg.scs_roles,
        "scs_roles": cfg.scs_roles, "role_levels": n_levels, "skills": cfg.skills, "requirements": n_reqs,
        "planted": planted,
        "sample": {
            "role": a_role, "other_role": b_role,
            "level": levels_of(a_role)[0], "path_from": levels_of(a_role)[0], "path_to": levels_of(b_role)[-1],
            "skill": trans[0], "skill_label": skill_label[trans[0]], "scs_role": scs_iris[0] if scs_iris else None,
        },
    }
    return w, meta


PREFIXES = {p: ns.PREFIXES[p] for p in ("rg", "rdf", "xsd", "skos", "dcterms", "schema", "family", "role", "level",
                                        "skill", "req", "release", "slevel", "grade", "prof")}


def _qname(term: str) -> str:
    """Shorten an N-Triples IRI term with the prefixes where the local part is a safe Turtle name."""
    if not term.startswith("<"):
        return term
    x = term[1:-1]
    return "a" if x == ns.RDF + "type" else turtle.name(x, PREFIXES)


def _ttl_literal(term: str) -> str:
    for dt, short in ((ns.XSD + "integer", None), (ns.XSD + "date", "xsd:date")):
        suffix = f"^^<{dt}>"
        if term.endswith(suffix):
            return term[: -len(suffix)].strip('"') if short is None else term[: -len(suffix)] + "^^" + short
    return term


def write(w: Writer, meta: dict, out: Path, stem: str, formats=("ttl", "nt")) -> dict[str, Path]:
    """Write *stem*.ttl / .nt / .json atomically (temporary file, then rename)."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {}

    def atomic(path: Path, chunks) -> None:
        fd, tmp = tempfile.mkstemp(dir=out, prefix="." + path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                for c in chunks:
                    f.write(c)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise

    def nt_lines():
        for s, pos in w.subjects.items():
            yield "".join(f"{s} <{p}> {o} .\n" for p, o in pos)

    def ttl_chunks():
        yield f"# {meta['size']} synthetic framework, seed {meta['seed']}: generated by benchmarks/generate.py\n"
        yield turtle.prefix_block(prefixes=PREFIXES, align=False)
        for s, pos in w.subjects.items():
            parts, last = [], None
            for p, o in pos:
                o = _qname(o) if o.startswith("<") else _ttl_literal(o)
                if p == last:
                    parts[-1] += f", {o}"
                else:
                    parts.append(f"{_qname('<' + p + '>')} {o}")
                    last = p
            yield f"\n{_qname(s)}\n    " + " ;\n    ".join(parts) + " .\n"

    if "ttl" in formats:
        paths["ttl"] = out / f"{stem}.ttl"
        atomic(paths["ttl"], ttl_chunks())
    if "nt" in formats:
        paths["nt"] = out / f"{stem}.nt"
        atomic(paths["nt"], nt_lines())
    paths["json"] = out / f"{stem}.json"
    atomic(paths["json"], [json.dumps(meta, indent=1, sort_keys=True) + "\n"])
    return paths


def stem_for(size: str, seed: int, defects: int) -> str:
    return f"{size}-s{seed}" + (f"-d{defects}" if defects else "")


def generate(size: str, seed: int = 42, defects: int = 0, out: Path = DATA_DIR,
             formats=("ttl", "nt")) -> tuple[dict[str, Path], dict]:
    w, meta = build(size, seed, defects)
    return write(w, meta, Path(out), stem_for(size, seed, defects), formats), meta


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("size", choices=list(SIZES))
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--defects", type=int, default=0, help="plant N of each of three known defects (default 0)")
    ap.add_argument("--out", type=Path, default=DATA_DIR, help="output folder (default benchmarks/data)")
    ap.add_argument("--formats", default="ttl,nt", help="comma-separated: ttl, nt (default both)")
    a = ap.parse_args(argv)
    paths, meta = generate(a.size, a.seed, a.defects, a.out, tuple(a.formats.split(",")))
    print(json.dumps({k: meta[k] for k in ("size", "seed", "triples", "roles", "role_levels", "skills",
                                          "requirements")}), file=sys.stdout)
    for p in paths.values():
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
