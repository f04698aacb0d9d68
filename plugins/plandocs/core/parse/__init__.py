"""Reading one Markdown file: its frontmatter, fields, order records, ADR and ASCII trees."""
