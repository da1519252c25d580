"""The shapes graph: which node shape a property shape belongs to, readable names, and focus nodes.

Blank property shapes get a stable name for reports (``_:RoleShape-grade``, the
node shape and the path), so a result's ``source_shape`` is the same in every run
and names the property shape the constraint sits on, as SHACL's
``sh:sourceShape`` does.
"""
from __future__ import annotations

from pathlib import Path

from .. import namespaces as ns


class Shapes:
    """A parsed SHACL shapes graph and what validation needs to know about it."""

    def __init__(self, path: Path | list[Path]):
        from rdflib import BNode, Graph, URIRef

        from ..safe_io import read_rdf

        self.graph = Graph()
        for p in [path] if isinstance(path, (str, Path)) else path:   # several files: one shapes graph
            self.graph.parse(data=read_rdf(Path(p)), format="turtle", publicID=Path(p).resolve().as_uri())
        g = self.graph
        self.term = lambda k: URIRef(ns.SH + k)  # sh:k as an rdflib term
        self.sparql = [(s, c) for s, c in g.subject_objects(self.term("sparql"))]
        self.core = Graph()
        for t in g:
            if t[1] != self.term("sparql"):
                self.core.add(t)
        self._parent = {p: s for s, p in g.subject_objects(self.term("property"))}
        self._ids: dict = {}
        def key(kv):
            return str(kv[1]), self.path_text(kv[0]) or "", sorted(
                f"{p} {o}" for p, o in g.predicate_objects(kv[0]) if not isinstance(o, BNode))

        for prop, parent in sorted(self._parent.items(), key=key):
            if isinstance(prop, BNode):
                base = f"_:{self.local(parent)}-{self.local((self.path_text(prop) or 'path').lstrip('^'))}"
                name, n = base, 2
                while name in self._ids.values():
                    name, n = f"{base}-{n}", n + 1
                self._ids[prop] = name

    @staticmethod
    def local(term) -> str:
        return str(term).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def path_text(self, shape) -> str | None:
        """*shape*'s ``sh:path`` as an IRI, or ``^IRI`` for an inverse path."""
        return path_text(self.graph, self.graph.value(shape, self.term("path")))

    def node_shape(self, shape):
        """The named node shape a (possibly blank) property shape belongs to."""
        seen = set()
        while shape in self._parent and shape not in seen:
            seen.add(shape)
            shape = self._parent[shape]
        return shape

    def source_id(self, shape) -> str:
        """A stable name for *shape*: its IRI, or ``_:NodeShape-path`` for a blank property shape."""
        from rdflib import BNode

        if isinstance(shape, BNode):
            return self._ids.get(shape, "_:" + str(shape))
        return str(shape)

    def label(self, shape) -> str:
        from rdflib import URIRef

        label = self.graph.value(shape, URIRef(ns.RDFS + "label"))
        return str(label) if label is not None else self.local(shape)

    def value(self, subject, key: str):
        return self.graph.value(subject, self.term(key))

    def targets(self, select, shape) -> set[str]:
        """The focus nodes of *shape* (targetClass with subclasses, targetNode, targetSubjectsOf, targetObjectsOf).

        *select* runs a SPARQL query with IRI bindings (``RoleGraph.select``).
        """
        g = self.graph
        found: set[str] = set()
        for cls in g.objects(shape, self.term("targetClass")):
            found |= {r["n"] for r in select("SELECT DISTINCT ?n WHERE { ?n a/rdfs:subClassOf* ?c }", c=str(cls))}
        for node in g.objects(shape, self.term("targetNode")):
            found.add(str(node))
        for p in g.objects(shape, self.term("targetSubjectsOf")):
            found |= {r["n"] for r in select("SELECT DISTINCT ?n WHERE { ?n ?p ?o }", p=str(p))}
        for p in g.objects(shape, self.term("targetObjectsOf")):
            found |= {r["n"] for r in select("SELECT DISTINCT ?n WHERE { ?s ?p ?n }", p=str(p))}
        return found


def path_text(graph, path) -> str | None:
    """A ``sh:path`` / ``sh:resultPath`` node as an IRI, or ``^IRI`` for an inverse path (None otherwise)."""
    from rdflib import BNode, URIRef

    if isinstance(path, URIRef):
        return str(path)
    if isinstance(path, BNode):
        inner = graph.value(path, URIRef(ns.SH + "inversePath"))
        if isinstance(inner, URIRef):
            return "^" + str(inner)
    return None
