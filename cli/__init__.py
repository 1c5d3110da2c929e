"""Guanxi cli."""
