"""Make ``storage_helpers`` importable by the tests here (``--import-mode=importlib`` does
not put test folders on ``sys.path``) and share the storage fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
