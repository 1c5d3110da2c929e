"""Guanxi algorithms."""
