"""Open formats of the manual for readers and systems beyond the site: plain JSON with its JSON Schema
(`api`), schema.org JSON-LD in chapter pages (`jsonld`), FHIR clinical guideline resources (`fhir`) and a ZIM
file for Kiwix (`zim`). Domain code: nothing here imports MkDocs."""
