"""The escape contract of Markdown sinks as a check, shared through a tests/ module (issue 20) by the escaping
tests."""

from __future__ import annotations

import re


def opens_markdown(src: str) -> bool:
    """Would this Markdown source (after escapes) still open a construct? A crude but strict check of the escape
    contract: every inline opener is preceded by a backslash, no autolink pattern survives in the decoded text."""
    unescaped = re.sub(r"\\.", "", src)
    decoded = re.sub(r"\\(.)", r"\1", src)
    return (
        any(ch in unescaped for ch in "\\`*_[]<>&~$|:!")
        or re.search(r"https?://|www\.|[\w.+-]@[\w-]", decoded, re.IGNORECASE) is not None
        or re.match(r"[#+=-]|\d+[.)]", unescaped) is not None
        or "\n" in src
    )
