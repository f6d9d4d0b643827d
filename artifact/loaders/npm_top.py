"""npm top lists of wooorm/npm-high-impact (`lib/top-download.js`): names in download order.

The file is a JavaScript module exporting one array of package names, already ranked by weekly
downloads, without counts. It is read as text and never executed: after `export const <name> = [`
only string literals, commas, white space and comments may follow up to the closing `]`; anything
else is an error naming the file and the offending text. npm names are URL-safe, so a backslash
(an escape sequence) is rejected as well rather than interpreted.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from artifact.errors import SchemaError

_EXPORT = re.compile(r"export\s+(?:const|let|var)\s+[A-Za-z_$][\w$]*\s*=\s*\[")
_TOKEN = re.compile(
    r"""(?P<string>'[^'\n]*'|"[^"\n]*")|(?P<skip>\s+|,|//[^\n]*|/\*.*?\*/)|(?P<end>\])|(?P<other>.)""", re.S
)


def parse_top_download(text: str, source: str = "<text>") -> list[str]:
    """The names of the exported array in `text`, in order; `source` names the file in errors."""
    start = _EXPORT.search(text)
    if start is None:
        raise SchemaError(f"{source}: no `export const <name> = [` found; check that the file is the pinned input")
    names: list[str] = []
    for token in _TOKEN.finditer(text, start.end()):
        if token.lastgroup == "string":
            name = token.group()[1:-1]
            if "\\" in name or not name:
                raise SchemaError(f"{source}: {token.group()} at offset {token.start()} is not a plain npm package name")
            names.append(name)
        elif token.lastgroup == "end":
            if not names:
                raise SchemaError(f"{source}: the exported array is empty")
            return names
        elif token.lastgroup == "other":
            context = text[token.start() : token.start() + 40].splitlines()[0]
            raise SchemaError(
                f"{source}: unexpected {context!r} at offset {token.start()} inside the exported array "
                "(only string literals are expected); check that the file is the pinned input"
            )
    raise SchemaError(f"{source}: the exported array is not closed by `]`; the file may be truncated")


def load_npm_top(path: Path) -> pd.DataFrame:
    """Tidy ranked list (`name` str, `position` int, 1 = most downloaded) from a top-download.js file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise SchemaError(f"{path} is not UTF-8 text ({error}); check that the file is the pinned input") from error
    names = parse_top_download(text, str(path))
    return pd.DataFrame({"name": names, "position": range(1, len(names) + 1)})
