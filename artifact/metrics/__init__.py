"""The paper's metrics as pure functions: tables in, tables out, no I/O."""
