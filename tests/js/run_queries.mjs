// Runs Cypher through the official Neo4j JavaScript driver (a second client beside Python's),
// for tests/test_neo4j_dates.py. Reads one JSON object on stdin:
//   {"uri": "...", "user": "...", "password": "...", "database": "neo4j",
//    "queries": [{"text": "...", "params": {...}, "dates": ["on"]}]}
// Parameters named in "dates" are sent as neo4j.types.Date (from YYYY-MM-DD), whole numbers as
// Cypher integers. Prints a JSON array: for each query, its rows as objects, with dates as
// ISO text and integers as numbers. Each query runs in a READ transaction.
import neo4j from "neo4j-driver";

function plain(value) {
  if (value === null || value === undefined) return null;
  if (neo4j.isInt(value)) return value.toNumber();
  if (neo4j.isDate(value) || neo4j.isDateTime(value) || neo4j.isLocalDateTime(value)) {
    return value.toString();
  }
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

function parameters(params, dates) {
  const out = {};
  for (const [name, value] of Object.entries(params)) {
    if (dates.includes(name) && value !== null) {
      const [y, m, d] = value.split("-").map(Number);
      out[name] = new neo4j.types.Date(y, m, d);
    } else if (Number.isInteger(value)) {
      out[name] = neo4j.int(value);
    } else {
      out[name] = value;
    }
  }
  return out;
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const spec = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const driver = neo4j.driver(spec.uri, neo4j.auth.basic(spec.user, spec.password));
const answers = [];
try {
  for (const q of spec.queries) {
    const session = driver.session({ database: spec.database, defaultAccessMode: neo4j.session.READ });
    try {
      const result = await session.executeRead((tx) =>
        tx.run(q.text, parameters(q.params, q.dates || [])),
      );
      answers.push(result.records.map((r) => plain(r.toObject())));
    } finally {
      await session.close();
    }
  }
} finally {
  await driver.close();
}
process.stdout.write(JSON.stringify(answers));
