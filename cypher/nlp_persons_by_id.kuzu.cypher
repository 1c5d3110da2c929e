// name: nlp_persons_by_id
// params: $ids: Person ids
// returns: id, name, sex, birth_date, id_hash, grid_id, household_id — the persons with those ids (kuzu: primary-key lookups)
// example: {"ids": ["P:1"]}
UNWIND $ids AS x
MATCH (n:Person {id: x})
RETURN n.id AS id, n.name AS name, n.sex AS sex, n.birth_date AS birth_date,
       n.id_hash AS id_hash, n.grid_id AS grid_id, n.household_id AS household_id
ORDER BY id
