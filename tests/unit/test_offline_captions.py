"""The offline profile's script copies of the captions (Chromium loads no <track> from file://)."""

from __future__ import annotations

import json
import subprocess

from cloudpeds.delivery.offline import write_caption_scripts


def test_every_caption_gets_a_script_copy_that_node_can_read_back(tmp_path):
    captions = tmp_path / "media" / "captions"
    captions.mkdir(parents=True)
    text = "WEBVTT\n\n00:00.000 --> 00:02.000\n发热 </script> \"quoted\" \\ 38 °C\n"
    (captions / "a.zh.vtt").write_text(text, encoding="utf-8")
    assert write_caption_scripts(tmp_path) == ["media/captions/a.zh.vtt.js"]
    script = (captions / "a.zh.vtt.js").read_text(encoding="utf-8")
    assert "</script>" not in script
    out = subprocess.run(["node", "-e", f"var window = {{}}; {script}; "
                          "process.stdout.write(JSON.stringify(window.cpCaptions))"],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == {"a.zh.vtt": text}
    assert write_caption_scripts(tmp_path / "nothing") == []
