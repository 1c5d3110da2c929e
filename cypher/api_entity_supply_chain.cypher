// name: api_entity_supply_chain
// params: $id: SupplyChain id (Z:…)
// returns: id, label, size — one SupplyChain by primary key (no hashes)
// example: {"id": "Z:1"}
MATCH (n:SupplyChain {id: $id})
RETURN n.id AS id,
       'SupplyChain' AS label,
       n.size AS size
