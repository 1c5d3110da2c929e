// name: api_entity_person
// params: $id: Person id (P:…)
// returns: id, label, name, sex, birth_date, phone_last4, tier, is_customer, tags, household_id, grid_id, manager_id, as_of — one Person by primary key (no hashes)
// example: {"id": "P:1"}
MATCH (n:Person {id: $id})
RETURN n.id AS id,
       'Person' AS label,
       n.name AS name,
       n.sex AS sex,
       n.birth_date AS birth_date,
       n.phone_last4 AS phone_last4,
       n.tier AS tier,
       n.is_customer AS is_customer,
       n.tags AS tags,
       n.household_id AS household_id,
       n.grid_id AS grid_id,
       n.manager_id AS manager_id,
       n.as_of AS as_of
