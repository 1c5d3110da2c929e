// name: api_entity_customer_manager
// params: $id: CustomerManager id (M:…)
// returns: id, label, name, phone_last4 — one CustomerManager by primary key (no hashes)
// example: {"id": "M:1"}
MATCH (n:CustomerManager {id: $id})
RETURN n.id AS id,
       'CustomerManager' AS label,
       n.name AS name,
       n.phone_last4 AS phone_last4
