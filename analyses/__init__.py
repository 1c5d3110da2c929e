"""Analyses: projection → pure algorithm → typed result → write-back.

Each module here reads a projection of the store, runs the pure functions of
`guanxi.algorithms` and writes typed results back for the API to serve. This layer may import
graph/ (model vocabulary and storage contract), cypher/ and algorithms/; nothing below it
imports it, and only api/ and cli/ sit above it.
"""
