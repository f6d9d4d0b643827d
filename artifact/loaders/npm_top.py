"""npm top lists of wooorm/npm-high-impact (`lib/top-download.js`): names in download order.

A JavaScript module exporting one array of package names, already ranked by weekly downloads,
without counts. It is read as text, never executed: inside `export const <name> = [ ... ]` only
string literals, commas, white space and comments are accepted; anything else is an error.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from artifact.errors import SchemaError

_ARRAY = re.compile(r"export\s+const\s+[A-Za-z_$][\w$]*\s*=\s*\[(?P<body>.*?)\]", re.S)
_ITEM = re.compile(r"""\s*(?:'(?P<single>[^'\\\n]+)'|"(?P<double>[^"\\\n]+)")\s*(?:,|$)""")
_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)


def parse_top_download(text: str, source: str = "<text>") -> list[str]:
    """The names of the exported array in `text`, in order; `source` names the file in errors."""
    array = _ARRAY.search(text)
    if array is None:
        raise SchemaError(f"{source}: no `export const <name> = [...]` found; check that the file is the pinned input")
    body, names, position = _COMMENTS.sub("", array.group("body")).strip(), [], 0
    while position < len(body):
        item = _ITEM.match(body, position)
        if item is None:
            raise SchemaError(f"{source}: unexpected {body[position:position + 40]!r} in the exported array (only strings)")
        names.append(item.group("single") or item.group("double"))
        position = item.end()
    if not names:
        raise SchemaError(f"{source}: the exported array is empty")
    return names


def load_npm_top(path: Path) -> pd.DataFrame:
    """Tidy ranked list (`name` str, `position` int, 1 = most downloaded) from a top-download.js file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise SchemaError(f"{path} is not UTF-8 text ({error}); check that the file is the pinned input") from None
    names = parse_top_download(text, str(path))
    return pd.DataFrame({"name": names, "position": range(1, len(names) + 1)})
