// name: api_entity_branch
// params: $id: Branch id (B:…)
// returns: id, label, name, address — one Branch by primary key (no hashes)
// example: {"id": "B:1"}
MATCH (n:Branch {id: $id})
RETURN n.id AS id,
       'Branch' AS label,
       n.name AS name,
       n.address AS address
