"""plandocs: publish a team's planning documents (work orders, ADRs, checkpoint phases) as a
MkDocs site built on one validated graph.

The core (``model``, ``parse``, ``graph``, ``project``, ``views``) knows nothing about MkDocs;
``plugin`` and ``cli`` are thin adapters over it.
"""

from __future__ import annotations

from plandocs.core.encoding import Repair, explain, repair, repair_text

__all__ = ["Repair", "explain", "repair", "repair_text"]
__version__ = "0.1.0"
