"""Every namespace rolegraph uses, in one place.

Plain strings, so importing this module costs nothing; build terms for a
backend with its own term type (``rdflib.URIRef(RG + "Role")``).
"""
from __future__ import annotations

BASE = "https://w3id.org/rolegraph/"

RG = BASE + "ontology#"          # the ontology (classes and properties)
RGSH = BASE + "shapes#"          # the SHACL shapes
RGP = BASE + "people#"           # profiles: a person's ratings of their skills (never in the framework graph)
RGPSH = BASE + "people-shapes#"  # the SHACL shapes of profiles
DDAT = BASE + "ddat/"            # the framework's data
FAMILY = DDAT + "family/"
ROLE = DDAT + "role/"
LEVEL = DDAT + "level/"
SKILL = DDAT + "skill/"
REQUIREMENT = DDAT + "requirement/"
RELEASE = DDAT + "release/"
BRIDGE = DDAT + "bridge/"
SKILL_LEVEL = DDAT + "skill-level/"
GRADE = BASE + "grade/"
PROFESSION = BASE + "profession/"

SKILL_LEVEL_SCHEME = DDAT + "skill-levels"
GRADE_SCHEME = BASE + "grades"
PROFESSION_SCHEME = BASE + "professions"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
ESCO = "http://data.europa.eu/esco/model#"
SH = "http://www.w3.org/ns/shacl#"
VANN = "http://purl.org/vocab/vann/"
SD = "http://www.w3.org/ns/sparql-service-description#"   # the endpoint's service description
VOID = "http://rdfs.org/ns/void#"
FORMATS = "http://www.w3.org/ns/formats/"

#: the name of the one graph ``rolegraph serve`` answers from (FROM <this> selects it; see README)
DATA_GRAPH = BASE + "graph"

#: the Open Government Licence v3.0, under which the framework's own text is published
OGL_V3 = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
#: the framework's official site (role pages are ``role/<slug>/``, skills ``skills#<slug>``)
FRAMEWORK_SITE = "https://understand-digital-data-roles-skills.service.gov.uk/"

#: prefix -> namespace, for SPARQL queries and Turtle output
PREFIXES: dict[str, str] = {
    "rg": RG,
    "rgsh": RGSH,
    "family": FAMILY,
    "role": ROLE,
    "level": LEVEL,
    "skill": SKILL,
    "req": REQUIREMENT,
    "release": RELEASE,
    "bridge": BRIDGE,
    "slevel": SKILL_LEVEL,
    "grade": GRADE,
    "prof": PROFESSION,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "schema": SCHEMA,
    "esco": ESCO,
    "sh": SH,
}


def sparql_prologue(prefixes: dict[str, str] = PREFIXES) -> str:
    """PREFIX declarations for *prefixes*, one per line."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())
