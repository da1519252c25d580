"""A job description as a Word document (``.docx``): the one writer of that format.

Hiring managers' templates and HR systems take Word documents; :func:`to_docx` writes the same facts as
:func:`rolegraph.jobs.render`'s Markdown (title, role, family, grades, summary, each skill with its level and what
the level means, the Success Profiles' scoring scale, where the facts come from) with python-docx, the optional extra
``rolegraph[docx]``. Text goes into the document as text (python-docx escapes it as XML), never as markup, and the
document's created and modified dates are the release's, not the time it was written.

>>> from rolegraph.graph import RoleGraph
>>> from rolegraph.jobs import job_description
>>> data = to_docx(job_description(RoleGraph.load(), "Senior data engineer"))
>>> data[:2]   # a zip package
b'PK'
"""
from __future__ import annotations

import datetime as _dt
import io

from . import namespaces as ns
from .errors import AnalysisError
from .jobs import SCORE_SCALE, JobDescription, job_posting


def _docx():
    try:
        import docx
    except ImportError:
        raise AnalysisError("a Word (.docx) job description needs python-docx",
                            'install it with: pip install "rolegraph[docx]"') from None
    return docx


def _release_date(jd: JobDescription) -> _dt.datetime:
    for key in ("issued", "date", "modified"):
        value = jd.release.get(key)
        if value:
            try:
                return _dt.datetime.fromisoformat(str(value)[:10])
            except ValueError:
                pass
    return _dt.datetime(2000, 1, 1)


def to_docx(jd: JobDescription, organisation: str | None = None, date_posted: str | None = None) -> bytes:
    """*jd* as the bytes of a ``.docx`` file (see the module's description); *organisation* and *date_posted* are
    checked as for the JSON-LD posting and shown when given."""
    posting = job_posting(jd, organisation, date_posted)   # the same checks of the options as every format
    docx = _docx()
    doc = docx.Document()
    props = doc.core_properties
    props.title = f"Job description: {jd.title}"
    props.author = props.last_modified_by = "rolegraph"
    props.created = props.modified = _release_date(jd)
    props.revision = 1
    doc.add_heading(f"Job description: {jd.title}", level=0)
    if jd.summary:
        doc.add_paragraph(jd.summary + (" (rolegraph's own summary, not the framework's text)"
                                        if jd.summary_by == "rolegraph" else ""))
    facts = [("Role", f"Senior Civil Service role {jd.role}" if jd.kind == "scs"
              else f"level {jd.order} of {jd.ladder} of the {jd.role} role")]
    if jd.family:
        facts.append(("Job family", jd.family))
    facts.append(("Grades", "; ".join(f"{n} ({name})" for n, name in zip(jd.grades, jd.grade_names))
                  + "; indicative, as the framework publishes them" if jd.grades else "none published"))
    if posting.get("hiringOrganization"):
        facts.append(("Hiring organisation", posting["hiringOrganization"]["name"]))
    if posting.get("datePosted"):
        facts.append(("Date posted", posting["datePosted"]))
    facts.append(("Official page", jd.official_page or "none"))
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for name, value in facts:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = name, value
    doc.add_heading("Skills and the levels required", level=1)
    if jd.requirements:
        skills = doc.add_table(rows=1, cols=3)
        skills.style = "Table Grid"
        for cell, text in zip(skills.rows[0].cells, ("Skill", "Level required", "What the level means")):
            cell.text = text
        for q in jd.requirements:
            cells = skills.add_row().cells
            cells[0].text = q.skill
            cells[1].text = q.level or "no level stated"
            cells[2].text = (q.meaning or "") + (" (rolegraph's words)" if q.meaning_by == "rolegraph" else "")
    else:
        doc.add_paragraph("The framework lists no skills for this position.")
    doc.add_heading("Scoring at interview", level=1)
    doc.add_paragraph("Score the evidence for each skill on the Civil Service Success Profiles' scale:")
    for n, words in SCORE_SCALE:
        doc.add_paragraph(f"{n}. {words}")
    doc.add_heading("About this description", level=1)
    about = (f"Built by rolegraph from the {jd.release.get('label') or 'framework'}: names, levels, grades and skill "
             f"requirements are the framework's facts, Crown copyright, under the Open Government Licence v3.0 "
             f"({ns.OGL_V3}).")
    if not posting.get("hiringOrganization") or not posting.get("datePosted"):
        about += (" A vacancy's hiring organisation, location, salary and closing date are not framework facts: add "
                  "them before advertising.")
    doc.add_paragraph(about)
    for note in jd.notes:
        doc.add_paragraph(note)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
