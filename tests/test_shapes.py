"""Each SHACL shape catches the defect it exists for.

Every case starts from tests/fixtures/mini/framework.ttl (which conforms) and
introduces one defect, as a small bad fixture written to a temporary folder.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from rolegraph.graph import RoleGraph
from rolegraph.validation import validate

from .conftest import FIXTURES

BASE = (FIXTURES / "mini" / "framework.ttl").read_text(encoding="utf-8")
PREFIXES = "".join(line + "\n" for line in BASE.splitlines() if line.startswith("@prefix"))
RGSH = "https://w3id.org/rolegraph/shapes#"


def _report(tmp_path: Path, replace: tuple[str, str] | None = None, add: str = "", batch: int | None = None):
    text = BASE
    if replace:
        assert replace[0] in text, f"fixture no longer contains {replace[0]!r}"
        text = text.replace(replace[0], replace[1])
    (tmp_path / "framework.ttl").write_text(text + "\n" + add, encoding="utf-8")
    return validate(RoleGraph.load([tmp_path]), batch=batch)


def test_fixture_conforms_with_no_results(tmp_path):
    report = _report(tmp_path)
    assert report.conforms
    assert report.results == []


# (case id, replacement or None, extra Turtle, shape expected to fire, focus node it names)
VIOLATIONS = [
    ("no-preflabel", ('skos:prefLabel "Testing"@en ;\n    dcterms:description', "dcterms:description"), "",
     "PrefLabelShape", "skill/testing"),
    ("two-english-preflabels", None, 'skill:testing skos:prefLabel "Testing again"@en .',
     "PrefLabelShape", "skill/testing"),
    ("preflabel-without-language", ('skos:prefLabel "Testing"@en .', 'skos:prefLabel "Testing" .'), "",
     "PrefLabelShape", "family/testing"),
    ("role-without-family", ("    rg:family family:testing ;\n    dcterms:description", "    dcterms:description"),
     "", "RoleShape", "role/tester"),
    ("role-in-two-families", None,
     'family:other a rg:JobFamily ; skos:prefLabel "Other"@en .\nrole:tester rg:family family:other .',
     "RoleShape", "role/tester"),
    ("family-not-a-family", None, 'role:tester rg:family skill:testing .', "RoleShape", "role/tester"),
    ("level-in-no-role", ("    rg:ofRole role:tester ;\n    rg:order 2 ;", "    rg:order 2 ;"), "",
     "RoleLevelShape", "level/senior-tester"),
    ("level-in-two-roles", None, "level:senior-tester rg:ofRole role:chief-tester .",
     "RoleLevelShape", "level/senior-tester"),
    ("order-not-unique", ("rg:order 2 ;", "rg:order 1 ;"), "", "RoleShape", "role/tester"),
    ("order-missing", ("    rg:order 2 ;\n", ""), "", "RoleLevelShape", "level/senior-tester"),
    ("requirement-without-skill",
     ("req:senior-tester--testing a rg:SkillRequirement ; rg:skill skill:testing ;",
      "req:senior-tester--testing a rg:SkillRequirement ;"), "",
     "SkillRequirementShape", "requirement/senior-tester--testing"),
    ("requirement-skill-not-a-skill", None, "req:senior-tester--testing rg:skill role:tester .",
     "SkillRequirementShape", "requirement/senior-tester--testing"),
    ("level-requirement-without-level",
     ("rg:skill skill:testing ; rg:level slevel:working .", "rg:skill skill:testing ."), "",
     "RoleLevelShape", "level/junior-tester"),
    ("level-requirement-with-two-levels", None, "req:junior-tester--testing rg:level slevel:expert .",
     "SkillRequirementShape", "requirement/junior-tester--testing"),
    ("level-not-a-skill-level", None, "req:chief-tester--testing rg:level grade:g7 .",
     "SkillRequirementShape", "requirement/chief-tester--testing"),
    ("scs-requirement-with-level", None, "req:chief-tester--testing rg:level slevel:expert .",
     "SeniorCivilServiceRoleShape", "role/chief-tester"),
    ("duplicate-level-skill-requirement", None,
     "level:junior-tester rg:requires req:junior-tester--testing-again .\n"
     "req:junior-tester--testing-again a rg:SkillRequirement ; rg:skill skill:testing ; rg:level slevel:expert .",
     "NoDuplicateRequirementShape", "level/junior-tester"),
    ("requirement-shared-by-two-owners", None, "level:senior-tester rg:requires req:junior-tester--testing .",
     "SkillRequirementShape", "requirement/junior-tester--testing"),
    ("grade-not-from-scheme", None,
     '<https://example.org/grade/band-b> a rg:Grade ; skos:prefLabel "Band B"@en ; skos:notation "B" ; '
     'rg:rank 3 ; skos:inScheme <https://example.org/other-grades> .\n'
     "level:senior-tester rg:grade <https://example.org/grade/band-b> .",
     "RoleLevelShape", "level/senior-tester"),
    ("grade-not-a-grade", None, "level:senior-tester rg:grade slevel:expert .", "RoleLevelShape",
     "level/senior-tester"),
    ("role-without-official-page", ("    dcterms:source <https://example.org/role/tester> .",
                                    '    skos:note "no page"@en .'), "",
     "OfficialPageShape", "role/tester"),
    ("skill-page-not-an-iri", ("dcterms:source <https://example.org/skills#testing> ;",
                               'dcterms:source "https://example.org/skills#testing" ;'), "",
     "OfficialPageShape", "skill/testing"),
    ("scs-role-without-profession", ("    rg:profession prof:government-digital-and-data ;\n", ""), "",
     "SeniorCivilServiceRoleShape", "role/chief-tester"),
    ("scs-role-with-non-scs-grade", ("rg:grade grade:scs-1 ;", "rg:grade grade:g6 ;"), "",
     "SeniorCivilServiceRoleShape", "role/chief-tester"),
    ("scs-role-with-levels", None, "level:senior-tester rg:ofRole role:chief-tester .",
     "SeniorCivilServiceRoleShape", "role/chief-tester"),
    ("release-without-licence",
     ("    dcterms:license <http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/> ;\n", ""),
     "", "ReleaseShape", "release/test"),
]


@pytest.mark.parametrize("batch", [None, 2], ids=["whole-graph", "shape-by-shape"])
@pytest.mark.parametrize("case,replace,add,shape,focus", VIOLATIONS, ids=[v[0] for v in VIOLATIONS])
def test_shape_catches_defect(tmp_path, case, replace, add, shape, focus, batch):
    """Both ways of running core constraints (one pyshacl call on the whole graph, or shape by shape on
    extracted subgraphs, 2 focus nodes at a time) catch every defect."""
    report = _report(tmp_path, replace, add, batch)
    assert not report.conforms, f"{case}: the defect was not caught"
    hits = [r for r in report.results if r.shape == RGSH + shape and r.focus.endswith(focus)]
    assert hits, f"{case}: expected {shape} on {focus}, got " + "; ".join(
        f"{r.shape_label} on {r.focus}: {r.message}" for r in report.results)
    assert all(r.severity == "Violation" for r in hits)


def test_level_drop_is_a_warning_not_a_violation(tmp_path):
    # the skill must define the lower level too, or the requirement is a violation (DefinedSkillLevelShape)
    report = _report(tmp_path, ("rg:level slevel:practitioner", "rg:level slevel:awareness"),
                     "skill:testing rg:levelDefined slevel:awareness .")
    assert report.conforms
    warnings = [r for r in report.results if r.shape == RGSH + "SkillLevelDropWarningShape"]
    assert [(w.severity, w.focus_label) for w in warnings] == [("Warning", "Senior tester")]
    assert "Testing" in warnings[0].message


def test_grade_order_disagreement_is_a_warning(tmp_path):
    report = _report(tmp_path, ("rg:grade grade:eo ;", "rg:grade grade:g7 ;"))
    assert report.conforms
    warnings = [r for r in report.results if r.shape == RGSH + "GradeOrderWarningShape"]
    assert [(w.severity, w.focus_label) for w in warnings] == [("Warning", "Senior tester")]
    assert "Junior tester" in warnings[0].message


def test_split_engine_agrees_with_plain_pyshacl(tmp_path):
    """The fast path (SPARQL constraints on the backend) finds what pyshacl alone finds."""
    text = BASE.replace("rg:order 2 ;", "rg:order 1 ;").replace("rg:grade grade:eo ;", "rg:grade grade:g7 ;")
    (tmp_path / "framework.ttl").write_text(
        text + "\nlevel:junior-tester rg:requires req:junior-tester--testing-again .\n"
        "req:junior-tester--testing-again a rg:SkillRequirement ; rg:skill skill:testing ; rg:level slevel:expert .\n",
        encoding="utf-8")
    g = RoleGraph.load([tmp_path])
    split = validate(g)
    plain = validate(g, engine="pyshacl")

    def key(report):
        return sorted((r.severity, r.shape, r.focus) for r in report.results)

    assert key(split) == key(plain)
    assert {r.shape.rsplit("#", 1)[1] for r in split.results} >= {"RoleShape", "NoDuplicateRequirementShape"}


def test_shape_by_shape_agrees_with_whole_graph_on_the_bundled_data(graph):
    whole, by_shape = validate(graph), validate(graph, batch=40)

    def key(report):
        return sorted((r.severity, r.shape, r.focus, r.message) for r in report.results)

    assert key(whole) == key(by_shape)
