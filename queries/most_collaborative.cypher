// name: most_collaborative
// description: The authors with the most distinct co-authors.
// param limit: integer = 20 - at most this many authors
// columns: author, coauthors, papers
MATCH (a:Author)-[:CO_AUTHOR]->(b:Author)
WITH a, count(DISTINCT b) AS coauthors
MATCH (a)-[:AUTHORED]->(p:Paper)
RETURN a.name AS author, coauthors, count(DISTINCT p) AS papers
ORDER BY coauthors DESC, papers DESC, author
LIMIT $limit
