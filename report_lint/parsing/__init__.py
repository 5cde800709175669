"""Markdown to positioned nodes (mistune 3 plus our own position layer)."""
