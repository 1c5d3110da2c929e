// name: api_supply_chain_get
// params: $id: SupplyChain id
// returns: id, core_id, size, profile_json, computed_at
// example: {"id": "Z:C:1"}
MATCH (z:SupplyChain {id: $id})
RETURN z.id AS id, z.core_id AS core_id, z.size AS size, z.profile_json AS profile_json,
       z.computed_at AS computed_at
