"""Job descriptions and interview scoring sheets for a role level (or a Senior Civil Service role).

:func:`job_description` reads the framework's facts about one position: its title, role, job family, grades, the
role's summary and every skill it requires with the level required and what that level means. The level meanings
are the framework's words where the data carries them (a skill level whose ``rg:descriptionKind`` is
``rg:OfficialText``), else rolegraph's own definitions, and each says which (``meaning_by``).

The same :class:`JobDescription` renders as Markdown or HTML (:func:`render`, templates ``job.md.j2`` and
``job.html.j2``), as schema.org ``JobPosting`` JSON-LD (:func:`job_posting`: ``skills`` as ``DefinedTerm``, the role as
``occupationalCategory``, the role level as ``relevantOccupation``) and as a CSV interview scoring sheet
(:func:`scoring_sheet`: one row per skill, with the level expected, what it means, room for evidence and a score on
the Civil Service Success Profiles' 1 to 7 scale).

``hiringOrganization`` and ``datePosted`` are facts of a vacancy, not of the framework: the posting carries them
only when the caller gives them (``organisation=``, ``date_posted=``), so nothing is invented; without them the
JSON-LD is a valid schema.org ``JobPosting`` that describes the job, not yet an advertised vacancy.

>>> from rolegraph.graph import RoleGraph
>>> jd = job_description(RoleGraph.load(), "Senior data engineer")
>>> jd.title, jd.role, jd.family, jd.grades
('Senior data engineer', 'Data engineer', 'Data', ['SEO', 'G7'])
>>> job_posting(jd)["skills"][0]["@type"]
'DefinedTerm'
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass, field

from . import namespaces as ns
from .graph import RoleGraph

FORMATS = ("md", "html", "jsonld")
#: the Civil Service Success Profiles' scale for scoring evidence at interview
SCORE_SCALE = (
    (1, "Insufficient evidence"),
    (2, "Limited evidence"),
    (3, "Moderate evidence"),
    (4, "Acceptable standard"),
    (5, "Good standard"),
    (6, "Strong standard"),
    (7, "Outstanding standard"),
)
SHEET_COLUMNS = ("skill", "level expected", "what the level means", "evidence", "score (1-7)")


@dataclass(frozen=True)
class Requirement:
    """One skill a position requires: the skill, the level (None for Senior Civil Service roles, whose
    requirements name none) and what the level means, with who wrote that meaning (``framework`` or ``rolegraph``)."""

    skill: str
    skill_iri: str
    skill_description: str | None
    skill_page: str | None
    level: str | None
    level_rank: int | None
    meaning: str | None
    meaning_by: str | None


@dataclass(frozen=True)
class JobDescription:
    """A job description of one position, from the framework's facts (see the module's description)."""

    title: str
    iri: str
    kind: str  # "level" or "scs"
    role: str
    role_iri: str
    family: str | None
    grades: list[str]
    grade_names: list[str]
    summary: str | None
    summary_by: str | None  # "framework" or "rolegraph"
    official_page: str | None
    order: int | None
    ladder: int | None
    requirements: list[Requirement]
    release: dict
    notes: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.iri.rstrip("/").rsplit("/", 1)[-1]

    def to_dict(self) -> dict:
        return asdict(self)


def job_description(g: RoleGraph, name: str) -> JobDescription:
    """The job description of the position *name* (a role level or Senior Civil Service role; names resolve as
    for ``path``: labels, slugs, IRIs, former names, and "did you mean" suggestions, with acronyms such as CISO,
    for unknown ones)."""
    from .careers import resolve_position

    pos = resolve_position(g, name)
    iri = pos["iri"]
    head = g.select("""
        SELECT ?role ?roleName ?family ?order ?scs ?desc ?kind ?source WHERE {
            { ?pos rg:ofRole ?role . ?pos rg:order ?order }
            UNION { ?pos a rg:SeniorCivilServiceRole BIND (?pos AS ?role) }
            ?role skos:prefLabel ?roleName .
            OPTIONAL { ?role rg:family/skos:prefLabel ?family }
            OPTIONAL { ?role dcterms:description ?desc } OPTIONAL { ?role rg:descriptionKind ?kind }
            OPTIONAL { ?role dcterms:source ?source }
            BIND (EXISTS { ?pos a rg:SeniorCivilServiceRole } AS ?scs)
        } LIMIT 1""", pos=iri)[0]
    ladder = None
    if head["order"] is not None:
        ladder = int(g.select("SELECT (COUNT(?l) AS ?n) WHERE { ?l rg:ofRole ?role }", role=head["role"])[0]["n"])
    grade_rows = g.select("""SELECT ?n ?name WHERE { ?pos rg:grade ?g . ?g skos:notation ?n ; rg:rank ?rank .
                             OPTIONAL { ?g skos:prefLabel ?name } } ORDER BY ?rank""", pos=iri)
    rows = g.select("""
        SELECT ?skill ?skillName ?sdesc ?spage ?level ?rank ?meaning ?mkind WHERE {
            ?pos rg:requires ?q . ?q rg:skill ?skill . ?skill skos:prefLabel ?skillName .
            OPTIONAL { ?skill dcterms:description ?sdesc } OPTIONAL { ?skill dcterms:source ?spage }
            OPTIONAL { ?q rg:level ?l . ?l skos:notation ?level ; rg:rank ?rank .
                       OPTIONAL { ?l skos:definition ?meaning } OPTIONAL { ?l rg:descriptionKind ?mkind } }
        }""", pos=iri)
    reqs = [Requirement(skill=str(r["skillName"]), skill_iri=r["skill"], skill_description=r["sdesc"],
                        skill_page=r["spage"], level=r["level"], level_rank=int(r["rank"]) if r["rank"] else None,
                        meaning=r["meaning"],
                        meaning_by=None if r["meaning"] is None else
                        "framework" if r["mkind"] == ns.RG + "OfficialText" else "rolegraph") for r in rows]
    reqs.sort(key=lambda q: (-(q.level_rank or 0), q.skill.casefold()))
    from .reports import _release

    rel = {k: (str(v) if v is not None else None) for k, v in _release(g).items()}
    return JobDescription(
        title=pos["label"], iri=iri, kind="scs" if head["scs"] else "level", role=str(head["roleName"]),
        role_iri=head["role"], family=head["family"], grades=[str(r["n"]) for r in grade_rows],
        grade_names=[str(r["name"] or r["n"]) for r in grade_rows], summary=head["desc"],
        summary_by=None if head["desc"] is None else
        "framework" if head["kind"] == ns.RG + "OfficialText" else "rolegraph",
        official_page=head["source"], order=int(head["order"]) if head["order"] is not None else None,
        ladder=ladder, requirements=reqs, release=rel, notes=[pos["note"]] if pos["note"] else [])


def _description_text(jd: JobDescription) -> str:
    """The posting's ``description``: the summary, the grades and the skills, as plain text."""
    parts = []
    if jd.summary:
        parts.append(jd.summary)
    place = (f"Level {jd.order} of {jd.ladder} of the {jd.role} role" if jd.order else
             "A Senior Civil Service role") + (f", in the {jd.family} job family." if jd.family else ".")
    parts.append(place)
    if jd.grades:
        parts.append("Usually performed at " + ", ".join(jd.grades) + " (indicative grades from the framework).")
    if jd.requirements:
        parts.append("Skills required: " + "; ".join(
            q.skill + (f" ({q.level})" if q.level else "") for q in jd.requirements) + ".")
    return " ".join(parts)


def job_posting(jd: JobDescription, organisation: str | None = None, date_posted: str | None = None) -> dict:
    """*jd* as schema.org ``JobPosting`` JSON-LD (a dict). *organisation* (``hiringOrganization``'s name) and
    *date_posted* (``datePosted``, YYYY-MM-DD) are the vacancy's, given by the caller; without them they are left
    out. A bad date raises :class:`~rolegraph.errors.RolegraphError`."""
    from .errors import RolegraphError, shown
    from .skills_formats import SKILL_SET

    framework = jd.release.get("label") or "the framework"
    posting: dict = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": jd.title,
        "description": _description_text(jd),
        "occupationalCategory": {"@type": "CategoryCode", "@id": jd.role_iri, "name": jd.role,
                                 "codeValue": jd.role_iri.rsplit("/", 1)[-1],
                                 "inCodeSet": {"@type": "CategoryCodeSet", "@id": ns.DDAT + "roles",
                                               "name": f"Roles of the {framework}"}},
        "relevantOccupation": {"@type": "Occupation", "@id": jd.iri, "name": jd.title},
        "skills": [_skill_term(q, SKILL_SET) for q in jd.requirements],
    }
    if jd.grades:
        posting["relevantOccupation"]["qualifications"] = "Grades: " + ", ".join(jd.grades)
    if jd.official_page:
        posting["relevantOccupation"]["url"] = jd.official_page
    if organisation is not None:
        if not organisation.strip():
            raise RolegraphError("--organisation is empty: give the hiring organisation's name")
        posting["hiringOrganization"] = {"@type": "Organization", "name": organisation.strip()}
    if date_posted is not None:
        try:
            posting["datePosted"] = _dt.date.fromisoformat(date_posted.strip()).isoformat()
        except ValueError:
            raise RolegraphError(f'--date-posted "{shown(date_posted)}" is not a date (give YYYY-MM-DD)') from None
    return posting


def _skill_term(q: Requirement, skill_set: str) -> dict:
    term: dict = {"@type": "DefinedTerm", "name": q.skill, "termCode": q.skill_iri.rsplit("/", 1)[-1],
                  "inDefinedTermSet": {"@id": skill_set}}
    if q.level:
        term["description"] = f"{q.level.capitalize()} level" + (f": {q.meaning}" if q.meaning else "")
    elif q.skill_description:
        term["description"] = q.skill_description
    if q.skill_page:
        term["url"] = q.skill_page
    return term


def scoring_sheet(jd: JobDescription) -> str:
    """An interview scoring sheet for *jd* as CSV: one row per skill with the level expected and what it means, and
    empty ``evidence`` and ``score (1-7)`` cells for the panel. Every cell is spreadsheet-safe (a value that starts
    like a formula gets a leading ``'``)."""
    from .output import to_csv

    rows = [{"skill": q.skill, "level expected": q.level or "no level stated",
             "what the level means": q.meaning or "", "evidence": "", "score (1-7)": ""} for q in jd.requirements]
    return to_csv(rows, SHEET_COLUMNS)


def render(jd: JobDescription, fmt: str = "md", site: dict | None = None, organisation: str | None = None,
           date_posted: str | None = None) -> str:
    """*jd* as ``md`` (CommonMark), ``html`` (one self-contained page; with *site*, an explorer page) or
    ``jsonld`` (:func:`job_posting`)."""
    import json

    if fmt == "jsonld":
        return json.dumps(job_posting(jd, organisation, date_posted), indent=2, ensure_ascii=False) + "\n"
    from . import templating
    from .reports import report_csp, stylesheet

    posting = job_posting(jd, organisation, date_posted)   # checks the options the same way for every format
    context = dict(jd=jd, title=f"Job description: {jd.title}", scale=SCORE_SCALE, posting=posting,
                   organisation=posting.get("hiringOrganization", {}).get("name"),
                   date_posted=posting.get("datePosted"))
    if fmt == "html":
        from markupsafe import Markup

        css = Markup(stylesheet()) if not site else ""
        return templating.get_template("job.html.j2").render(site=site, css=css, csp=report_csp() if css else None,
                                                            **context)
    return templating.get_template("job.md.j2").render(**context)
