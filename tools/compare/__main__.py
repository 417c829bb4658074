"""``python -m compare``: see ``compare.run``."""

import sys

from .run import main

sys.exit(main())
