"""Site search: one tokenizer (mirrored in JS), synonyms, section-level documents, a lunr.py index
prebuilt per language and shipped as a .js file (works from file://). No MkDocs."""
