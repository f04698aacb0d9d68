"""One Markdown instance for all pages: every page converts to what a new instance makes of
it, whatever the pages before it held."""

from __future__ import annotations

import copy
import functools
import re
from pathlib import Path
from typing import Any

import markdown
import pytest
from markdown.extensions.toc import slugify
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from plandocs.markdown_reuse import MarkdownReuse, unknown_processor

from .test_config import build
from .test_page_cache import edit, good, site_files  # noqa: F401  (good: a fixture)

_INSTANCES = re.compile(r"plandocs: Markdown instances: (\d+) made, (\d+) reused")

EXTENSIONS: list[Any] = [
    {"toc": {"permalink": True}},
    "tables",
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "abbr",
    "md_in_html",
    "smarty",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.details",
    {"pymdownx.tabbed": {"alternate_style": True}},
    {"pymdownx.tasklist": {"custom_checkbox": True}},
    "pymdownx.tilde",
    "pymdownx.caret",
    "pymdownx.mark",
    "pymdownx.keys",
    "pymdownx.magiclink",
    "pymdownx.critic",
    "pymdownx.smartsymbols",
    "pymdownx.arithmatex",
    "pymdownx.emoji",
    "plandocs.render.gfm_lists",
]

# Each page leaves something behind that would show in the next if an extension kept it:
# footnotes and their numbers, abbreviations, reference links, heading IDs, tab and
# footnote counters, stashed HTML and code.
PAGES = {
    "a.md": """# Intro

Text with a footnote[^1] and HTML and [a link][ref].

[^1]: The note.

*[HTML]: Hyper Text Markup Language

[ref]: https://example.org/ref

## Intro

=== "One"

    Tab one.

=== "Two"

    Tab two.

!!! note "Kept"
    An admonition at the end.
""",
    "b.md": """# Intro

HTML again, [a link][ref], and a note[^1] with no definition.

- [x] done
- [ ] open

Term
:   Definition

```python
print("code")
```

=== "Three"

    Tab three.

<div markdown>
**inside** html
</div>

{++added++} ~~gone~~ ^^up^^ ==marked== ++ctrl+alt++ :smile: $x^2$ (c) -- "quoted"
https://example.org/bare and `#!python x = 1`.
""",
    "c.md": """Text first, no title.
- a list right under it
- (GitHub style)

??? tip "Details"
    Hidden.

| a | b |
|---|---|
| 1 | 2 |

## Intro {#own-id .cls}

Second footnote[^x].

[^x]: Its note.
""",
}


def _site(tmp_path: Path, extensions: list[Any]) -> tuple[MkDocsConfig, Files]:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in PAGES.items():
        (docs / name).write_text(text, encoding="utf-8")
    config = load_config(
        config_file=None,
        site_name="Reuse",
        docs_dir=str(docs),
        site_dir=str(tmp_path / "site"),
        markdown_extensions=copy.deepcopy(extensions),  # MkDocs empties the dicts
    )
    files = Files([File(name, str(docs), str(tmp_path / "site"), True) for name in PAGES])
    return config, files


def _converted(
    config: MkDocsConfig, files: Files, name: str, reuse: MarkdownReuse | None
) -> tuple[Any, ...]:
    file = files.get_file_from_path(name)
    assert file is not None
    page = Page(None, file, config)
    page.read_source(config)
    if reuse is not None:
        reuse.wrap(page)
    page.render(config, files)
    return (page.content, str(page.toc), page.title, sorted(page.present_anchor_ids or ()))


ORDER = ["a.md", "b.md", "c.md", "a.md", "c.md", "b.md", "a.md"]


def test_every_page_converts_as_a_new_instance_converts_it(tmp_path: Path) -> None:
    config, files = _site(tmp_path, EXTENSIONS)
    fresh = {name: _converted(config, files, name, None) for name in PAGES}
    assert "footnote" in fresh["a.md"][0] and "<abbr" in fresh["a.md"][0]  # the corpus works
    assert "<abbr" not in fresh["b.md"][0] and "example.org/ref" not in fresh["b.md"][0]
    reuse = MarkdownReuse()
    for name in ORDER:
        assert _converted(config, files, name, reuse) == fresh[name], name
    assert (reuse.made, reuse.reused, reuse.unknown) == (1, len(ORDER) - 1, None)
    assert mkdocs_pages.markdown is markdown  # MkDocs' module is its own again


def test_an_extension_of_unknown_code_gets_a_new_instance_a_page(tmp_path: Path) -> None:
    class Keeper(markdown.extensions.Extension):
        def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's)
            md.treeprocessors.register(_Counter(md), "counter", 5)

    config, files = _site(tmp_path, ["toc"])
    config.markdown_extensions.append(Keeper())  # as a plugin adds one
    reuse = MarkdownReuse()
    for name in ORDER:
        _converted(config, files, name, reuse)
    assert (reuse.made, reuse.reused) == (len(ORDER), 0)
    assert reuse.unknown is not None and reuse.unknown.endswith("_Counter")


class _Counter(markdown.treeprocessors.Treeprocessor):
    """Keeps a count from one document to the next, as an extension may."""

    count = 0

    def run(self, root: Any) -> None:
        _Counter.count += 1


def test_footnotes_with_unique_ids_get_a_new_instance_a_page(tmp_path: Path) -> None:
    """Their prefix counts the documents an instance converted: ``fn:1-1`` on every page."""
    config, files = _site(tmp_path, [{"footnotes": {"UNIQUE_IDS": True}}])
    fresh = {name: _converted(config, files, name, None) for name in PAGES}
    assert 'id="fnref:2-1"' in fresh["a.md"][0] and 'id="fnref:2-x"' in fresh["c.md"][0]
    reuse = MarkdownReuse()
    for name in ORDER:
        assert _converted(config, files, name, reuse) == fresh[name], name
    assert (reuse.made, reuse.reused) == (len(ORDER), 0)
    assert reuse.unknown is not None and "UNIQUE_IDS" in reuse.unknown


def test_a_function_in_the_settings_is_compared_by_identity(tmp_path: Path) -> None:
    """Material's usual slugify is a partial: no copy of it is equal to it."""
    config, files = _site(tmp_path, ["toc"])
    config.mdx_configs["toc"] = {"slugify": functools.partial(slugify, unicode=True)}
    reuse = MarkdownReuse()
    for name in ORDER:
        _converted(config, files, name, reuse)
    assert (reuse.made, reuse.reused) == (1, len(ORDER) - 1)


def test_unknown_processor_names_the_first_one_of_unknown_code() -> None:
    assert unknown_processor(markdown.Markdown(extensions=["toc", "pymdownx.superfences"])) is None
    md = markdown.Markdown()
    md.postprocessors.register(_Counter(md), "mine", 1)  # type: ignore[arg-type]
    assert unknown_processor(md) == f"{__name__}._Counter"
    # known code that keeps state all the same: Material's link previews
    previews = markdown.Markdown(extensions=["material.extensions.preview"])
    assert unknown_processor(previews) == "material.extensions.preview.PreviewProcessor"


def test_other_settings_get_an_instance_of_their_own(tmp_path: Path) -> None:
    config, files = _site(tmp_path, EXTENSIONS)
    reuse = MarkdownReuse()
    first = _converted(config, files, "a.md", reuse)
    config.mdx_configs["toc"] = {"permalink": False}  # a plugin changed them meanwhile
    changed = _converted(config, files, "a.md", reuse)
    assert first != changed and "headerlink" not in changed[0]
    assert (reuse.made, reuse.reused) == (2, 0)


def test_a_conversion_that_raised_drops_the_instance(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, files = _site(tmp_path, EXTENSIONS)
    reuse = MarkdownReuse()
    _converted(config, files, "a.md", reuse)
    title = mkdocs_pages._ExtractTitleTreeprocessor.run

    def fails(self: Any, root: Any) -> Any:
        raise ValueError("half-way")

    monkeypatch.setattr(mkdocs_pages._ExtractTitleTreeprocessor, "run", fails)
    with pytest.raises(ValueError, match="half-way"):
        _converted(config, files, "b.md", reuse)  # stops with the instance half-way
    assert mkdocs_pages.markdown is markdown
    monkeypatch.setattr(mkdocs_pages._ExtractTitleTreeprocessor, "run", title)
    assert _converted(config, files, "b.md", reuse) == _converted(config, files, "b.md", None)
    assert (reuse.made, reuse.reused) == (2, 1)  # the half-way instance was not used again


def test_a_conversion_inside_a_conversion_gets_a_new_instance(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, files = _site(tmp_path, EXTENSIONS)
    fresh = {name: _converted(config, files, name, None) for name in PAGES}
    reuse = MarkdownReuse()
    inner: list[tuple[Any, ...]] = []
    title = mkdocs_pages._ExtractTitleTreeprocessor.run
    nested = iter([True])  # once: the inner page's own title runs this too

    def converts_another_page(self: Any, root: Any) -> Any:
        if next(nested, False):  # a plugin's extension that renders another page meanwhile
            inner.append(_converted(config, files, "c.md", reuse))
        return title(self, root)

    monkeypatch.setattr(mkdocs_pages._ExtractTitleTreeprocessor, "run", converts_another_page)
    assert _converted(config, files, "a.md", reuse) == fresh["a.md"]
    assert inner == [fresh["c.md"]]
    assert (reuse.made, reuse.reused) == (2, 0)
    assert mkdocs_pages.markdown is markdown
    assert _converted(config, files, "b.md", reuse) == fresh["b.md"]
    assert reuse.reused == 1  # free again once the outer page is converted


def test_a_markdown_module_put_in_place_by_another_plugin_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, files = _site(tmp_path, EXTENSIONS)
    made: list[object] = []

    class Theirs:
        def __getattr__(self, name: str) -> Any:
            return getattr(markdown, name)

        def Markdown(self, **options: Any) -> markdown.Markdown:  # noqa: N802 (the module's)
            made.append(options)
            return markdown.Markdown(**options)

    monkeypatch.setattr(mkdocs_pages, "markdown", Theirs())
    reuse = MarkdownReuse()
    for name in ORDER:
        _converted(config, files, name, reuse)
    assert len(made) == len(ORDER) and reuse.made == 0


def test_a_build_reuses_one_instance_and_writes_the_site_it_writes_without(good: Path) -> None:  # noqa: F811
    result = build(good, "--strict", "--verbose")
    assert result.returncode == 0, result.stderr
    ((made, reused),) = _INSTANCES.findall(result.stderr)
    assert made == "1" and int(reused) > 10
    reusing = site_files(good.parent / "s")
    edit(
        good,
        "  - plandocs:\n",
        "  - plandocs:\n      markdown_reuse: false\n      page_cache: false\n",
    )
    result = build(good, "--strict", "--verbose")
    assert result.returncode == 0, result.stderr
    assert not _INSTANCES.search(result.stderr)
    assert site_files(good.parent / "s") == reusing
