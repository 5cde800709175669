import sys

from report_lint.cli import main

sys.exit(main())
