"""Record stores kept between builds: one SQLite store (``records``) and the caches built on
it, each keyed by what its result was made from: parsed documents, diagram fragments,
converted pages, and the sidebar rendered once per build."""
