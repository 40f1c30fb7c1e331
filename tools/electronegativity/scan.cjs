// Runs electronegativity through its library entry and prints one JSON object on stdout:
// { errors: [{file, message}], issues: [{id, severity, confidence, file, line, column, sample, description, manualReview}] }.
// Why not the CLI's -o file.csv: the CLI writes the CSV header and the rows with two unordered async
// writes, so the header can overwrite the first row (seen here with v1.10.3); SARIF drops the severity.
// Usage: node tools/electronegativity/scan.cjs <dir> <electron-version>
'use strict'
const path = require('node:path')
const run = require('@doyensec/electronegativity/dist/runner.js')

async function main() {
  const [input, electronVersion] = process.argv.slice(2)
  if (!input || !electronVersion) throw new Error('usage: scan.cjs <dir> <electron-version>')
  const log = console.log
  console.log = () => {} // the library prints progress to stdout; stdout is for our JSON only
  let result
  try {
    result = await run({
      input: path.resolve(input), output: undefined, isSarif: false, customScan: [], excludeFromScan: [],
      severitySet: undefined, confidenceSet: undefined, isRelative: true, isVerbose: false,
      electronUpgrade: undefined, electronVersionOverride: electronVersion, parserPlugins: [],
    }, false)
  } finally {
    console.log = log
  }
  const root = path.resolve(input)
  const rel = (f) => (path.isAbsolute(f) ? path.relative(root, f) : String(f)).split(path.sep).join('/')
  process.stdout.write(JSON.stringify({
    errors: result.errors.map((e) => ({ file: rel(e.file), message: e.message, tolerable: Boolean(e.tolerable) })),
    issues: result.issues.map((i) => ({
      id: i.id, severity: i.severity && i.severity.name, confidence: i.confidence && i.confidence.name,
      file: rel(i.file), line: i.location.line, column: i.location.column, sample: i.sample || '',
      description: i.description, manualReview: Boolean(i.manualReview),
    })),
  }))
}

main().catch((err) => {
  process.stderr.write(`electronegativity scan failed: ${err && err.stack ? err.stack : err}\n`)
  process.exit(1)
})
