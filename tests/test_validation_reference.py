"""rolegraph's validation agrees with a second engine (plain pyshacl) on planted defects.

Each planted defect goes into a copy of the bundled data (and, separately, into
the benchmark generator's synthetic data); rolegraph's results are compared with
pyshacl's on the same files: counts by source shape and constraint component,
focus nodes and values (as written, with datatype or language). The reference
side here is independent of rolegraph's code: rdflib parses the files (without
normalising literals), pyshacl validates, and its report graph is read below.
"""
from __future__ import annotations

import importlib.util
import shutil
import sys
from collections import Counter
from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib import BNode, Graph, URIRef

from rolegraph import namespaces as ns
from rolegraph.graph import RoleGraph
from rolegraph.resources import data_dir, ontology_files, shapes_file
from rolegraph.validation import validate

ROOT = Path(__file__).resolve().parent.parent
SH = rdflib.Namespace(ns.SH)
RGSH = ns.RGSH

PREFIXES = "".join(f"@prefix {p}: <{n}> .\n" for p, n in ns.PREFIXES.items())

# Each planted defect: (name, Turtle added to the copy, (node shape, component, focus) results it must cause)
DEFECTS = [
    ("grade outside its scheme",
     '<https://example.org/grade/band-b> a rg:Grade ; skos:prefLabel "Band B"@en ; skos:notation "B" ; rg:rank 3 ;'
     ' skos:inScheme <https://example.org/other-grades> .\n'
     "level:senior-data-engineer rg:grade <https://example.org/grade/band-b> .",
     [("RoleLevelShape", "NodeConstraintComponent", "level/senior-data-engineer")]),
    ("grade that does not exist", "level:data-engineer rg:grade grade:g5 .",
     [("RoleLevelShape", "ClassConstraintComponent", "level/data-engineer"),
      ("RoleLevelShape", "NodeConstraintComponent", "level/data-engineer")]),
    ("literal where an IRI belongs", 'level:lead-data-engineer rg:ofRole "Data engineer" .',
     [("RoleLevelShape", "ClassConstraintComponent", "level/lead-data-engineer"),
      ("RoleLevelShape", "MaxCountConstraintComponent", "level/lead-data-engineer")]),
    ("unknown skill", "req:senior-data-engineer--problem-management rg:skill skill:no-such-skill .",
     [("SkillRequirementShape", "ClassConstraintComponent", "requirement/senior-data-engineer--problem-management"),
      ("SkillRequirementShape", "MaxCountConstraintComponent",
       "requirement/senior-data-engineer--problem-management")]),
    ("order typed xsd:int", 'level:junior-accessibility-specialist rg:order "1"^^xsd:int .',
     [("RoleLevelShape", "DatatypeConstraintComponent", "level/junior-accessibility-specialist"),
      ("RoleLevelShape", "MaxCountConstraintComponent", "level/junior-accessibility-specialist")]),
    ("two orders that differ only lexically", 'level:accessibility-specialist rg:order "02"^^xsd:integer .',
     [("RoleLevelShape", "MaxCountConstraintComponent", "level/accessibility-specialist")]),
    ("ill-typed order", 'level:senior-agile-coach rg:order "two"^^xsd:integer .',
     [("RoleLevelShape", "DatatypeConstraintComponent", "level/senior-agile-coach")]),
    ("role level with no requirements",
     'level:extra-agile-coach a rg:RoleLevel ; skos:prefLabel "Extra agile coach"@en ; rg:ofRole role:agile-coach ;'
     " rg:order 3 .",
     [("RoleLevelShape", "MinCountConstraintComponent", "level/extra-agile-coach")]),
    ("gap in level order", "level:head-of-accessibility rg:order 7 .",
     [("LevelOrderGapWarningShape", "SPARQLConstraintComponent", "role/accessibility-specialist")]),
    ("requirement at a level the skill does not define",
     "level:data-engineer rg:requires req:data-engineer--technology-evaluation .\n"
     "req:data-engineer--technology-evaluation a rg:SkillRequirement ; rg:skill skill:technology-evaluation ;"
     " rg:level slevel:working .",
     [("DefinedSkillLevelShape", "SPARQLConstraintComponent", "requirement/data-engineer--technology-evaluation")]),
    ("two skills with one name",
     'skill:data-modelling-again a rg:Skill ; skos:prefLabel "Data modelling"@en ;'
     " dcterms:source <https://example.org/skills#again> .",
     [("UniqueNameShape", "SPARQLConstraintComponent", "skill/data-modelling-again"),
      ("UniqueNameShape", "SPARQLConstraintComponent", "skill/data-modelling")]),
    ("misspelt class", 'level:misspelt a rg:RoleLevle ; skos:prefLabel "Misspelt"@en .',
     [("VocabularyShape", "SPARQLConstraintComponent", "level/misspelt")]),
    ("misspelt property", "level:data-engineer rg:grad grade:g7 .",
     [("VocabularyShape", "SPARQLConstraintComponent", "level/data-engineer")]),
    ("requirement owned by nobody",
     "req:orphan a rg:SkillRequirement ; rg:skill skill:data-modelling ; rg:level slevel:working .",
     [("SkillRequirementShape", "MinCountConstraintComponent", "requirement/orphan")]),
    ("blank requirement without a skill",
     "level:senior-agile-coach rg:requires [ a rg:SkillRequirement ; rg:level slevel:working ] .",
     [("SkillRequirementShape", "MinCountConstraintComponent", "_:")]),
]


# ---------------------------------------------------------------------------- the reference side


def _node_shape(shapes: Graph, shape):
    parent = shapes.value(None, SH.property, shape)
    return parent if parent is not None else shape


def _path(graph: Graph, path) -> str | None:
    if isinstance(path, URIRef):
        return str(path)
    if isinstance(path, BNode) and isinstance(graph.value(path, SH.inversePath), URIRef):
        return "^" + str(graph.value(path, SH.inversePath))
    return None


def _key_term(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, BNode):
        return "_:"
    return term.n3()


def _targets(data: Graph, shapes: Graph, shape) -> set:
    """The focus nodes of *shape* in *data* (the target kinds rolegraph's shapes use)."""
    found = set()
    for cls in shapes.objects(shape, SH.targetClass):
        for c in data.transitive_subjects(rdflib.RDFS.subClassOf, cls):
            found |= set(data.subjects(rdflib.RDF.type, c))
    for p in shapes.objects(shape, SH.targetSubjectsOf):
        found |= set(data.subjects(p, None))
    return found


def reference(files: list[Path], sparql_focus: set[str] | None = None) -> Counter:
    """pyshacl's top-level results as (severity, node shape, path, component, focus, value) keys.

    With *sparql_focus*, SHACL-SPARQL shapes are targeted at those nodes only (pyshacl runs them once per focus
    node through rdflib, minutes on the whole bundled data); core shapes keep their own targets.
    """
    before = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        data = Graph()
        for f in files:
            data.parse(f, format="turtle")
    finally:
        rdflib.NORMALIZE_LITERALS = before
    shapes = Graph().parse(shapes_file(), format="turtle")
    moved = {}
    if sparql_focus is not None:  # each sh:sparql moves to a copy of its shape, targeted at sparql_focus only
        for shape, constraint in list(shapes.subject_objects(SH.sparql)):
            copy = URIRef(str(shape) + "-sparql-only")
            moved[copy] = shape
            shapes.remove((shape, SH.sparql, constraint))
            shapes.add((copy, rdflib.RDF.type, SH.NodeShape))
            shapes.add((copy, SH.sparql, constraint))
            for p in (SH.severity, SH.deactivated):
                for o in shapes.objects(shape, p):
                    shapes.add((copy, p, o))
            for node in {URIRef(n) for n in sparql_focus} & _targets(data, shapes, shape):
                shapes.add((copy, SH.targetNode, node))
    report = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True)[1]
    assert isinstance(report, Graph), report
    out = Counter()
    for rep in report.subjects(rdflib.RDF.type, SH.ValidationReport):
        for r in report.objects(rep, SH.result):
            v = lambda p: report.value(r, SH[p])  # noqa: E731
            shape = moved.get(v("sourceShape"), _node_shape(shapes, v("sourceShape")))
            out[(str(v("resultSeverity")).rsplit("#", 1)[1], str(shape),
                 _path(report, v("resultPath")), str(v("sourceConstraintComponent")), _key_term(v("focusNode")),
                 _key_term(v("value")))] += 1
    return out


def ours(report) -> Counter:
    def term(t):
        return None if t is None else ("_:" if t.kind == "bnode" else t.n3())

    return Counter((r.severity, r.shape, r.path, r.component, "_:" if r.focus.startswith("_:") else f"<{r.focus}>",
                    term(r.value)) for r in report.results)


def by_shape_and_component(c: Counter) -> Counter:
    out = Counter()
    for (sev, shape, _path, comp, _focus, _value), n in c.items():
        out[(sev, shape.rsplit("#", 1)[-1], comp.rsplit("#", 1)[-1])] += n
    return out


# ---------------------------------------------------------------------------- planted into the bundled data


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("planted")
    shutil.copytree(data_dir(), folder / "data")
    (folder / "data" / "defects.ttl").write_text(
        PREFIXES + "\n".join(f"# {name}\n{ttl}\n" for name, ttl, _ in DEFECTS), encoding="utf-8")
    g = RoleGraph.load([folder / "data"])
    return g, validate(g)


@pytest.mark.parametrize("name,ttl,expected", DEFECTS, ids=[d[0] for d in DEFECTS])
def test_each_planted_defect_is_caught(planted, name, ttl, expected):
    _, report = planted
    for shape, component, focus in expected:
        hits = [r for r in report.results if r.shape == RGSH + shape and r.component_name == component
                and (r.focus.startswith("_:") if focus == "_:" else r.focus.endswith("/" + focus))]
        assert hits, f"{name}: no {shape} {component} on {focus}"


def agree_with_pyshacl(g, report, files, also: list[str] = (), skip: set[str] = frozenset()) -> Counter:
    """Assert rolegraph's results equal pyshacl's; returns them.

    pyshacl checks core constraints on the whole graph, and SHACL-SPARQL constraints on rolegraph's focus nodes,
    the planted nodes *also* and every 60th node of each kind (so that it can find what rolegraph missed without
    taking minutes: pyshacl runs each SPARQL constraint once per focus node in rdflib). SPARQL constraints on the
    nodes in *skip* are left out of the comparison.
    """
    mine = Counter({k: n for k, n in ours(report).items()
                    if not (k[3].endswith("#SPARQLConstraintComponent") and k[4].strip("<>") in skip)})
    sample = {r.focus for r in report.results if not r.focus.startswith("_:")} | set(also)
    for kind in ("role", "skill", "level"):
        sample |= {e.iri for e in g.entities(kind)[::60]}
    sample -= set(skip)
    ref = reference(files, sample)
    assert by_shape_and_component(mine) == by_shape_and_component(ref)
    assert mine == ref
    return mine


def test_planted_defects_agree_with_pyshacl(planted):
    """rdflib's SPARQL engine (under pyshacl) crashes with a RecursionError on ``?order - 1`` when an order is
    ill-typed (``"two"^^xsd:integer``), so SPARQL constraints on that ladder are not compared; core ones are."""
    g, report = planted
    ladder = {r["n"] for r in g.select("SELECT ?n WHERE { { ?n rg:ofRole role:agile-coach } UNION "
                                         "{ BIND (role:agile-coach AS ?n) } }")}
    agree_with_pyshacl(g, report, g.files, skip=ladder,
                       also=[ns.LEVEL + "misspelt", ns.LEVEL + "data-engineer", ns.SKILL + "data-modelling",
                             ns.SKILL + "data-modelling-again", ns.ROLE + "accessibility-specialist"])


def test_counts_by_the_spec(planted):
    """One result per value: the grade outside its scheme is one sh:node result, not one per nested result."""
    _, report = planted
    band_b = [r for r in report.results if r.focus.endswith("/senior-data-engineer") and r.path == ns.RG + "grade"]
    assert [(r.component_name, r.value.value) for r in band_b] == [
        ("NodeConstraintComponent", "https://example.org/grade/band-b")]
    # the grade itself meets its own shapes (it has a rank, a notation and a scheme): no result of its own
    assert not [r for r in report.results if r.focus == "https://example.org/grade/band-b"]


def test_values_are_reported_as_written(planted):
    _, report = planted

    def values(focus, component):
        return sorted(r.value.short() for r in report.results if r.focus == ns.LEVEL + focus
                      and r.component_name == component)

    assert values("junior-accessibility-specialist", "DatatypeConstraintComponent") == ['"1"^^xsd:int']
    assert values("senior-agile-coach", "DatatypeConstraintComponent") == ['"two"^^xsd:integer']
    assert values("lead-data-engineer", "ClassConstraintComponent") == ['"Data engineer"']
    assert values("data-engineer", "ClassConstraintComponent") == ["<https://w3id.org/rolegraph/grade/g5>"]


def test_did_you_mean_for_misspelt_terms(planted):
    _, report = planted
    vocab = {r.value.value.rsplit("#", 1)[1]: r.message for r in report.results if r.shape == RGSH + "VocabularyShape"}
    assert set(vocab) == {"RoleLevle", "grad"}
    assert "did you mean rg:RoleLevel?" in vocab["RoleLevle"]
    assert "did you mean rg:grade?" in vocab["grad"]


def test_blank_focus_node_is_described(planted):
    _, report = planted
    blank = [r for r in report.results if r.focus.startswith("_:")]
    assert [r.focus_label for r in blank] == ["blank node in defects.ttl (a SkillRequirement)"]
    again = validate(planted[0])
    assert [r.focus for r in again.results if r.focus.startswith("_:")] == [blank[0].focus]


def test_turtle_report_is_a_shacl_report(planted):
    _, report = planted
    g = Graph().parse(data=report.to_turtle(), format="turtle")
    rep = next(g.subjects(rdflib.RDF.type, SH.ValidationReport))
    assert g.value(rep, SH.conforms).toPython() is False
    results = list(g.objects(rep, SH.result))
    assert len(results) == len(report.results)
    for r in results:
        assert len(list(g.objects(r, SH.sourceConstraintComponent))) == 1
        assert len(list(g.objects(r, SH.sourceShape))) == 1
        assert g.value(r, SH.focusNode) is not None
    values = {g.value(r, SH.value) for r in results}
    assert rdflib.Literal("1", datatype=rdflib.XSD.int) in values
    assert rdflib.Literal("Data engineer") in values
    inverse = [g.value(g.value(r, SH.resultPath), SH.inversePath) for r in results
               if isinstance(g.value(r, SH.resultPath), BNode)]
    assert URIRef(ns.RG + "requires") in inverse


def test_cli_shows_values_and_no_traceback(planted, cli):
    g, _ = planted
    r = cli("validate", Path(g.files[-1]).parent)
    assert r.exit_code == 1
    assert r.stderr == ""
    assert 'value: "two"^^xsd:integer  (sh:datatype)' in r.stdout
    assert "blank node in defects.ttl (a SkillRequirement) _:" in r.stdout
    assert "value: <https://w3id.org/rolegraph/grade/g5>" in r.stdout
    assert "[role level] rg:order:" in r.stdout


def test_bundled_data_turtle_report_says_not_conforming_but_exit_0(cli):
    r = cli("validate", "--format", "turtle")
    assert r.exit_code == 0
    g = Graph().parse(data=r.stdout, format="turtle")
    assert g.value(next(g.subjects(rdflib.RDF.type, SH.ValidationReport)), SH.conforms).toPython() is False


# ---------------------------------------------------------------------------- planted by the generator


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("bench_generate_ref", ROOT / "benchmarks" / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def test_generator_defects_agree_with_pyshacl(generator, tmp_path):
    paths, meta = generator.generate("tiny", seed=3, defects=1, out=tmp_path, formats=("ttl",))
    g = RoleGraph.load([paths["ttl"]])
    mine = ours(validate(g))
    whole, by_shape = mine, ours(validate(g, batch=7))
    assert whole == by_shape
    planted_nodes = [n for nodes in meta["planted"].values() for n in nodes]
    agree_with_pyshacl(g, validate(g), ontology_files() + [paths["ttl"]], planted_nodes)
    assert sum(mine.values()) == 3, mine  # a missing level, a duplicate requirement (violations); a drop (warning)


def test_a_defect_costs_what_it_reaches(generator, tmp_path, monkeypatch):
    """pyshacl gets only the suspects and the triples their shapes read (issue 26), not the whole graph, and the
    results are still pyshacl's on the whole graph."""
    import rolegraph.validation as validation
    import rolegraph.validation.extract as extract

    paths, meta = generator.generate("tiny", seed=5, defects=1, out=tmp_path, formats=("ttl",))
    g = RoleGraph.load([paths["ttl"]])
    seen: list[tuple[str, int]] = []
    for module, where in ((extract, "extract"), (validation, "whole")):
        real = module.run_pyshacl
        monkeypatch.setattr(module, "run_pyshacl", lambda data, shapes, real=real, where=where: (
            seen.append((where, len(data))), real(data, shapes))[1])
    report = validate(g)
    assert seen and {w for w, _ in seen} == {"extract"}, seen
    assert sum(n for _, n in seen) < len(g) / 10, (seen, len(g))
    monkeypatch.undo()
    planted_nodes = [n for nodes in meta["planted"].values() for n in nodes]
    assert sum(agree_with_pyshacl(g, report, ontology_files() + [paths["ttl"]], planted_nodes).values()) == 3


# ---------------------------------------------------------------------------- the screen before pyshacl


def test_screen_keeps_every_node_pyshacl_reports(planted):
    """Every focus node with a core result (from pyshacl) was a suspect of the screen, and the screen cleared
    the rest: the fast path can only skip nodes that conform."""
    from rolegraph.validation import screen
    from rolegraph.validation.shapes import Shapes

    g, report = planted
    suspect = screen.suspects(g, Shapes(shapes_file()), list(g.files))
    assert suspect is not None
    core = [r for r in report.results if not r.component.endswith("#SPARQLConstraintComponent")]
    assert core

    def node(focus: str) -> str:  # blank nodes are named by the files in the report, by the store in the screen
        return "_:" if focus.startswith("_:") else focus

    flagged = {(str(s), node(f)) for s, nodes in suspect.items() for f in nodes}
    failed = {(r.shape, node(r.focus)) for r in core}
    assert failed <= flagged, failed - flagged
    # the screen flags few nodes beyond those that fail (a node whose literals the store rewrote is a suspect for
    # every shape that reads it, so count nodes, not (shape, node) pairs)
    assert len({f for _, f in flagged}) <= len({f for _, f in failed}) + 3, flagged - failed


def test_screen_clears_the_bundled_data_as_pyshacl_does():
    """On the bundled data the screen clears every focus node (so pyshacl is not run), and pyshacl on the whole
    graph, as written, finds no core result either."""
    from rolegraph.validation import screen
    from rolegraph.validation.core import run_pyshacl
    from rolegraph.validation.shapes import Shapes
    from rolegraph.validation.source import written_graph

    g = RoleGraph.load()
    shapes = Shapes(shapes_file())
    suspect = screen.suspects(g, shapes, list(g.files))
    assert suspect is not None and sum(len(v) for v in suspect.values()) == 0
    report = run_pyshacl(written_graph(list(g.files)), shapes.core)
    assert not list(report.objects(None, SH.result))
