"""``/assess``: rate your skills in the browser and see fit, gaps, readiness and a plan -- posted, never stored.

The page works without JavaScript. Every step is a POST (``application/x-www-form-urlencoded``, or
``multipart/form-data`` to upload a profile file), so no rating ever appears in an address, a server log line
or a browser's history; the server reads the body into memory, answers, and forgets it: nothing is written to
disk, cached or logged. Downloading the profile is a POST too (the ratings travel in the page's own form).

Steps: pick a role level (or start blank: type or paste ``skill,level`` lines, or upload a profile file), rate
the skills with each level's meaning beside its control, then see the assessment with the form still filled in.
"""
from __future__ import annotations

import email.parser
import email.policy
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from .. import templating
from ..errors import RolegraphError
from ..people import assess, profiles, render

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import RoleGraph

#: the largest body /assess reads (a profile file's limit plus room for the form around it)
MAX_BODY = profiles.MAX_BYTES + 200_000
#: the most form fields read from one body
MAX_FIELDS = 3 * profiles.MAX_RATINGS
FILE_FORMATS = ("csv", "json", "ttl")
MEDIA = {"csv": "text/csv", "json": "application/json", "ttl": "text/turtle"}


class FormError(Exception):
    """A body that is not a form this page sent (too large, an unknown encoding): a 400/413 answer."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def parse_form(content_type: str, body: bytes) -> tuple[list[tuple[str, str]], bytes | None, str | None]:
    """(fields, uploaded file bytes, its name) from a POST body; FormError when it cannot be read."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if len(body) > MAX_BODY:
        raise FormError(413, "The form is too large.")
    if kind == "application/x-www-form-urlencoded":
        try:
            text = body.decode("utf-8")
            return parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS, strict_parsing=False), None, None
        except (UnicodeDecodeError, ValueError):
            raise FormError(400, "The form could not be read.") from None
    if kind == "multipart/form-data":
        head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        if not msg.is_multipart():
            raise FormError(400, "The form could not be read.")
        fields: list[tuple[str, str]] = []
        upload: bytes | None = None
        upload_name: str | None = None
        for part in msg.iter_parts():
            if len(fields) > MAX_FIELDS:
                raise FormError(413, "The form has too many fields.")
            name = part.get_param("name", header="content-disposition")
            filename = part.get_filename()
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
            if filename is not None:
                if data:
                    upload, upload_name = data, str(filename).replace("\\", "/").rsplit("/", 1)[-1] or "profile"
                continue
            if name:
                try:
                    fields.append((str(name), data.decode("utf-8")))
                except UnicodeDecodeError:
                    raise FormError(400, "The form could not be read.") from None
        return fields, upload, upload_name
    raise FormError(415, "Send the form as the page does (application/x-www-form-urlencoded or multipart/form-data).")


class AssessPage:
    """The /assess page over one graph: ``render(fields, upload, name)`` -> ``(status, media type, body, file)``."""

    def __init__(self, graph: "RoleGraph", site: dict):
        self.g = graph
        self.site = site

    def _levels(self) -> list[str]:
        n = profiles.names(self.g)
        return sorted(n.level_labels.values(), key=str.casefold)

    def _grades(self) -> list[str]:
        n = profiles.names(self.g)
        return [v[2] for v in sorted({v for v in n.grades.values()}, key=lambda v: v[1])]

    def _page(self, status: int, **context: Any) -> tuple[int, str, str, str | None]:
        n = profiles.names(self.g)
        meanings = [(i, profiles.SCALE[i], profiles.NOT_YET_MEANING if i == 0 else n.meanings.get(i, ""))
                    for i in range(len(profiles.SCALE))]
        context.setdefault("errors", [])
        context.setdefault("result", None)
        context.setdefault("rows", [])
        context.setdefault("form", {"level": "", "grade": "", "text": ""})
        html = templating.get_template("explorer/assess.html.j2").render(
            site=self.site, title="Assess your skills", generated=None, levels=self._levels(),
            grades=self._grades(), meanings=meanings, **context)
        return status, "text/html", html, None

    def render(self, fields: list[tuple[str, str]] | None = None, upload: bytes | None = None,
               upload_name: str | None = None) -> tuple[int, str, str, str | None]:
        """The page for a GET (*fields* None) or a POST; a download answers with its media type and file name."""
        if fields is None:
            return self._page(200)
        f = dict(fields)
        form = {"level": f.get("level", "").strip()[:200], "grade": f.get("grade", "").strip()[:20],
                "text": f.get("text", "")[:profiles.MAX_BYTES]}
        errors: list[dict] = []
        prof = None
        reader_levels: dict[str, str] = {}
        evidence: dict[str, str] = {}
        for key, value in fields:
            if key.startswith("r.") and value.strip():
                reader_levels[key[2:]] = value
            elif key.startswith("e.") and value.strip():
                evidence[key[2:]] = value
        try:
            if upload is not None:
                prof = profiles.parse_profile(self.g, upload, upload_name or "profile")
                form["level"] = form["level"] or (prof.role_level_label or "")
                form["grade"] = form["grade"] or (prof.grade_label or "")
            else:
                extra = profiles.parse_profile(self.g, form["text"].encode(), "typed ratings", "csv") \
                    if form["text"].strip() else None
                levels = dict(reader_levels)
                if extra is not None:
                    for r in extra.ratings.values():
                        levels.setdefault(r.skill, str(r.level))
                        if r.evidence:
                            evidence.setdefault(r.skill, r.evidence)
                if levels and f.get("step") != "pick":
                    prof = profiles.profile_from_levels(self.g, levels, form["grade"] or None, form["level"] or None,
                                                        evidence, where="your ratings")
                else:
                    reader = profiles._Reader(self.g, "your choice")
                    reader.set_role_level(None, form["level"])
                    reader.set_grade(None, form["grade"])
        except RolegraphError as exc:
            errors.append({"field": "level" if "role level" in str(exc) else "grade" if "grade" in str(exc)
                           else "text", "message": str(exc)[:1].upper() + str(exc)[1:], "suggestions": []})
        rows = self._rows(form["level"], prof, reader_levels, evidence)
        if errors:
            return self._page(400, form=form, errors=errors, rows=rows)
        download = f.get("download")
        if prof is not None and download in FILE_FORMATS:
            return 200, MEDIA[download], profiles.write_profile(prof, download), f"profile.{download}"
        result = assess.assess(self.g, prof).to_dict() if prof is not None else None
        return self._page(200, form=form, rows=rows, result=result)

    def _rows(self, level: str, prof: "profiles.Profile | None", given: dict[str, str],
              evidence: dict[str, str]) -> list[dict]:
        """The skills to rate: the chosen level's requirements, then any other skill rated."""
        from ..careers.model import career_model

        n = profiles.names(self.g)
        m = career_model(self.g)
        iri = n.levels.get(profiles._norm(level)) if level else None
        rows: dict[str, dict] = {}
        if iri in m.index:
            for s, d in sorted(m.B.adj[iri].items(), key=lambda kv: m.B.nodes[kv[0]]["label"].casefold()):
                rows[s] = {"iri": s, "label": m.B.nodes[s]["label"], "required": d["level"], "held": 0,
                           "evidence": ""}
        if prof is not None:
            for r in prof.ratings.values():
                row = rows.setdefault(r.skill, {"iri": r.skill, "label": r.label, "required": None, "held": 0,
                                                "evidence": ""})
                row["held"], row["evidence"] = r.level, r.evidence or ""
        for i, row in enumerate(rows.values()):
            row["id"] = f"s{i}"
            row["key"] = row["iri"].rsplit("/", 1)[-1]
            if prof is None:
                got = given.get(row["key"]) or given.get(row["iri"])
                row["held"] = int(got) if got in ("0", "1", "2", "3", "4") else 0
                row["evidence"] = evidence.get(row["key"], "")
        return list(rows.values())


def routes(graph: "RoleGraph", site: dict, lock) -> list:
    """The Starlette route of ``/assess`` (GET: the empty form; POST: every step)."""
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, PlainTextResponse, Response
    from starlette.routing import Route

    from ..headers import page_headers

    page = AssessPage(graph, site)

    def run(fields, upload, name):
        with lock:
            return page.render(fields, upload, name)

    async def endpoint(request: Request) -> Response:
        if request.method in ("GET", "HEAD"):
            status, _, body, _ = await run_in_threadpool(run, None, None, None)
            return HTMLResponse(body, status_code=status, headers=_private(page_headers()))
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY:
                return PlainTextResponse("The form is too large.", status_code=413, headers=_private(page_headers()))
            chunks.append(chunk)
        try:
            fields, upload, name = parse_form(request.headers.get("content-type", ""), b"".join(chunks))
        except FormError as exc:
            return PlainTextResponse(str(exc), status_code=exc.status, headers=_private(page_headers()))
        status, media, body, filename = await run_in_threadpool(run, fields, upload, name)
        if filename:
            return Response(body, media_type=f"{media}; charset=utf-8", headers=_private(
                {"Content-Disposition": f'attachment; filename="{filename}"', **page_headers()}))
        return HTMLResponse(body, status_code=status, headers=_private(page_headers()))

    return [Route("/assess", endpoint, methods=["GET", "HEAD", "POST"])]


def _private(headers: dict[str, str]) -> dict[str, str]:
    """A personal answer: never kept by a cache on the way or in the browser."""
    return {**headers, "Cache-Control": "no-store"}


__all__ = ["routes", "AssessPage", "parse_form", "render"]
