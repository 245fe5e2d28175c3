// name: author_methods
// description: The methods an author proposed, with the paper and its date.
// param author: author - the author
// param limit: integer = 50 - at most this many rows
// columns: method, paper, date
MATCH (a:Author {key: $author})-[:AUTHORED]->(p:Paper)-[:PROPOSES]->(m:Method)
RETURN m.name AS method, p.title AS paper, p.date AS date
ORDER BY date, method
LIMIT $limit
