"""Resolve gold-file keys to article ids.

A gold line names an article by its id (JSON Lines records), its file's name (one-article files),
or its URL (feed entries, WARC records, fetched pages).
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import GoldFileError
from ..store import Store, queries


def key_map(store: Store) -> dict[str, str]:
    """Every key that names an article -> its id (ids win over URLs, URLs over file names)."""
    out: dict[str, str] = {}
    rows = queries.article_keys(store)
    for r in rows:
        src = r["source"] or ""
        if "#" not in src:
            out.setdefault(PurePosixPath(src.replace("\\", "/")).name, r["id"])
    for r in rows:
        if r["url"]:
            out[r["url"]] = r["id"]
    for r in rows:
        out[r["id"]] = r["id"]
    return out


def jsonl_objects(path: Path | str) -> Iterator[tuple[int, Any]]:
    """(line number, decoded value) of every non-blank line of a gold JSON Lines file; a malformed
    line raises GoldFileError naming the file and line. Callers check the fields they need."""
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as e:
                raise GoldFileError(f"{path}:{n}: invalid JSON ({e.msg}); fix that line") from None


def read_gold(path: Path) -> Iterator[dict[str, Any]]:
    """Gold JSON Lines; a malformed line raises GoldFileError naming file and line."""
    for n, obj in jsonl_objects(path):
        if not isinstance(obj, dict) or "key" not in obj:
            raise GoldFileError(f"{path}:{n}: each line must be an object with a \"key\"")
        yield obj


def resolve(lines: list[dict[str, Any]], keys: dict[str, str], fields: tuple[str, ...] = ("key",),
            path: Path | str = "gold") -> list[dict[str, Any]]:
    """Replace keys in ``fields`` by article ids; an unknown key raises GoldFileError."""
    out = []
    for obj in lines:
        obj = dict(obj)
        for f in fields:
            v = obj.get(f)
            if v is None:
                continue
            if v not in keys:
                raise GoldFileError(f"{path}: key {v!r} names no article in the store; ingest the corpus first")
            obj[f] = keys[v]
        out.append(obj)
    return out
