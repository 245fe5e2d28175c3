// name: papers_building_on
// description: Papers that propose methods building on a method (up to 3 steps), dated within a range.
// param method: method - the method
// param since: date = 0001-01-01 - earliest date, YYYY-MM-DD (given a range, papers without a year are left out)
// param until: date = 9999-12-31 - latest date, YYYY-MM-DD
// param limit: integer = 50 - at most this many papers
// columns: paper, date, proposes, depth
// The descendants are reached one level at a time, each kept once with its least depth, rather than
// by matching BUILDS_ON*1..3: a variable-length match enumerates every path, and under a method that
// thousands of methods build on the paths outnumber the methods by orders of magnitude. The rows
// are sorted and cut before titles and names are projected. Without a range, the test of the range
// is skipped, and papers without a date stay in.
MATCH (:Method {key: $method})<-[:BUILDS_ON]-(d1:Method)
WITH DISTINCT d1
OPTIONAL MATCH (d1)<-[:BUILDS_ON]-(d2:Method)
WITH collect(DISTINCT [d1, 1]) + collect(DISTINCT CASE WHEN d2 IS NOT NULL THEN [d2, 2] END) AS reached
UNWIND reached AS r
WITH r[0] AS x, min(r[1]) AS depth
OPTIONAL MATCH (x)<-[:BUILDS_ON]-(d3:Method)
WITH collect(DISTINCT [x, depth]) + collect(DISTINCT CASE WHEN d3 IS NOT NULL THEN [d3, depth + 1] END) AS reached
UNWIND reached AS r
WITH r[0] AS d, min(r[1]) AS depth
MATCH (p:Paper)-[:PROPOSES]->(d)
WHERE ($since = '0001-01-01' AND $until = '9999-12-31') OR (p.date >= $since AND p.date <= $until)
WITH p, d, depth
ORDER BY p.date, p.title, d.name
LIMIT $limit
RETURN p.title AS paper, p.date AS date, d.name AS proposes, depth
