"""Running Graphviz: DOT sources from the core's diagram writer go to ``dot`` (on a
background thread, so layouts run while pages convert) and come back as inline SVG, kept in
a content-hash cache."""
