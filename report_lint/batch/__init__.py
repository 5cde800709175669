"""Staff batch mode: lint every group's repository at once (``report-lint batch``).

``discover`` finds repositories, ``worker`` lints one (work tree, or a commit through
``gitsource.GitCommitSource`` for ``--at``), ``runner`` runs them in parallel processes, and
``writers``/``dashboard`` write results.csv, results.json and dashboard.html.
"""
