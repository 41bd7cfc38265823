"""The seed report and its reference annotation, shared by the Arabic tests."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path


def corpus_dir() -> Path:
    """The project's copy of the seed (the demo data), never a path outside the repository."""
    return Path(__file__).resolve().parent.parent / "articles" / "demo"


@lru_cache
def seed_body() -> str:
    text = (corpus_dir() / "kerry-moscow-2016.txt").read_text(encoding="utf-8-sig")
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines[1:-1])


@lru_cache
def seed_annotation() -> dict:
    return json.loads((corpus_dir() / "kerry-moscow-2016.annotations.json").read_text(encoding="utf-8"))


def seed_entries() -> list[tuple[str, tuple[str, str]]]:
    """(alias, target) pairs for every participant and place of the seed."""
    ann = seed_annotation()
    entries = []
    for p in ann["participants"]:
        for alias in {
            p["name_ar"],
            p["name_en"],
            *p.get("aliases_ar", []),
            *p.get("aliases_en", []),
        }:
            entries.append((alias, ("participant", p["key"])))
    for p in ann["places"]:
        for alias in {p["name_ar"], p["name_en"]}:
            entries.append((alias, ("place", p["key"])))
    return entries


def persons() -> set[str]:
    return {p["key"] for p in seed_annotation()["participants"] if p["kind"] == "person"}
