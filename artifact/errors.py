"""One exception type per kind of failure, each message telling the user what to do next.

The CLI prints an `ArtifactError` as a short message without a traceback (unless --debug).
"""

import re
from collections.abc import Iterable

# A failed task's recorded error starts a line with the exception's class (module-qualified in a traceback:
# SettingsError is defined in artifact.config, the others here).
_INPUT_ERROR_LINE = re.compile(
    r"^(?:(?:artifact\.errors\.)?(?:InputMissingError|ChecksumMismatchError|SchemaError|CacheWriteError)|(?:artifact\.config\.)?SettingsError): ",
    re.M,
)


class ArtifactError(Exception):
    """A failure the user can act on: the message names the file, table or checksum at fault."""


class InputMissingError(ArtifactError):
    """An input file could not be found, fetched or read from the mirror or cache."""


class ChecksumMismatchError(ArtifactError):
    """An input's bytes differ from the pinned checksum."""


class CacheWriteError(ArtifactError):
    """The download cache could not store an input's bytes (a full disk, a quota): the cache's fault, not the source's."""


class SchemaError(ArtifactError):
    """An input lacks an expected table or column, or a value has the wrong form."""


def is_input_error(error_text: str) -> bool:
    """Whether a task's recorded error (or traceback) is an input error: exit code 2, not 1."""
    return _INPUT_ERROR_LINE.search(error_text) is not None


def failure_exit_code(error_texts: Iterable[str]) -> int:
    """The exit code of a run whose tasks failed with these errors: 2 if any is an input error, else 1."""
    return 2 if any(is_input_error(text) for text in error_texts) else 1
