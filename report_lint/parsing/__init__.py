"""Markdown to positioned nodes (mistune 3 plus our own position layer)."""

from .markdown import parse_markdown
from .nodes import Node, Span

__all__ = ["Node", "Span", "parse_markdown"]
