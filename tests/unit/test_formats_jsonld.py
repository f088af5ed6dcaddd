"""The JSON-LD data block: no chapter text can end the element; absolute URL only with site_url."""

from __future__ import annotations

import json
import re

from cloudpeds.formats.jsonld import medical_web_page, script_element


def test_script_element_escapes_what_could_end_it():
    element = script_element({"name": "</script><script>alert(1)</script> & <!--"})
    body = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', element).group(1)
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body)["name"] == "</script><script>alert(1)</script> & <!--"


def test_url_only_with_site_url(project):
    from cloudpeds.manual.validate import check

    manual, _ = check(project / "manual", root=project)
    chapter = next(iter(manual.chapters["zh"].values()))
    without = medical_web_page(chapter.meta, "zh", manual.references, doc="manual/x.md")
    assert "url" not in without and without["@type"] == "MedicalWebPage"
    with_url = medical_web_page(chapter.meta, "en", manual.references, doc="en/manual/x.md",
                                site_url="https://peds.example.org/m")
    assert with_url["url"] == "https://peds.example.org/m/en/manual/x/" and with_url["inLanguage"] == "en"
