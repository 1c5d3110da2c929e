// name: api_entity_grid
// params: $id: Grid id (G:…)
// returns: id, label, name, manager_id, kind — one Grid by primary key (no hashes)
// example: {"id": "G:1"}
MATCH (n:Grid {id: $id})
RETURN n.id AS id,
       'Grid' AS label,
       n.name AS name,
       n.manager_id AS manager_id,
       n.kind AS kind
