// name: lineage_datasets
// description: The datasets used by the papers proposing a method and the methods that build on it (up to 3 steps).
// param method: method - the method
// param limit: integer = 50 - at most this many datasets
// columns: dataset, papers, methods
// The lineage is reached one level at a time, each method kept once, rather than by matching
// BUILDS_ON*1..3, which enumerates every path: under a method that thousands of methods build on,
// the paths outnumber the methods by orders of magnitude. The OPTIONAL MATCHes keep the method
// itself when nothing builds on it.
MATCH (m:Method {key: $method})
OPTIONAL MATCH (m)<-[:BUILDS_ON]-(d1:Method)
WITH m, d1
OPTIONAL MATCH (d1)<-[:BUILDS_ON]-(d2:Method)
WITH m, collect(DISTINCT d1) + collect(DISTINCT d2) AS near
UNWIND near + [m] AS x
WITH DISTINCT x
OPTIONAL MATCH (x)<-[:BUILDS_ON]-(d3:Method)
WITH collect(DISTINCT x) + collect(DISTINCT d3) AS reached
UNWIND reached AS x
WITH DISTINCT x
MATCH (p:Paper)-[:PROPOSES]->(x)
WITH DISTINCT x, p
MATCH (p)-[:EVALUATED_ON]->(ds:Dataset)
RETURN ds.name AS dataset, count(DISTINCT p) AS papers, collect(DISTINCT x.name) AS methods
ORDER BY papers DESC, dataset
LIMIT $limit
