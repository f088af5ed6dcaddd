"""The manual: chapter model, loader, validation and the pages derived from it (no MkDocs)."""
