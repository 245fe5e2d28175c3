// name: lineage_datasets
// description: The datasets used by the papers proposing a method and the methods that build on it (up to 3 steps).
// param method: method - the method
// param limit: integer = 50 - at most this many datasets
// columns: dataset, papers, methods
MATCH (m:Method {key: $method})
WITH m
OPTIONAL MATCH (d:Method)-[:BUILDS_ON*1..3]->(m)
WITH m, collect(DISTINCT d) AS descendants
UNWIND descendants + [m] AS x
MATCH (p:Paper)-[:PROPOSES]->(x)
WITH DISTINCT x, p
MATCH (p)-[:EVALUATED_ON]->(ds:Dataset)
RETURN ds.name AS dataset, count(DISTINCT p) AS papers, collect(DISTINCT x.name) AS methods
ORDER BY papers DESC, dataset
LIMIT $limit
