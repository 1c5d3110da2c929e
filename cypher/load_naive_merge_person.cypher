// name: load_naive_merge_person
// params: $id: Person id; $id_hash; $name; $sex; $birth_date; $tier; $household_id
// returns: id — the Person merged; the row-by-row baseline of bench/load.py
// example: {"id": "P:naive-example", "id_hash": "h", "name": "张三", "sex": "男", "birth_date": "1980-01-01", "tier": "基础", "household_id": "H:1"}
MERGE (p:Person {id: $id})
SET p.id_hash = $id_hash, p.name = $name, p.sex = $sex, p.birth_date = $birth_date,
    p.tier = $tier, p.household_id = $household_id
RETURN p.id AS id
