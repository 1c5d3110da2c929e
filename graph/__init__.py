"""Guanxi graph."""
