// name: api_entity_mention
// params: $id: Mention id (X:…)
// returns: id, label, name, kind — one Mention by primary key (no hashes)
// example: {"id": "X:1"}
MATCH (n:Mention {id: $id})
RETURN n.id AS id,
       'Mention' AS label,
       n.name AS name,
       n.kind AS kind
