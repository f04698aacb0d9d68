"""The planning repository on disk: reading the orders, ADRs and phases from their folders
into the core's model (``load``), text files with their encodings (``textio``), and what git
knows about them (``history`` for dates, ``renames`` for redirects of moved pages)."""
