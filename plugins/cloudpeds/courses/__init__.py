"""Video courses derived from the manual: course metadata, captions, lesson ↔ chapter links (no MkDocs)."""
