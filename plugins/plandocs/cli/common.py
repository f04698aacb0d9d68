"""What the commands share: their exit statuses, the usage error, their tables of arguments,
and a project's mkdocs.yml read as MkDocs reads it, without importing MkDocs (``Site``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mergedeep
import yaml
from yaml_env_tag import construct_env_tag

from plandocs.core.settings import (
    CHOICE,
    FLAG,
    FOLDER,
    NUMBER,
    OPTIONS,
    TEXT,
    Settings,
    SettingsError,
    settings_from_options,
)
from plandocs.core.urls import SiteUrls
from plandocs.project.load import Project, discover, exclusions, load
from plandocs.render.pages import generated_uris

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_BROKEN_PIPE = 0, 1, 2, 141

#: the flags and keywords of one ``add_argument`` call
Argument = tuple[tuple[str, ...], dict[str, Any]]
#: a command: its function, its line in the list of commands, its --help, its arguments
Command = tuple[Callable[[argparse.Namespace], int], str, str | None, list[Argument]]


def arg(*flags: str, **options: Any) -> Argument:
    return flags, options


def add_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], table: dict[str, Command]
) -> None:
    for name, (run, summary, description, arguments) in table.items():
        parser = commands.add_parser(name, help=summary, description=description)
        for flags, options in arguments:
            parser.add_argument(*flags, **options)
        parser.set_defaults(run=run)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as MkDocs does where it matters here: ``!ENV`` is resolved; other
    tags (``!!python/name:`` for Material's emoji, ``!relative``) have no bearing on planning
    data and read as None."""


_ConfigLoader.add_constructor("!ENV", construct_env_tag)
for _tag in ("!", "tag:yaml.org,2002:python/"):
    _ConfigLoader.add_multi_constructor(_tag, lambda loader, suffix, node: None)


class UsageError(Exception):
    """A problem with the command or mkdocs.yml; printed as one line, exit 2."""


def read_mkdocs_config(path: Path, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """mkdocs.yml as a mapping, with ``INHERIT`` merged the way MkDocs merges it."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    try:
        data = yaml.load(text, Loader=_ConfigLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise UsageError(f"{where}: mkdocs.yml is not valid YAML") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise UsageError(f"{path}: mkdocs.yml is not a mapping")
    if "INHERIT" in data:
        parent = (path.parent / str(data.pop("INHERIT"))).resolve()
        if parent in _seen:
            raise UsageError(f"{path}: INHERIT goes round in a circle through {parent}")
        merged: dict[str, Any] = mergedeep.merge(
            read_mkdocs_config(parent, (*_seen, path.resolve())), data
        )
        return merged
    return data


#: what the CLI accepts for the options only the site build uses; the core checks the rest
_TYPES = {TEXT: (str,), FOLDER: (str,), FLAG: (bool,), NUMBER: (int, float), CHOICE: (str,)}


def plugin_options(config: dict[str, Any]) -> dict[str, Any]:
    """The plandocs options, from a ``plugins:`` list or mapping (MkDocs accepts both),
    refused on the same grounds as the build refuses them."""
    plugins = config.get("plugins") or []
    if isinstance(plugins, list):  # names, and mappings of a name to its options
        plugins = next(
            (item for item in plugins if isinstance(item, dict) and "plandocs" in item), {}
        )
    if not isinstance(plugins, dict):
        raise UsageError("'plugins' must be a list or a mapping")
    found = plugins.get("plandocs") or {}
    if not isinstance(found, dict):
        raise UsageError("the options of plugin 'plandocs' must be a mapping of 'key: value'")
    options = {option.name: option for option in OPTIONS}
    for key, value in found.items():
        option = options.get(key)
        if option is None:
            raise UsageError(f"plugin 'plandocs' has no option '{key}'")
        kinds = _TYPES.get(option.kind, ()) if option.site else ()
        if kinds and value is not None and not isinstance(value, kinds):
            raise UsageError(f"'{key}' must be {kinds[0].__name__}, not {type(value).__name__}")
        if option.site and option.choices and value not in option.choices:
            raise UsageError(f"'{key}' must be one of {', '.join(option.choices)}, not {value!r}")
    return dict(found)


@contextmanager
def refused(config_file: Path) -> Iterator[None]:
    """A setting the core refuses, as a usage error that names mkdocs.yml."""
    try:
        yield
    except SettingsError as exc:
        raise UsageError(f"{config_file}: {exc}") from None


@dataclass
class Site:
    """A project's mkdocs.yml as the commands read it, with the plugin's options checked."""

    file: Path
    config: dict[str, Any]
    options: dict[str, Any]
    settings: Settings

    @classmethod
    def read(cls, config_file: Path) -> Site:
        config = read_mkdocs_config(config_file)
        options = plugin_options(config)
        with refused(config_file):
            return cls(config_file, config, options, settings_from_options(options))

    @property
    def root(self) -> Path:
        return self.file.resolve().parent

    @property
    def docs_dir(self) -> str:
        return str(self.config.get("docs_dir") or "docs")

    @property
    def orders_required(self) -> bool:
        return "orders_dir" in self.options  # set on purpose: a missing folder is an error

    def load(self) -> tuple[Project, SiteUrls]:
        # what ``mkdocs build`` leaves out: its defaults, ``exclude_docs`` and ``draft_docs``
        excluded = [
            line
            for key in ("exclude_docs", "draft_docs")
            for line in str(self.config.get(key) or "").splitlines()
        ]
        with refused(self.file):
            entries = discover(
                self.root,
                self.docs_dir,
                self.settings,
                exclusions(excluded),
                orders_required=self.orders_required,
            )
        project = load(entries, self.settings)
        urls = SiteUrls(bool(self.config.get("use_directory_urls", True)), self.settings.output_dir)
        project.reserve(generated_uris(project.graph, urls))
        return project, urls


def load_project(config_file: Path) -> tuple[Project, SiteUrls]:
    return Site.read(config_file).load()
