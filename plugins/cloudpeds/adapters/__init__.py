"""Thin MkDocs adapters over the domain library. The only modules allowed to import mkdocs."""
