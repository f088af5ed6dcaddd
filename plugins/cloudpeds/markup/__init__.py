"""HTML that comes from content (chapter bodies, ``content/`` pages): what it may contain (`allowlist`), the
check that names what it may not at the source line (`source`), and the sanitizer that the Markdown
rendering applies to it, leaving the site's own generated blocks alone (`sanitize`)."""
