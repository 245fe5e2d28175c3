// Lint Cypher texts with Neo4j's own front end (@neo4j-cypher/language-support).
// stdin: {"schema": {labels, relationshipTypes, propertyKeys}, "texts": [{"name", "text", "parameters"}]}
// stdout: [{"name", "diagnostics": [{"severity", "message", "line", "character"}]}]
// Severity 1 is an error, 2 a warning (an unknown label, type or property key, a deprecation).
const { lintCypherQuery } = require('@neo4j-cypher/language-support');

let input = '';
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const { schema, texts } = JSON.parse(input);
  const out = texts.map(({ name, text, parameters }) => {
    const result = lintCypherQuery(text, { ...schema, parameters });
    const diagnostics = (result.diagnostics || result).map((d) => ({
      severity: d.severity, message: d.message, line: d.range.start.line, character: d.range.start.character,
    }));
    return { name, diagnostics };
  });
  process.stdout.write(JSON.stringify(out));
});
