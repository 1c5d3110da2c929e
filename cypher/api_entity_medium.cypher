// name: api_entity_medium
// params: $id: Medium id (E:…)
// returns: id, label, (no other columns) — one Medium by primary key (no hashes)
// example: {"id": "E:1"}
MATCH (n:Medium {id: $id})
RETURN n.id AS id,
       'Medium' AS label
