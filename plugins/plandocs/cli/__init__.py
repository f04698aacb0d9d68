"""The ``plandocs`` command line: checking planning data, writing JSON Schema for editors,
exporting, scaffolding new orders and ADRs and repairing encodings, over the same core and
renderers the MkDocs plugin uses."""
