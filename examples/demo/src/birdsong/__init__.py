"""Bird song classifier (report-lint demo project)."""
