"""Benchmarks of otkg against the stores users would pick instead (a command, not a test)."""
