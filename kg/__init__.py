"""otkg: knowledge graph of occupational therapy care packages (sources -> build -> graph)."""
