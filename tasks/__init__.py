"""Luigi tasks: thin wrappers that wire inputs to `artifact` functions, one task per stage."""
