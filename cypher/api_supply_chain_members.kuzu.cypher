// name: api_supply_chain_members
// params: $id: SupplyChain id; $limit: max rows
// returns: id, label, name, side, depth, is_customer — members of the chain (core, upstream, downstream)
// example: {"id": "Z:C:1", "limit": 10}
MATCH (m)-[r:IN_CHAIN]->(z:SupplyChain {id: $id})
RETURN m.id AS id, label(m) AS label, m.name AS name, r.side AS side, r.depth AS depth,
       m.is_customer AS is_customer
ORDER BY depth, id LIMIT $limit
