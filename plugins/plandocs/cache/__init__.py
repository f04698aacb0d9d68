"""Record stores kept between builds: one SQLite store (``records``) and the caches built on
it, each keyed by what its result was made from: parsed documents, rendered fragments, and
which SVG each diagram had. The page and sidebar caches, which wrap what MkDocs renders,
are the adapter's (``plandocs.mkdocs``) and keep their records here."""
