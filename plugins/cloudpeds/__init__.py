"""cloudpeds: a static site generator for a pediatric clinical decision-support manual.

The domain code (everything but :mod:`cloudpeds.adapters`) never imports MkDocs.
"""

__version__ = "0.1.0"
