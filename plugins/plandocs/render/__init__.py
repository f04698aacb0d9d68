"""HTML and pages from the sealed model: order cards, tables, generated pages, the Gantt
chart, exports, titles and permalinks, from Jinja2 templates with autoescape on and the site's
assets. Rendering reads the core's data and writes strings; it does not touch MkDocs."""
