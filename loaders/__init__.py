"""Guanxi loaders."""
