"""The MkDocs adapter: the plugin whose hooks hand the work to the core, the renderers and
the caches. Every use of MkDocs or Material lives in this layer; every private name of
theirs in ``internals``.

MkDocs 2 has no plugins: importing the adapter there stops with one line saying what
plandocs runs on, rather than failing later inside MkDocs."""

from __future__ import annotations

import mkdocs

SUPPORTED = "MkDocs 1.6 (or ProperDocs, its drop-in fork), with Material for MkDocs 9.5 or later"


def check_engine(version: str) -> None:
    """Stop (``SystemExit``, one line) under an engine version plandocs cannot run on."""
    major = version.split(".", 1)[0]
    if not major.isdigit() or int(major) >= 2:
        raise SystemExit(
            f"plandocs: MkDocs {version} is not supported; plandocs runs on {SUPPORTED}"
        )


check_engine(getattr(mkdocs, "__version__", "unknown"))
