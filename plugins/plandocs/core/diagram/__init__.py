"""Diagrams: a small graph model, a DOT writer, and a batched, cached Graphviz renderer."""
