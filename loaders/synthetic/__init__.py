"""The synthetic county generator behind `guanxi generate`: a bank extract in the format of
docs/extract-format.md (declared once, in `guanxi.loaders.schema`), with planted facts.

`generate.generate_county` is the entry point; `people`, `bank`, `flows` and `docs` build the
population, the bank's books, the money flows and the court/regulator documents; `names` and
`ids` draw names and valid identifiers.
"""
