/**
 * The collector's JSON string writer (ConvertTo-SdcJson in main/collector/collector-script.ts), run in real PowerShell:
 * snapshot.json is written by hand, so every character a command's output or a log can hold must come out as JSON
 * that reads back to the same text — the backslash and the quote escaped, every control character as \u00xx (the
 * form the collector has always written: files collected before and after compare alike), nothing else touched.
 * The whole collector's output is compared with `scan --out` in collector-runs.test.ts; this walks every character.
 */
import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { collectorScript } from '../../../main/collector/collector-script.ts'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

const ps = requirePowerShell()

/** The function's text, as the collector carries it. */
function writerFunction(): string {
  const script = collectorScript({ version: '0.1.0' })
  const m = /^function ConvertTo-SdcJson\(\[string\]\$Text\) \{$[\s\S]*?^\}$/m.exec(script)
  if (!m) throw new Error('the collector has no ConvertTo-SdcJson')
  return m[0]
}

/** What the collector's JSON strings have always been: \\ and \" escaped, control characters as \u00xx, lower case. */
const expected = (text: string) =>
  `"${text.replace(/[\\"\x00-\x1f]/g, (c) => (c === '\\' ? '\\\\' : c === '"' ? '\\"' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))}"`

describe.runIf(ps)('the collector writes JSON strings by hand, in real PowerShell', () => {
  it('every character from U+0000 to U+007F, a CRLF log line, quotes, backslashes and text beyond ASCII read back as written', {
    timeout: hangMs(300_000),
  }, () => {
    const dir = tempDirSync('sd-coll-json-')
    const inputs = [
      Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join(''),
      '2024-11-12 10:01:02, Error                 CBS    Failed to resolve package [HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]\r\n',
      'C:\\Windows\\Logs\\CBS\\CBS.log "quoted" \\\\?\\GLOBALROOT\\device\\harddisk0\\partition4\\Recovery\\WindowsRE\t\tend',
      '\\"\\\\""\n\n\r\r\t\u0000\u001b[0m\u007f',
      'Mise à jour cumulative 2024-11 pour Windows 11 — ✓ 😀',
      '',
    ]
    for (const [i, text] of inputs.entries()) writeFileSync(join(dir, `in-${i}.txt`), text, 'utf8')
    const script = join(dir, 'check.ps1')
    writeFileSync(
      script,
      [
        'param([string]$Dir, [int]$Count)',
        writerFunction(),
        'for ($i = 0; $i -lt $Count; $i++) {',
        '  $t = [System.IO.File]::ReadAllText((Join-Path $Dir "in-$i.txt"), (New-Object System.Text.UTF8Encoding($false)))',
        '  [System.IO.File]::WriteAllText((Join-Path $Dir "out-$i.txt"), (ConvertTo-SdcJson $t), (New-Object System.Text.UTF8Encoding($false)))',
        '}',
      ].join('\n'),
    )
    execFileSync(
      ps!.file,
      [...ps!.prefix, '-NoProfile', '-NonInteractive', '-File', script, '-Dir', dir, '-Count', String(inputs.length)],
      { env: { ...process.env, ...ps!.env }, encoding: 'utf8' },
    )
    inputs.forEach((text, i) => {
      const out = readFileSync(join(dir, `out-${i}.txt`), 'utf8')
      expect(out, `input ${i}`).toBe(expected(text))
      expect(JSON.parse(out), `input ${i} read back`).toBe(text)
    })
  })
})
