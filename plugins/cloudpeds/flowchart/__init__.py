"""Flowcharts: a Mermaid subset compiled at build time to a validated decision graph, an
accessible static SVG, a text outline and the data for the step-through walker. No MkDocs."""

from .compile import Chart, compile_chart

__all__ = ["Chart", "compile_chart"]
