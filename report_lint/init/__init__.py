"""``report-lint init TEMPLATE.md``: a commented rule pack for a course's blank template.

``scan.py`` finds the question headings, ``answers.py`` where answers go and the stated limits,
``render.py`` writes the YAML, ``draft.py`` puts them together.  A DTU template gets a pack that
extends the built-in one for its generation.  Nothing here writes anywhere: the caller decides where
the text goes.

Nothing is imported here: ``report_lint.cli`` imports ``init.cli`` to register the subcommand on every
run, and the template reading (``draft`` and what it pulls in, ≈ 12 ms) is for ``init`` alone.
"""
