// name: nlp_persons_by_name
// params: $names: exact person names
// returns: id, name, sex, birth_date, id_hash, grid_id, household_id — persons with one of the names (entity-linking candidates) (kuzu: the names joined by hash; `IN $names` compares every person with every name)
// example: {"names": ["张三", "李四"]}
UNWIND $names AS x
MATCH (n:Person {name: x})
RETURN n.id AS id, n.name AS name, n.sex AS sex, n.birth_date AS birth_date,
       n.id_hash AS id_hash, n.grid_id AS grid_id, n.household_id AS household_id
ORDER BY id
