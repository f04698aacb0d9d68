"""Our URL arithmetic agrees with MkDocs' own, with directory URLs on and off."""

from __future__ import annotations

import pytest
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from plandocs.core.urls import page_url, relative_url

URIS = [
    "index.md",
    "README.md",
    "orders/readme.md",
    "orders/Index.md",
    "orders/CP2_ORDERS_SUMMARY.md",
    "orders/index.md",
    "planning/phases/CP3-INGRESS.md",
    "adr/ADR-016-c-gateway-migration.md",
    "a b/ü.md",
]


@pytest.mark.parametrize("use_directory_urls", [True, False])
@pytest.mark.parametrize("uri", URIS)
def test_page_url_matches_mkdocs(uri: str, use_directory_urls: bool) -> None:
    mkdocs_file = File(uri, "/docs", "/site", use_directory_urls)
    assert page_url(uri, use_directory_urls) == mkdocs_file.url


@pytest.mark.parametrize("use_directory_urls", [True, False])
@pytest.mark.parametrize("target", URIS)
@pytest.mark.parametrize("page", URIS)
def test_relative_url_matches_mkdocs(page: str, target: str, use_directory_urls: bool) -> None:
    here, there = page_url(page, use_directory_urls), page_url(target, use_directory_urls)
    assert relative_url(there, here) == get_relative_url(there, here)


def test_anchor_is_kept() -> None:
    assert relative_url("orders/S/#order-a-1", "planning/orders/") == "../../orders/S/#order-a-1"
