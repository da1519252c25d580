"""RoleGraph: the framework as one RDF graph that loads, answers queries, resolves names and validates.

>>> from rolegraph.graph import RoleGraph
>>> g = RoleGraph.load()                       # ontology + bundled data, parsed once
>>> g.resolve("senior data engineer").kind
'level'
>>> g.select("SELECT (COUNT(*) AS ?n) WHERE { ?r a rg:Role }")[0]["n"]
53
"""
from __future__ import annotations

import difflib
import zlib
from collections import deque
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence, TypeVar

from . import namespaces as ns
from .errors import AmbiguousName, UnknownName
from .resources import data_dir, ontology_files
from .slugs import slugify
from .store import Backend, Iri, Lit, Row, Term, expand_paths, make_backend

#: pieces a store folder's name index is kept in (see :meth:`RoleGraph._named`)
NAME_SHARDS = 256
PROLOGUE = ns.sparql_prologue()  # (for query text shown to people; the engines get the prefixes apart)
T = TypeVar("T")

KIND_CLASSES = {
    "role": ns.RG + "Role",
    "level": ns.RG + "RoleLevel",
    "skill": ns.RG + "Skill",
    "family": ns.RG + "JobFamily",
}
KIND_NAMES = {"role": "role", "level": "role level", "skill": "skill", "family": "job family"}


@dataclass(frozen=True)
class Entity:
    """A named node of the graph: its IRI, its kind (role, level, skill, family) and its label."""

    iri: str
    kind: str
    label: str

    @property
    def slug(self) -> str:
        return self.iri.rstrip("/").rsplit("/", 1)[-1]


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class Source:
    """Where a graph comes from, so another process (a ``serve`` worker) can open the same graph:
    data files with an engine, a store folder, or a SPARQL endpoint (and graph). Picklable.

    >>> Source(store="/srv/rolegraph").open  # doctest: +ELLIPSIS
    <bound method Source.open of Source(...)>
    """

    data: tuple[str, ...] = ()
    backend: str = "oxigraph"
    store: str | None = None
    endpoint: str | None = None
    graph: str | None = None
    options: tuple[tuple[str, Any], ...] = ()

    def open(self) -> "RoleGraph":
        if self.store is not None:
            return RoleGraph.open(self.store)
        if self.endpoint is not None:
            return RoleGraph.connect(self.endpoint, self.graph, **dict(self.options))
        return RoleGraph.load(self.data or None, backend=self.backend)


class RoleGraph:
    """The ontology plus one data set, held in one backend.

    Build it with :meth:`load`; every command of the CLI works on one of these,
    parsed once per process.
    """

    def __init__(self, backend: Backend, files: Sequence[Path], source: Source | None = None):
        self.backend = backend
        self.files = list(files)
        #: how to open this graph again in another process
        self.source = source or Source(tuple(str(f) for f in files), backend.name)
        self._cache: dict[str, Any] = {}
        self._cache_generation = -1

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, data: Iterable[Path | str] | None = None, backend: str = "oxigraph") -> "RoleGraph":
        """Load the ontology and the data files/folders in *data* (default: the bundled data)."""
        data = [Path(p) for p in data] if data else None
        files = source_files(data)
        store = make_backend(backend)
        for f in files:
            store.load(f)
        return cls(store, files, Source(tuple(str(p) for p in data or ()), backend))

    @classmethod
    def open(cls, store: Path | str) -> "RoleGraph":
        """The graph kept in the store folder *store* (filled by ``rolegraph --store DIR load``), read-only.

        Derived data cached with :meth:`cached` is kept in the store, per content.
        """
        from .store.folder import open_folder, read_meta

        backend = open_folder(Path(store))
        g = cls(backend, [Path(f) for f in read_meta(Path(store)).files], Source(store=str(store)))
        if backend.cache_note:
            g.notes.append(backend.cache_note)
        return g

    @classmethod
    def connect(cls, endpoint: str, graph: str | None = None, **options: Any) -> "RoleGraph":
        """The graph served by the SPARQL 1.1 query endpoint *endpoint* (read-only), scoped to the named
        *graph* when given; see :class:`~rolegraph.store.remote.RemoteBackend` for *options*."""
        from .store.remote import RemoteBackend

        return cls(RemoteBackend(endpoint, graph, **options), [],
                   Source(endpoint=endpoint, graph=graph, options=tuple(sorted(options.items()))))

    def add(self, *data: Path | str) -> None:
        """Load more RDF files or folders into this graph.

        Name look-ups and everything cached on the graph (see :meth:`cached`) are rebuilt on next use.
        """
        files = expand_paths(data)
        for f in files:
            self.backend.load(f)
        self.files.extend(files)

    def cached(self, key: str, build: Callable[[], T]) -> T:
        """``build()``, computed once per state of the data: dropped whenever data is added.

        When the backend is a store folder (:meth:`open`), the value is also kept, as plain data (never
        pickle), in the store's cache for its content, so later processes read it instead of building it again.

        >>> g = RoleGraph.load()
        >>> g.cached("n", lambda: len(g)) == len(g)
        True
        """
        if self._cache_generation != self.backend.generation:
            self._cache.clear()
            self._cache_generation = self.backend.generation
        if key not in self._cache:
            self._cache[key] = _persisted(self.backend.cache_dir, key, build)
        return self._cache[key]

    # ------------------------------------------------------------------ queries

    def select(self, query: str, **bindings: Term | str) -> list[Row]:
        """Run a SELECT with rolegraph's prefixes declared; keyword arguments bind variables.

        A ``str`` binding is taken as an IRI; pass :class:`~rolegraph.store.Lit` for a literal.
        """
        return self.backend.select(query, _terms(bindings), prefixes=ns.PREFIXES)

    def ask(self, query: str, **bindings: Term | str) -> bool:
        return self.backend.ask(query, _terms(bindings), prefixes=ns.PREFIXES)

    def __len__(self) -> int:
        return len(self.backend)

    # ------------------------------------------------------------------ names

    @property
    def _names(self) -> list[tuple[str, Entity, bool]]:
        """(normalised key, entity, is-preferred) for every label, slug and IRI of named nodes."""
        return self.cached("names", self._build_names)

    def _build_names(self) -> list[tuple[str, Entity, bool]]:
        rows = self.select("""
            SELECT ?node ?type ?label ?pref WHERE {
                VALUES ?type { rg:Role rg:RoleLevel rg:Skill rg:JobFamily }
                ?node a ?type ; skos:prefLabel ?pl .
                { ?node skos:prefLabel ?label BIND(true AS ?pref) }
                UNION { ?node skos:altLabel|skos:hiddenLabel ?label BIND(false AS ?pref) }
                FILTER (?label != ?pl || ?pref)
            }""")
        kinds = {v: k for k, v in KIND_CLASSES.items()}
        pref_label = {r["node"]: r["label"] for r in rows if r["pref"]}
        out = []
        for r in rows:
            ent = Entity(r["node"], kinds[r["type"]], pref_label.get(r["node"]) or r["label"])
            out.append((_norm(r["label"]), ent, r["pref"]))
            if r["pref"]:
                out.append((_norm(ent.slug), ent, False))
                out.append((ent.iri.casefold(), ent, False))
                if slugify(r["label"]) != ent.slug:
                    out.append((slugify(r["label"]), ent, False))
        return out

    @property
    def _name_index(self) -> dict[str, list[Entity]]:
        """Normalised name -> entities, for O(1) look-ups."""
        return self.cached("name-index", self._build_name_index)

    def _build_name_index(self) -> dict[str, list[Entity]]:
        index: dict[str, list[Entity]] = {}
        for k, e, _ in self._names:
            index.setdefault(k, []).append(e)
        return index

    def _named(self, key: str) -> list[Entity]:
        """The entities with the normalised name *key*. A store folder keeps the name index in
        :data:`NAME_SHARDS` pieces, so one look-up reads one small piece, not every name."""
        if self.backend.cache_dir is None:
            return self._name_index.get(key, [])
        shard = zlib.crc32(key.encode("utf-8")) % NAME_SHARDS
        return self.cached(f"name-shard:{shard}", lambda: self._name_shards()[shard]).get(key, [])

    def _name_shards(self) -> list[dict[str, list[Entity]]]:
        shards: list[dict[str, list[Entity]]] = [{} for _ in range(NAME_SHARDS)]
        for k, entities in self._name_index.items():
            shards[zlib.crc32(k.encode("utf-8")) % NAME_SHARDS][k] = entities
        for i, piece in enumerate(shards):  # stored all at once, so later look-ups never rebuild
            self.cached(f"name-shard:{i}", _constant(piece))
        return shards

    def entities(self, kind: str) -> list[Entity]:
        """Every node of *kind*, sorted by label."""
        found = {e.iri: e for _, e, pref in self._names if e.kind == kind and pref}
        return sorted(found.values(), key=lambda e: e.label.casefold())

    def resolve(self, name: str, kinds: Sequence[str] = ("role", "level", "skill", "family")) -> Entity:
        """Find the node called *name* (label, alternative label, slug or IRI; any case).

        When a name fits several kinds (the role "Data engineer" and its level
        "Data engineer"), the first kind in *kinds* wins. Raises
        :class:`~rolegraph.errors.UnknownName` with close matches as suggestions.
        """
        key = _norm(name)
        keys = {key, slugify(name) or key}
        matches = [(k, e) for k in keys for e in self._named(k) if e.kind in kinds]
        if matches:   # the first kind in *kinds* wins; two nodes of that kind are ambiguous, never picked
            rank = lambda m: (kinds.index(m[1].kind), m[0] != key)  # noqa: E731
            best = min(map(rank, matches))
            found = sorted({e.iri: e for k, e in matches if rank((k, e)) == best}.values(), key=lambda e: e.iri)
            if len(found) > 1:
                raise AmbiguousName(KIND_NAMES[found[0].kind], name, [e.iri for e in found])
            renamed = self.renamed(name, found[0])
            if renamed:
                self.notes.append(renamed["note"])
            return found[0]
        raise UnknownName(" or ".join(KIND_NAMES[k] for k in kinds), name, self.suggest(name, kinds))

    @cached_property
    def notes(self) -> "deque[str]":
        """Notes about recent look-ups (an old name resolved to a renamed node); the CLI prints them."""
        return deque(maxlen=50)

    @property
    def _former(self) -> dict[tuple[str, str], str | None]:
        """(node IRI, normalised former name) -> date of the rename (or None), from rg:formerName."""
        return self.cached("former-names", self._build_former)

    def _build_former(self) -> dict[tuple[str, str], str | None]:
        rows = self.select("""SELECT ?n ?name ?date WHERE { ?n rg:formerName ?f . ?f rg:name ?name .
                              OPTIONAL { ?f dcterms:date ?date } }""")
        return {(r["n"], _norm(r["name"])): (str(r["date"]) if r["date"] else None) for r in rows}

    def renamed(self, name: str, ent: Entity) -> dict | None:
        """When *name* is a former name of *ent*: {"from", "to", "on", "note"}, the note reading
        'Data ethicist (renamed to Data and artificial intelligence (AI) ethicist on 2026-08-28)'."""
        key = (ent.iri, _norm(name))
        if key not in self._former:
            return None
        when = self._former[key]
        note = f"{name} (renamed to {ent.label} " + (f"on {when})" if when else "; date not recorded)")
        return {"from": name, "to": ent.label, "on": when, "note": note}

    def suggest(self, name: str, kinds: Sequence[str], n: int = 3) -> list[str]:
        """Labels of *kinds* that look like *name*, best first; a role's acronym (CISO, CDIO) names the role."""
        from .acronyms import acronyms

        labels = sorted({e.label for k, e, pref in self._names if e.kind in kinds and pref})
        by_key = {lab.casefold(): lab for lab in labels}
        key = _norm(name)
        short = [lab for lab in labels if key in acronyms(lab) and self.resolve(lab, kinds).kind == "role"]
        if short:
            return short[:n]
        close = difflib.get_close_matches(key, list(by_key), n=n, cutoff=0.6)
        if len(close) < n:
            close += [k for k in by_key if key and key in k and k not in close][: n - len(close)]
        return [by_key[c] for c in close[:n]]

    @property
    def _labels(self) -> dict[str, str]:
        return self.cached("labels", lambda: {e.iri: e.label for _, e, pref in self._names if pref})

    def label(self, iri: str) -> str:
        """The English preferred label of *iri* (or its last IRI segment)."""
        if iri in self._labels:
            return self._labels[iri]
        rows = self.select("SELECT ?l WHERE { ?n skos:prefLabel ?l }", n=iri)
        return rows[0]["l"] if rows else iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    # ------------------------------------------------------------------ people (issue 24)

    def assess(self, profile, top: int = 10):
        """Assess a self-rated *profile* (a :class:`~rolegraph.people.Profile`, a profile file's path, or
        ``{skill name: level}``): :class:`~rolegraph.people.assess.Assessment` (fit, gaps, readiness, plan).
        The profile is never added to this graph."""
        from .people import assess, profile_from_levels, read_profile

        if isinstance(profile, dict):
            profile = profile_from_levels(self, profile)
        elif isinstance(profile, (str, Path)):
            profile = read_profile(self, profile)
        return assess.assess(self, profile, top=top)

    def team(self, roster, profiles=None, target=None, min_count: int = 5):
        """A team's capability map (:class:`~rolegraph.people.team.Team`) from a roster file (with a folder of
        *profiles*) or a list of :class:`~rolegraph.people.team.Member`; *target*: a CSV path or
        ``{role level IRI: count}``. Nothing is added to this graph."""
        from .people import team

        members = roster if isinstance(roster, list) else team.read_team(self, roster, profiles)
        goal = team.read_target(self, target) if isinstance(target, (str, Path)) else target
        return team.team(self, members, goal, min_count=min_count)

    # ------------------------------------------------------------------ validation

    def validate(self, **options):
        """Validate this graph's files against the shapes; see :func:`rolegraph.validation.validate`."""
        from .validation import validate

        return validate(self, **options)


def source_files(data: Iterable[Path | str] | None = None) -> list[Path]:
    """The files a graph of *data* is loaded from: the ontology, then every RDF file of *data*
    (files or folders; default: the bundled data)."""
    paths = [Path(p) for p in data] if data else [data_dir()]
    files = expand_paths(paths)
    seen = {f.resolve() for f in files}
    return [f for f in ontology_files() if f.resolve() not in seen] + files


def _persisted(folder: Path | None, key: str, build: Callable[[], T]) -> T:
    """``build()``, read from / written to *folder* as plain data (:mod:`rolegraph.cache_codec`: JSON, never
    pickle, so a file planted there can run no code) when there is a folder. Values the codec does not keep,
    and folders that cannot be written (a read-only store), are simply not kept; a damaged file is built
    again. The caller checked that no other user can write *folder* (:func:`~rolegraph.atomic.untrusted_folder`)."""
    if folder is None:
        return build()
    import hashlib

    from .cache_codec import MISSING, Unstorable, decode, encode

    full_key = f"{_code_key()}\n{key}"
    path = folder / (hashlib.sha256(full_key.encode()).hexdigest()[:24] + ".json")
    try:
        with open(path, "rb") as fh:
            found = decode(fh.read(), full_key)
        if found is not MISSING:
            return found
    except (OSError, Unstorable):
        pass
    value = build()
    try:
        data = encode(value, full_key)
    except (Unstorable, ValueError, TypeError, RecursionError):
        return value
    from .atomic import write_atomic
    from .errors import InputError, OutputError

    try:
        write_atomic(path, data)
    except (InputError, OutputError):  # a full disk, or the folder removed meanwhile (a newer stamp's cache)
        pass
    return value


_CODE_KEY: list[str] = []


def _code_key() -> str:
    """A key for the code that built cached values: the size and modification time of each of rolegraph's
    modules, so a cache written by other code (an upgrade, another checkout) is never read back into this one
    (a value of an older layout could load and answer wrongly). Stats ~100 files, once. (Not the version:
    reading it imports importlib.metadata, ~30 ms of every command, and new code changes the stats anyway.)"""
    if not _CODE_KEY:
        here = Path(__file__).resolve().parent
        stats = sorted((str(p.relative_to(here)), p.stat().st_size, p.stat().st_mtime_ns)
                       for p in here.rglob("*.py"))
        _CODE_KEY.append(f"{stats}")
    return _CODE_KEY[0]


def _constant(value: T) -> Callable[[], T]:
    """A builder that returns *value* (for :meth:`RoleGraph.cached` of something already built)."""
    return lambda: value


def _terms(bindings: dict[str, Term | str]) -> dict[str, Term]:
    return {k: Iri(v) if isinstance(v, str) else v for k, v in bindings.items()}


__all__ = ["RoleGraph", "Entity", "Iri", "Lit", "KIND_CLASSES"]
