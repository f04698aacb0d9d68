"""The pure core: the planning model, settings, diagnostics, parsing, the graph, cross-links,
schedules, encoding repair and the diagram model with its DOT writer. Functions over text and
paths that return data and diagnostics; nothing here imports MkDocs, SQLite, threads or
subprocesses, or any other plandocs layer, so the core can move to another engine."""
