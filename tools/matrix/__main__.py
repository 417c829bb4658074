"""``python -m matrix`` (from tools/): the matrix, as ``tox -e interpreters`` runs it."""

import signal
import sys

from .main import main

signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
try:
    sys.exit(main(sys.argv[1:]))
except KeyboardInterrupt:
    print("interrupted: every mount was in the children's own mount namespaces, gone with them")
    sys.exit(130)
