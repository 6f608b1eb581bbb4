"""Registry of delegated public authority: who holds which power, from whom, by which instrument."""

__version__ = "0.1.0"

import os as _os

# Piccolo finds its engine through this module; set it before any table is imported.
_os.environ.setdefault("PICCOLO_CONF", "registry.piccolo_conf")
