"""Render the model as Markdown (`python -m guanxi.graph.model_doc > docs/model.md`)."""

from __future__ import annotations

from guanxi.graph.model import ID_PREFIX, NODE_TYPES, REL_TYPES, SCHEMA_VERSION
from guanxi.graph.model import __doc__ as MODEL_DOC


def render() -> str:
    """Return docs/model.md: every label and relationship type with properties and keys."""
    out = [
        "# The Guanxi graph model",
        "",
        f"Schema version {SCHEMA_VERSION}. Generated from `graph/model.py` by "
        "`python -m guanxi.graph.model_doc`; a test keeps the two in step.",
        "",
        *(line[4:] if line.startswith("    ") else line
          for line in (MODEL_DOC or "").strip().splitlines()[2:]),
        "",
        "## Node labels",
        "",
    ]
    for nt in NODE_TYPES:
        out += [f"### {nt.label}", "", nt.doc, "",
                f"Key: `id` = `{nt.id_doc or ID_PREFIX[nt.label] + ':…'}` (unique constraint).", "",
                "| property | type | meaning |", "|---|---|---|"]
        out += [f"| `{p.name}` | {p.type} | {p.doc} |" for p in nt.props]
        out.append("")
    out += ["## Relationship types", ""]
    for rt in REL_TYPES:
        pairs = ", ".join(f"({a})→({b})" for a, b in rt.pairs)
        out += [f"### {rt.type}", "", rt.doc, "", f"Connects: {pairs}.", "",
                "Key: `key` INT64, hash of the natural key (indexed on Neo4j).", ""]
        if rt.props:
            out += ["| property | type | meaning |", "|---|---|---|"]
            out += [f"| `{p.name}` | {p.type} | {p.doc} |" for p in rt.props]
            out.append("")
        if rt.side:
            names = ", ".join(f"`{n}`" for n in rt.side)
            out += [f"The embedded store keeps {names} in the node table `{rt.type}_side`, "
                    "keyed by `key` (see docs/backends.md); queries read them as relationship "
                    "properties only on Neo4j.", ""]
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
