"""Readers of the authors' archived outputs (notebook text, an embedded PNG, figure PDFs), read as data.

Nothing of the authors' is executed or unpickled: the notebook is read as JSON, its code as text,
the PNG as pixels and the PDFs as drawing operations.
"""
