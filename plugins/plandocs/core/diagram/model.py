"""What a diagram holds, before any DOT is written: nodes, edges, clusters and their styles.

Styles are class names (``priority-high``, ``status-done``, ``critical``), not colours: the
site's CSS colours them from the theme, so a diagram reads in light and dark schemes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    #: a link from the page the diagram is on, or None
    url: str | None = None
    tooltip: str = ""
    classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    classes: tuple[str, ...] = ()
    label: str = ""  # a summary's edge says how many dependencies it stands for


@dataclass(frozen=True)
class Cluster:
    id: str
    label: str
    nodes: tuple[str, ...]


@dataclass(frozen=True)
class Diagram:
    """One diagram. ``title`` is what a screen reader says of it."""

    title: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...] = ()
    clusters: tuple[Cluster, ...] = ()
