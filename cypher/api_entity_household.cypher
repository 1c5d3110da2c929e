// name: api_entity_household
// params: $id: Household id (H:…)
// returns: id, label, grid_id, address — one Household by primary key (no hashes)
// example: {"id": "H:1"}
MATCH (n:Household {id: $id})
RETURN n.id AS id,
       'Household' AS label,
       n.grid_id AS grid_id,
       n.address AS address
