"""One build's state, made afresh in ``on_config``: ``mkdocs serve`` keeps the plugin object
across rebuilds, never a ``Build``."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files, InclusionLevel

from plandocs.cache.fragments import FragmentCache, Recent
from plandocs.core import diagnostics as diag
from plandocs.core.model import SourceDoc
from plandocs.core.settings import Settings, SettingsError, settings_from_options
from plandocs.core.urls import SiteUrls
from plandocs.mkdocs.drawing import Drawing
from plandocs.mkdocs.nav_cache import NavCache
from plandocs.mkdocs.page_cache import PageCache, build_salt, file_reading_extension
from plandocs.project.history import GitHistory
from plandocs.project.load import Project, SourceEntry, orders_folder, read_source, shown_path
from plandocs.project.renames import Stat
from plandocs.render.pages import GeneratedPage, Renderer, RenderError

log = get_plugin_logger(__name__)
T = TypeVar("T")
#: a finding as the writer's loop tells two apart: file, code, level, message
Said = tuple[str, str, diag.Level, str]

_LOG_LEVEL = {
    diag.Level.ERROR: log.error,
    diag.Level.WARNING: log.warning,
    diag.Level.INFO: log.info,
}


def refused(exc: Exception) -> PluginError:
    """A one-line build error for a problem of the configuration or the sources."""
    return PluginError(f"plandocs: {exc}")


def rendered(render: Callable[[], T]) -> T:
    """Run a renderer call; a broken template override becomes a one-line build error."""
    try:
        return render()
    except RenderError as exc:
        raise refused(exc) from None


class ShownPaths:
    """``shown_path`` of the files of a build, resolving each folder once: resolving a path
    asks the file system about every folder above it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.shown: dict[str, str] = {}
        self.folders: dict[str, str] = {}  # folder as MkDocs gives it -> as shown

    def __call__(self, abs_path: str | None) -> str:
        if not abs_path:
            return ""
        shown = self.shown.get(abs_path)
        if shown is None:
            shown = self.shown[abs_path] = self._shown(abs_path)
        return shown

    def _shown(self, abs_path: str) -> str:
        if os.path.islink(abs_path):  # noqa: PTH114  (a string path: pathlib costs here)
            return shown_path(self.root, Path(abs_path))
        folder, name = os.path.split(abs_path)
        shown = self.folders.get(folder)
        if shown is None:
            try:
                shown = Path(folder).resolve().relative_to(self.root).as_posix()
            except ValueError:
                shown = ""  # through a linked folder, or outside
            self.folders[folder] = shown
        if not shown:
            return shown_path(self.root, Path(abs_path))
        return name if shown == "." else f"{shown}/{name}"


@dataclass
class Build:
    """What one build knows: the options, the project once read (``on_files``), its
    renderer, and the caches."""

    options: dict[str, Any]  # the plugin's options, as MkDocs checked them
    settings: Settings
    config: MkDocsConfig
    command: str  # `serve` shows draft_docs and each finding on its page
    orders_required: bool  # orders_dir was set on purpose: a missing folder is an error
    root: Path = field(init=False)
    urls: SiteUrls = field(init=False)
    shown: ShownPaths = field(init=False)
    project: Project | None = None
    renderer: Renderer | None = None
    generated: list[GeneratedPage] = field(default_factory=list)
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)  # uri: text, path
    read: dict[str, str] = field(default_factory=dict)  # uri: path, once handed to MkDocs
    git_history: GitHistory | None = None
    drawing: Drawing | None = None
    page_cache: PageCache | None = None
    fragments: FragmentCache | None = None
    nav_cache: NavCache | None = None
    repo_uris: dict[str, str] = field(default_factory=dict)  # a file's path: its URI
    files: Files | None = None  # the site's files, once on_files made them
    generated_uris: frozenset[str] = frozenset()
    #: the redirect pages in the site already, path: digest (``mkdocs serve --dirty``)
    redirects: dict[str, str] = field(default_factory=dict)
    #: each redirect page as written (``renames.Stat``): found again without reading it
    redirect_stats: dict[str, Stat] = field(default_factory=dict)
    #: the redirect pages being written while the pages convert (``redirects.start``)
    redirecting: Future[Any] | None = None
    #: kept across the rebuilds of ``mkdocs serve --dirty``: planning.json's entries
    #: encoded, and the small fragments rendered
    encoded: dict[str, str] | None = None
    recent: Recent | None = None
    #: under ``mkdocs serve --dirty``, the findings the last build said: not said again
    #: (each is on its page; the rebuild's line counts them), and those this build has
    said_before: Counter[Said] | None = None
    said: Counter[Said] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.root = Path(self.config.config_file_path or ".").resolve().parent
        self.urls = SiteUrls(self.config.use_directory_urls, self.settings.output_dir)
        self.shown = ShownPaths(self.root)

    @classmethod
    def start(
        cls, config: MkDocsConfig, options: dict[str, Any], command: str, given: set[str]
    ) -> Build:
        try:
            settings = settings_from_options(options)
        except SettingsError as exc:
            raise refused(exc) from None
        return cls(options, settings, config, command, "orders_dir" in given)

    @property
    def config_name(self) -> str:
        return Path(self.config.config_file_path or "mkdocs.yml").name

    def log(self, finding: diag.Diagnostic) -> None:
        """Log a finding at its level; under ``mkdocs serve`` at INFO, its level in its text.

        MkDocs' strict mode counts the WARNING and ERROR records of the ``mkdocs`` loggers and
        aborts the build that had any: under ``serve`` the open tab then keeps the old page
        with no sign of trouble. Logging at INFO is the public way to keep a finding out of
        that count, and only under ``serve``, which shows each finding on its page instead;
        ``mkdocs build --strict`` and ``plandocs check`` still fail on it."""
        serve = self.command == "serve" and finding.level is not diag.Level.INFO
        text = finding.format(with_level=serve)
        if self.said_before is not None:  # the writer's loop: a finding is said once
            # by what it says where, not its line: a line added above it is no news
            key = (finding.file, finding.code, finding.level, finding.message)
            self.said[key] += 1
            if self.said[key] <= self.said_before[key]:
                return
        if serve:
            log.info(text)
        else:
            _LOG_LEVEL[finding.level](text)

    def included(self) -> Callable[[InclusionLevel], bool]:
        """The pages this build converts: ``serve`` shows drafts too."""
        return InclusionLevel.is_in_serve if self.command == "serve" else InclusionLevel.is_included

    def orders_folder(self) -> Path | None:
        try:
            return orders_folder(self.root, self.settings, required=self.orders_required)
        except SettingsError as exc:
            raise refused(exc) from None

    def cache_path(self, kind: str, suffix: str) -> Path:
        """Where this configuration keeps its ``kind`` of cache, so that two sites of one
        repository keep their own (mkdocs.yml resolved: `mkdocs build` and `python -m
        mkdocs build` name it differently)."""
        config_path = str(Path(self.config.config_file_path or "mkdocs.yml").resolve())
        name = hashlib.sha256(config_path.encode("utf-8")).hexdigest()[:16]
        return (self.root / ".cache" / "plandocs" / kind / name).with_suffix(suffix)

    def open_page_cache(self, config: MkDocsConfig, files: Files) -> PageCache | None:
        """The page cache, once the site's files are final; ``None`` under an extension
        that reads other files (a page's key cannot see them)."""
        reader = file_reading_extension(config.markdown_extensions)
        if reader is not None:
            log.debug("pages are not cached: the extension %s reads other files", reader)
            return None
        store = self.cache_path("pages", ".sqlite")
        pages = len(files.documentation_pages(inclusion=self.included()))
        tokens = self.renderer.tokens if self.renderer is not None else None
        return PageCache(store, build_salt(config, files), pages, tokens)

    def open_fragments(self, env: Environment) -> FragmentCache:
        """The fragment cache, made by the renderer with its templates (part of every key)."""
        self.fragments = FragmentCache(self.cache_path("fragments", ".sqlite"), env, self.recent)
        return self.fragments

    def source(self, uri: str, abs_path: str | None) -> str | None:
        """A page's text as the core decoded it (BOM, CRLF, mojibake), handed to MkDocs once;
        read again for a second read (a plugin that renders a page again); ``None`` for a
        file the core did not read."""
        if uri in self.texts:
            text, self.read[uri] = self.texts.pop(uri)
            return text
        path = self.read.get(uri)
        if path is None or not abs_path:
            return None
        doc = read_source(SourceEntry(path, uri, abs_path), self.settings)
        return doc.text if isinstance(doc, SourceDoc) else None
