/**
 * The tests that failed, by name, with the first lines of their error, from vitest's and Playwright's JSON reports:
 * `npm test` prints them right above its closing line, because CI shows only the end of a long log and each
 * step's own report is far above it. A browser test that failed and then passed when run again is named as flaky.
 */
/** The error's first three non-empty lines (an assertion's "Expected … Received …" is on the next two), colours dropped, on one line. */
const firstLine = (t: unknown): string => {
  const lines = String(t ?? '')
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^at /.test(l) && !/^[>|\d\s]+\|/.test(l))
  const text = lines.slice(0, 3).join(' / ')
  return text.length > 300 ? `${text.slice(0, 299)}…` : text
}

type VitestReport = {
  testResults?: {
    name: string
    message?: string
    status?: string
    assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[]
  }[]
}
type PwSpec = {
  title: string
  file: string
  line?: number
  tests?: { projectName?: string; status: string; results?: { status: string; error?: { message?: string } }[] }[]
}
type PwSuite = { title: string; specs?: PwSpec[]; suites?: PwSuite[] }
type PwReport = { suites?: PwSuite[]; errors?: { message?: string }[] }

export function namedFailures(vitest: unknown, playwright: unknown, cwd: string): string[] {
  const named: string[] = []
  const v = vitest as VitestReport | null
  for (const file of v?.testResults ?? []) {
    const rel = file.name.startsWith(`${cwd}/`) ? file.name.slice(cwd.length + 1) : file.name
    const bad = (file.assertionResults ?? []).filter((a) => a.status === 'failed')
    for (const a of bad) named.push(`failed: ${rel} > ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`)
    if (!bad.length && file.status === 'failed') named.push(`failed: ${rel}: ${firstLine(file.message)}`)
  }
  const p = playwright as PwReport | null
  const walk = (suite: PwSuite) => {
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests ?? []) {
        if (t.status !== 'unexpected' && t.status !== 'flaky') continue
        const err = (t.results ?? []).find((r) => r.error)?.error?.message
        const what = t.status === 'flaky' ? 'flaky (passed when run again)' : 'failed'
        named.push(
          `${what}: test/e2e/${spec.file}:${spec.line ?? '?'} > ${spec.title} [${t.projectName ?? ''}]: ${firstLine(err)}`,
        )
      }
    for (const s of suite.suites ?? []) walk(s)
  }
  for (const s of p?.suites ?? []) walk(s)
  for (const e of p?.errors ?? []) named.push(`browser tests error: ${firstLine(e.message)}`)
  return named
}
