"""The reproduction report: claims checked against outputs, rendered as Markdown and HTML."""
