"""Checklist claims against the repository."""
