// name: api_entity_community
// params: $id: Community id (Y:…)
// returns: id, label, size — one Community by primary key (no hashes)
// example: {"id": "Y:1"}
MATCH (n:Community {id: $id})
RETURN n.id AS id,
       'Community' AS label,
       n.size AS size
