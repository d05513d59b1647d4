"""Benchmark of the two designs: the same jobs through each, side by side (python -m bench)."""
