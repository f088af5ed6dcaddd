"""Editions of the manual: metadata (manual/editions.yml), structured snapshots, the changelog
between two editions, and publishing an edition into an immutable releases folder.

Imports nothing from MkDocs: the build itself is passed in by the caller (cloudpeds.cli)."""
