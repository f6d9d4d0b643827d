"""One exception type per kind of failure, each message telling the user what to do next.

The CLI prints an `ArtifactError` as a short message without a traceback (unless --debug).
"""


class ArtifactError(Exception):
    """A failure the user can act on: the message names the file, table or checksum at fault."""


class InputMissingError(ArtifactError):
    """An input file could not be found, fetched or read from the mirror or cache."""


class ChecksumMismatchError(ArtifactError):
    """An input's bytes differ from the pinned checksum."""


class SchemaError(ArtifactError):
    """An input lacks an expected table or column, or a value has the wrong form."""
