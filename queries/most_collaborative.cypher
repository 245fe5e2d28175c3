// name: most_collaborative
// description: The authors with the most distinct co-authors (kg build ranks the first 1,000), each with a label telling namesakes apart.
// param limit: integer = 20 - at most this many authors (up to 1,000)
// columns: author, person, coauthors, papers
// people: author by person
MATCH (a:Author)
WHERE a.collaboration_rank <= $limit
RETURN a.name AS author, a.key AS person, a.coauthors AS coauthors, a.papers AS papers
ORDER BY coauthors DESC, papers DESC, author, person
LIMIT $limit
