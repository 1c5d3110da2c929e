// name: api_supply_chains
// params: $skip: rows to skip; $limit: max rows
// returns: id, core_id, core_name, size, profile_json, computed_at — supply chains, largest first
// example: {"skip": 0, "limit": 10}
MATCH (z:SupplyChain)
OPTIONAL MATCH (c:Company {id: z.core_id})
RETURN z.id AS id, z.core_id AS core_id, c.name AS core_name, z.size AS size,
       z.profile_json AS profile_json, z.computed_at AS computed_at
ORDER BY size DESC, id SKIP $skip LIMIT $limit
