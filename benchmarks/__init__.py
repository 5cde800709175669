"""report-lint benchmarks (not tests): ``python -m benchmarks`` runs them all, see README.md."""
