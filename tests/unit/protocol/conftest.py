"""Make ``protocol_samples`` (the spec-driven sample builder) importable by the tests here.

The suite runs with ``--import-mode=importlib``, which does not put test folders on
``sys.path``; this conftest is loaded before the test modules of its folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
