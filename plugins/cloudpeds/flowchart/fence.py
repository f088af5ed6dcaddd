"""The ```flowchart fence for pymdownx.superfences (any Python-Markdown host can load it).

In mkdocs.yml::

    markdown_extensions:
      - pymdownx.superfences:
          custom_fences:
            - name: flowchart
              class: flowchart
              format: !!python/name:cloudpeds.flowchart.fence.format
"""

from __future__ import annotations

from html import escape

from ..markup.trust import trusted
from .compile import compile_chart, figure_html


def format(source: str, language: str, class_name: str, options: dict, md, **kwargs) -> str:
    chart = compile_chart(source)
    if not chart.ok:
        # `cloudpeds check` and the build report these with file and line; this is for previews.
        problems = "".join(f"<li>{p.line}:{p.col}: {escape(p.message)}</li>" for p in chart.problems)
        return trusted(f'<div class="cp-fc-error" role="alert"><p>flowchart:</p><ul>{problems}</ul></div>')
    return trusted(figure_html(chart))
