"""schema.org ``MedicalWebPage`` structured data for a chapter page, as a JSON-LD data block.

``<script type="application/ld+json">`` is data, not a script: browsers do not run it, so the CSP neither
needs nor gets a hash for it (`delivery.policy.inline_scripts` skips non-JavaScript types). The JSON is
written with ``<``, ``>`` and ``&`` escaped (``\\u003c``…), so no text of a chapter can end the element.
"""

from __future__ import annotations

import json

from ..manual.model import ChapterMeta, Reference
from .common import cited_references, page_url

#: BCP 47 tags of the site's languages (``zh`` is Simplified Chinese as written in mainland China).
LANGUAGE_TAGS = {"zh": "zh-CN", "en": "en"}


def _citation(reference: Reference) -> dict:
    data: dict = {"@type": "CreativeWork", "name": reference.title, "version": reference.version}
    if reference.publisher:
        data["publisher"] = {"@type": "Organization", "name": reference.publisher}
    if reference.url:
        data["url"] = reference.url
    return data


def medical_web_page(meta: ChapterMeta, lang: str, references: dict[str, Reference], *, doc: str,
                     site_url: str | None = None, directory_urls: bool = True) -> dict:
    """The page's ``MedicalWebPage``: for clinicians, about the chapter's symptom, last reviewed, its sources."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": meta.title,
        "inLanguage": LANGUAGE_TAGS.get(lang, lang),
        "audience": {"@type": "MedicalAudience", "audienceType": "Clinician"},
        "lastReviewed": meta.last_reviewed.isoformat(),
        "about": {"@type": "MedicalSignOrSymptom", "name": meta.title,
                  **({"alternateName": list(meta.synonyms)} if meta.synonyms else {})},
        "citation": [_citation(references[ref]) for ref in cited_references(meta) if ref in references],
    }
    if meta.summary:
        data["description"] = meta.summary
    if meta.reviewers:
        data["reviewedBy"] = [{"@type": "Person", "name": name} for name in meta.reviewers]
    if site_url:
        data["url"] = page_url(doc, site_url=site_url, directory_urls=directory_urls)
    return data


def script_element(data: dict) -> str:
    """``<script type="application/ld+json">…</script>`` on one line (a Markdown raw HTML block keeps it whole)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{text}</script>'
