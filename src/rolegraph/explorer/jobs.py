"""The explorer's job descriptions: for each role level (and Senior Civil Service role),

* ``/level/<slug>/job-description`` -- the job description as a page (:func:`rolegraph.jobs.render`)
* ``/level/<slug>/job-description.jsonld`` -- the same as schema.org ``JobPosting`` JSON-LD
* ``/level/<slug>/scoring-sheet.csv`` -- the interview scoring sheet, as a download

Names resolve as on the level page; an unknown one gets the explorer's 404 page with suggestions.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .. import jobs
from ..errors import RolegraphError

if TYPE_CHECKING:  # pragma: no cover
    from . import Explorer

#: what each address serves: (format, media type, downloaded as)
KINDS = {"job-description": ("html", "text/html", None),
         "job-description.jsonld": ("jsonld", "application/ld+json", None),
         "scoring-sheet.csv": ("csv", "text/csv", "scoring-sheet-{slug}.csv")}


def page(ex: "Explorer", site: dict, slug: str, kind: str) -> tuple[int, str]:
    """``(status, body)`` of the job-description address *kind* (a key of :data:`KINDS`) for *slug*."""
    try:
        jd = jobs.job_description(ex.g, slug)
    except RolegraphError:
        return ex.not_found(f"/level/{slug}/{kind}", slug)
    fmt = KINDS[kind][0]
    if fmt == "csv":
        return 200, jobs.scoring_sheet(jd)
    return 200, jobs.render(jd, fmt, site=site)


def routes(ex: "Explorer", site: dict) -> list:
    """The Starlette routes of the three addresses above."""
    from starlette.responses import HTMLResponse, Response
    from starlette.routing import Route

    from ..headers import page_headers

    def endpoint_for(kind: str):
        fmt, media, download = KINDS[kind]

        def endpoint(request) -> Response:  # sync: Starlette runs it in its thread pool
            slug = request.path_params["slug"]
            with ex.lock:
                status, body = page(ex, site, slug, kind)
            if status != 200 or fmt == "html":
                return HTMLResponse(body, status_code=status, headers=page_headers())
            headers = page_headers()
            if download:
                headers["Content-Disposition"] = f'attachment; filename="{download.format(slug=jobs_slug(slug))}"'
            return Response(body, media_type=f"{media}; charset=utf-8", headers=headers)
        return endpoint

    return [Route(f"/level/{{slug}}/{kind}", endpoint_for(kind), methods=["GET", "HEAD"]) for kind in KINDS]


def jobs_slug(text: str) -> str:
    """*text* made safe for a file name in a header (a slug)."""
    from ..slugs import slugify

    return slugify(text) or "position"
