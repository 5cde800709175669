"""report-lint: a linter for templated exam reports."""

__version__ = "0.1.0"
