// name: api_entity_company
// params: $id: Company id (C:…)
// returns: id, label, name, tier, is_customer, grid_id, manager_id, uscc, legal_rep_name, industry, registered_capital, status, address, as_of — one Company by primary key (no hashes)
// example: {"id": "C:1"}
MATCH (n:Company {id: $id})
RETURN n.id AS id,
       'Company' AS label,
       n.name AS name,
       n.tier AS tier,
       n.is_customer AS is_customer,
       n.grid_id AS grid_id,
       n.manager_id AS manager_id,
       n.uscc AS uscc,
       n.legal_rep_name AS legal_rep_name,
       n.industry AS industry,
       n.registered_capital AS registered_capital,
       n.status AS status,
       n.address AS address,
       n.as_of AS as_of
