// name: nlp_persons_by_birth
// params: $dates: birth dates 'YYYY-MM-DD'
// returns: id, name, sex, birth_date, id_hash, grid_id, household_id — persons born on one of the dates (candidates for masked names) (kuzu: the dates joined by hash; `IN $dates` compares every person with every date)
// example: {"dates": ["1970-08-20"]}
UNWIND $dates AS x
MATCH (n:Person {birth_date: x})
RETURN n.id AS id, n.name AS name, n.sex AS sex, n.birth_date AS birth_date,
       n.id_hash AS id_hash, n.grid_id AS grid_id, n.household_id AS household_id
ORDER BY id
