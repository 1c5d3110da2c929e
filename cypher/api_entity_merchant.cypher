// name: api_entity_merchant
// params: $id: Merchant id (S:…)
// returns: id, label, name, grid_id — one Merchant by primary key (no hashes)
// example: {"id": "S:1"}
MATCH (n:Merchant {id: $id})
RETURN n.id AS id,
       'Merchant' AS label,
       n.name AS name,
       n.grid_id AS grid_id
