"""One exception type per kind of failure, each message telling the user what to do next.

The CLI prints an `ArtifactError` as a short message without a traceback (unless --debug).
"""

import re

# A task's traceback as the scheduler records it names the exception's class on its last line(s).
_INPUT_ERROR_LINE = re.compile(r"^artifact\.errors\.(InputMissingError|ChecksumMismatchError|SchemaError): ", re.M)


class ArtifactError(Exception):
    """A failure the user can act on: the message names the file, table or checksum at fault."""


class InputMissingError(ArtifactError):
    """An input file could not be found, fetched or read from the mirror or cache."""


class ChecksumMismatchError(ArtifactError):
    """An input's bytes differ from the pinned checksum."""


class SchemaError(ArtifactError):
    """An input lacks an expected table or column, or a value has the wrong form."""


def is_input_error(traceback_text: str) -> bool:
    """Whether a task's recorded traceback ends in an input error (exit code 2, not 1)."""
    return _INPUT_ERROR_LINE.search(traceback_text) is not None
