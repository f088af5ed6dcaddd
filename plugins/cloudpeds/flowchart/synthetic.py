"""Synthetic charts of a given size, for benchmarks and layout tests."""

from __future__ import annotations

_KINDS = ("urgent", "routine", "observe", "home", "treat")


def synthetic_chart(nodes: int) -> str:
    """A ladder of decisions with a disposition beside each, plus some merging edges: ``nodes`` nodes."""
    decisions = (nodes - 2) // 2
    lines = ["flowchart TD", "  S[开始评估 start assessment] --> D0"]
    for i in range(decisions):
        lines.append(f"  D{i}{{问题 {i}：是否出现征象 {i}？}} -->|是| L{i}[处置 {i}：按指引处理]:::{_KINDS[i % 5]}")
        following = f"D{i + 1}" if i + 1 < decisions else "E"
        lines.append(f"  D{i} -->|否| {following}")
        if i % 7 == 3 and i + 3 < decisions:
            lines.append(f"  L{i} --> D{i + 3}") if _KINDS[i % 5] == "treat" else None
    lines.append("  E(居家照护 home care):::home")
    extra = nodes - (2 + 2 * decisions)
    for j in range(extra):
        lines.append(f"  E --> X{j}[随访 {j}]:::observe")
    return "\n".join(lines) + "\n"
