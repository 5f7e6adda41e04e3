"""Trusts' contributions: who may write which local graph, what an upload may say, the history of
every write, and the one write path that PUT, sheet imports, /contribute and the CLI all take."""
