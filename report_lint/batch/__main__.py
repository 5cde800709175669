import sys

from report_lint.batch.cli import main

sys.exit(main())
