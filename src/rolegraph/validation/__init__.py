"""Validate a RoleGraph against the SHACL shapes in ``ontology/shapes.ttl`` (and ``crosswalk-shapes.ttl``).

One job per module: :mod:`.report` (the result model and the SHACL report
graph), :mod:`.source` (the data as written), :mod:`.shapes` (reading the
shapes graph), :mod:`.screen` (which focus nodes could fail a core shape),
:mod:`.core` (core constraints in pyshacl), :mod:`.extract`
(large graphs shape by shape), :mod:`.sparql` (SHACL-SPARQL constraints on the
store), :mod:`.vocabulary` (the closed ``rg:`` vocabulary). :func:`validate`
puts them together.

>>> from rolegraph.graph import RoleGraph
>>> report = validate(RoleGraph.load())
>>> report.conforms, report.shacl_conforms, report.count("Warning") > 0
(True, False, True)
"""
from __future__ import annotations

from pathlib import Path

from .. import namespaces as ns
from ..resources import shapes_files
from . import screen, vocabulary
from .core import results_from, run_pyshacl
from .extract import core_by_shape
from .labels import Labels
from .report import SEVERITIES, Report, Result, Term
from .shapes import Shapes
from .source import written_graph
from .sparql import run_constraint

#: from this many triples on, core constraints are checked shape by shape on small extracted graphs
CHUNK_MIN_TRIPLES = 200_000
#: focus nodes per pyshacl call when checking shape by shape
FOCUS_BATCH = 10_000


def validate(g, shapes: Path | list[Path] | None = None, engine: str = "split", batch: int | None = None) -> Report:
    """Validate the files of RoleGraph *g* against *shapes* (default: the bundled shapes).

    Literals are checked as written in the files (see :mod:`.source`), whichever
    store serves *g*'s queries. *engine* ``"split"`` (default) runs core
    constraints in pyshacl and SHACL-SPARQL constraints on *g*'s store, once per
    constraint; ``"pyshacl"`` runs everything in pyshacl, as the reference.
    Before pyshacl, :mod:`.screen` clears the focus nodes that surely conform
    (set-oriented reads of the store); when it clears them all, pyshacl is not
    run. Otherwise pyshacl checks the suspects only, shape by shape, on the
    triples each shape reads from them (so a defect costs what it reaches); on a
    small graph whose results name a blank node, the whole graph goes to pyshacl
    instead (blank nodes keep the names they have in the files). When the screen
    cannot decide, a small graph goes to pyshacl whole, a large one shape by shape.
    Core constraints on a large graph (:data:`CHUNK_MIN_TRIPLES` triples, or
    whenever *batch* is given) are checked shape by shape on extracted
    subgraphs, :data:`FOCUS_BATCH` (or *batch*) focus nodes at a time (see
    :mod:`.extract`).
    """
    from rdflib import URIRef

    sh = Shapes(shapes or shapes_files())
    files = list(g.files)
    data = None
    focus: dict = {}
    select = screen.node_select(g)

    def targets(shape) -> set[str]:  # each shape's focus nodes, found once for the screen and SPARQL
        if shape not in focus:
            focus[shape] = sh.targets(select, shape)
        return focus[shape]

    reports: list | None
    if engine == "pyshacl":
        data = written_graph(files)
        reports = [run_pyshacl(data, sh.graph)]
    else:
        written = screen.written_typed(files)
        suspect = screen.suspects(g, sh, files, targets, written)
        reports = None
        if suspect is not None and not any(suspect.values()):
            reports = []  # every focus node surely conforms to every core shape: nothing for pyshacl to report
        elif suspect is not None:
            # only the suspects, each against its shape, on what that shape reads from them: a defect costs
            # what it reaches, not the whole graph (issue 26)
            reports = core_by_shape(g.backend, sh, lambda s: suspect.get(s, set()), batch or FOCUS_BATCH,
                                    screen.as_rdflib(written))
            if reports is not None and len(g) < CHUNK_MIN_TRIPLES and _names_blank_nodes(reports):
                reports = None   # a small graph's blank nodes keep the names they have in the files: see below
        elif batch or len(g) >= CHUNK_MIN_TRIPLES:
            reports = core_by_shape(g.backend, sh, targets, batch or FOCUS_BATCH, screen.as_rdflib(written))
        if reports is None:
            data = written_graph(files)
            reports = [run_pyshacl(data, sh.core)]
    names = Labels(g)
    focus_key = URIRef(ns.SH + "focusNode")
    names.fetch(str(n) for report_graph in reports for n in report_graph.objects(None, focus_key))
    label = _labeller(names, data, files)
    results: list[Result] = []
    for report_graph in reports:
        results.extend(results_from(report_graph, sh, label))
    if engine != "pyshacl":
        for shape, constraint in sh.sparql:
            results.extend(run_constraint(g, sh, shape, constraint, targets(shape), names))
    vocabulary.annotate(g, results)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    results.sort(key=lambda r: (order.get(r.severity, 9), r.shape_label.casefold(), r.focus_label.casefold(),
                                r.focus, r.message, r.value.n3() if r.value else ""))
    return Report(results, [str(f) for f in files])


def _names_blank_nodes(reports) -> bool:
    """True when a result of *reports* has a blank focus node or value (named by the store, not the files)."""
    from rdflib import BNode, URIRef

    keys = (URIRef(ns.SH + "focusNode"), URIRef(ns.SH + "value"))
    return any(isinstance(o, BNode) for r in reports for k in keys for o in r.objects(None, k))


def _labeller(names: Labels, data, files):
    """label(term): an IRI's English label (from *names*); for a blank node, where it is and what it is."""
    from rdflib import BNode, URIRef
    from rdflib.namespace import RDF

    def label(term) -> str:
        if isinstance(term, BNode):
            where = str(term).split("-", 1)[0][1:]
            name = Path(files[int(where)]).name if where.isdigit() and int(where) < len(files) else "the data"
            types = sorted(Shapes.local(t) for t in data.objects(term, RDF.type)) if data is not None else []
            return f"blank node in {name}" + (f" (a {', '.join(types)})" if types else "")
        return names(str(term)) if isinstance(term, URIRef) else str(term)

    return label


__all__ = ["validate", "Report", "Result", "Term", "SEVERITIES", "CHUNK_MIN_TRIPLES", "FOCUS_BATCH"]
