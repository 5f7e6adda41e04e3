"""otkg: knowledge graph of occupational therapy care packages (sources -> build -> graph)."""

__version__ = "0.1.0"
