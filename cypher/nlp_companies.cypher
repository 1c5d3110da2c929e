// name: nlp_companies
// params: $names: exact company names; $codes: USCCs; $ids: Company ids
// returns: id, name, uscc, address, legal_rep_name, grid_id — companies matching any of them (entity-linking candidates)
// example: {"names": ["祁门茶业有限公司"], "codes": ["91341024MA2N0XXXX1"], "ids": ["C:1"]}
MATCH (n:Company) WHERE n.name IN $names OR n.uscc IN $codes OR n.id IN $ids
RETURN n.id AS id, n.name AS name, n.uscc AS uscc, n.address AS address,
       n.legal_rep_name AS legal_rep_name, n.grid_id AS grid_id
ORDER BY id
