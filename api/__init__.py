"""Guanxi api."""
