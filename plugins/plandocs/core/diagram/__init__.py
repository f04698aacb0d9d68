"""Diagrams as models: the graph model, its DOT writer, planning diagrams and legends."""
