/**
 * The Windows PowerShell 5.1 rule list (test/pwsh/ps51-check.ps1), one test per rule: a snippet that breaks the
 * rule is flagged by it, with its message; a clean snippet doing the same the 5.1 way passes. Every rule of the
 * list has its case here (a rule added without one fails), and the checker keeps its own rules.
 * All snippets go to one PowerShell process (beforeAll).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import {
  CHECKER,
  checkScripts,
  checkerPowerShell,
  findingLines,
  ps51Rules,
  type Finding,
  type Rule,
} from '../../pwsh/ps51-check.ts'

/** Per rule: a snippet that breaks it, and a clean one. */
const CASES: Record<string, { bad: string; good: string; file?: boolean; bytes?: Buffer }> = {
  'parse-error': { bad: 'if ($true) {', good: 'if ($true) { 1 }' },
  'non-ascii-without-bom': {
    bad: "Write-Host 'Windows RE – enabled'",
    good: "\uFEFFWrite-Host 'Windows RE – enabled'",
    file: true,
  },
  'null-coalescing': { bad: '$a = $b ?? 1', good: 'if ($null -eq $b) { $a = 1 } else { $a = $b }' },
  'null-coalescing-assignment': { bad: '$a ??= 1', good: 'if ($null -eq $a) { $a = 1 }' },
  ternary: { bad: '$a = $b ? 1 : 2', good: '$a = $(if ($b) { 1 } else { 2 })' },
  'pipeline-chain': { bad: 'Get-Item x && Write-Host ok', good: 'Get-Item x; if ($?) { Write-Host ok }' },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: PowerShell's ${b} variable syntax, literally
  'null-conditional-member': { bad: '$a = ${b}?.Name', good: 'if ($null -ne $b) { $a = $b.Name }' },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: PowerShell's ${b} variable syntax, literally
  'null-conditional-index': { bad: '$a = ${b}?[0]', good: 'if ($null -ne $b) { $a = $b[0] }' },
  'clean-block': {
    bad: 'function f { process { $_ } clean { Remove-Item x } }',
    good: 'function f { process { try { $_ } finally { Remove-Item x } } }',
  },
  'background-operator': { bad: 'Get-Process &', good: 'Start-Job { Get-Process } | Out-Null' },
  'unicode-escape': { bad: 'Write-Host "a`u{2013}b `e[0m"', good: "Write-Host ('a' + [char]0x2013 + 'b ``u{x}')" },
  'numeric-suffix': { bad: '$a = 0x80000000u', good: '$a = [uint32]2147483648' },
  psstyle: { bad: 'Write-Host ($PSStyle.Bold + "x")', good: 'Write-Host x' },
  'ps7-variable': { bad: 'if ($IsWindows) { 1 }', good: "if ($env:OS -eq 'Windows_NT') { 1 }" },
  'foreach-parallel': { bad: '1..3 | ForEach-Object -Parallel { $_ }', good: '1..3 | ForEach-Object { $_ }' },
  'convertfrom-json-ashashtable': {
    bad: "$h = '{}' | ConvertFrom-Json -AsHashtable",
    good: "$h = '{}' | ConvertFrom-Json",
  },
  'convertfrom-json-depth': { bad: "$h = '{}' | ConvertFrom-Json -Depth 5", good: "$h = '{}' | ConvertFrom-Json" },
  'convertto-json-ps7': {
    bad: '$j = $o | ConvertTo-Json -EnumsAsStrings',
    good: '$j = $o | ConvertTo-Json -Depth 4 -Compress',
  },
  'join-path-children': {
    bad: "Join-Path $env:SystemRoot 'System32' 'dism.exe'",
    good: "Join-Path $env:SystemRoot 'System32\\dism.exe'",
  },
  'skip-certificate-check': {
    bad: 'Invoke-WebRequest -Uri https://x -SkipCertificateCheck',
    good: 'Invoke-WebRequest -Uri https://x -UseBasicParsing',
  },
  'web-cmdlet-ps7': {
    bad: 'Invoke-RestMethod -Uri https://x -MaximumRetryCount 3',
    good: 'Invoke-RestMethod -Uri https://x',
  },
  'encoding-value': {
    bad: 'Set-Content -LiteralPath x -Value y -Encoding utf8NoBOM',
    good: "Set-Content -LiteralPath x -Value y -Encoding UTF8; Invoke-Mine -Encoding 'console'",
  },
  'as-byte-stream': {
    bad: 'Get-Content -LiteralPath x -AsByteStream',
    good: 'Get-Content -LiteralPath x -Encoding Byte',
  },
  'ps7-parameter': {
    bad: 'Split-Path -LeafBase x.txt',
    good: "[System.IO.Path]::GetFileNameWithoutExtension('x.txt')",
  },
  'ps7-cmdlet': { bad: "$t = 'a', 'b' | Join-String -Separator ','", good: "$t = ('a', 'b') -join ','" },
  'dotnet-core-api': {
    bad: '$h = [Convert]::ToHexString($b)',
    good: "$h = [BitConverter]::ToString($b).Replace('-', '')",
  },
  'ps7-type': { bad: '$v = [semver]"1.2.3"', good: '$v = [version]"1.2.3"' },
  'string-split-separator': { bad: '$l = $t.Split("`r`n")', good: '$l = $t -split "`r`n"' },
  'zipfile-without-assembly': {
    bad: "$z = [System.IO.Compression.ZipFile]::OpenRead('x.zip')",
    good: "Add-Type -AssemblyName System.IO.Compression.FileSystem\n$z = [System.IO.Compression.ZipFile]::OpenRead('x.zip')",
  },
  'bare-program': {
    bad: 'dism.exe /Online /Get-Packages',
    good: "& (Join-Path $env:SystemRoot 'System32\\Dism.exe') /Online /Get-Packages",
  },
  'bare-program-text': {
    bad: "Set-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce' -Name x -Value ('powershell.exe -NoProfile -File \"' + $PSCommandPath + '\"')",
    good: "$steps = @{ file = 'reg.exe'; program = 'System32\\reg.exe' }; Set-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce' -Name x -Value ('\"' + (Join-Path $env:SystemRoot 'System32\\WindowsPowerShell\\v1.0\\powershell.exe') + '\" -NoProfile -File \"' + $PSCommandPath + '\"')",
  },
  'system32-literal': {
    bad: "& 'C:\\Windows\\System32\\Dism.exe' /Online",
    good: '& "$env:SystemRoot\\System32\\Dism.exe" /Online',
  },
}
/** More ways to break a rule, each flagged by the rule named. */
const MORE: [string, string][] = [
  ['bare-program', "& 'reg.exe' query HKLM"],
  ['bare-program', 'reg query HKLM'],
  ['bare-program-text', "$psi = New-Object System.Diagnostics.ProcessStartInfo; $psi.FileName = 'reg.exe'"],
  ['bare-program-text', "Start-Process -FilePath 'expand.exe' -ArgumentList 'a'"],
  ['bare-program-text', "$start = @{ FileName = 'dism.exe' }"],
  ['join-path-children', 'Join-Path -Path a -ChildPath b -AdditionalChildPath c'],
  ['convertfrom-json-depth', "'{}' | ConvertFrom-Json -Dep 5"],
  ['string-split-separator', "'a, b'.Split(', ')"],
  ['ps7-parameter', 'Get-Date -AsUTC'],
  ['ps7-cmdlet', 'Remove-Service -Name x'],
  ['dotnet-core-api', "[System.IO.Path]::Join('a', 'b')"],
  ['encoding-value', "'x' | Out-File -FilePath y -Encoding utf8BOM"],
]

let rules: Rule[] = []
const found = new Map<string, Finding[]>()
const ps = checkerPowerShell()

beforeAll(() => {
  if (!ps) return
  rules = ps51Rules(ps)
  const scripts = [
    ...Object.entries(CASES).flatMap(([id, c]) => [
      { name: `bad:${id}`, text: c.bad, file: c.file ?? false },
      { name: `good:${id}`, text: c.good, file: c.file ?? false },
    ]),
    ...MORE.map(([id, text], i) => ({ name: `more:${i}:${id}`, text, file: false })),
    { name: 'checker', text: readFileSync(CHECKER), file: true },
    // checkScripts checks a script handed in twice once: each name still gets its findings.
    { name: 'twice:a', text: CASES['null-coalescing']!.bad, file: false },
    { name: 'twice:b', text: CASES['null-coalescing']!.bad, file: false },
    // The same text with only some rules (a command line shown to copy) is another check.
    { name: 'twice:only', text: CASES['null-coalescing']!.bad, file: false, only: ['bare-program'] },
    // Two scripts by one name (texts no other entry has): each one's findings, none twice.
    { name: 'one name', text: `${CASES.ternary!.bad}\n# one name`, file: false },
    { name: 'one name', text: `${CASES.psstyle!.bad}\n# one name`, file: false },
  ]
  for (const f of checkScripts(ps, scripts)) found.set(f.name, [...(found.get(f.name) ?? []), f])
})

describe.runIf(ps)('the 5.1 rule list', () => {
  it('has a case for every rule, and no case for a rule it does not have', () => {
    expect(Object.keys(CASES).sort()).toEqual(rules.map((r) => r.id).sort())
  })

  describe.each(Object.keys(CASES))('%s', (id) => {
    it('flags a snippet that breaks it, with its message, and passes a clean one', () => {
      const bad = found.get(`bad:${id}`) ?? []
      const rule = rules.find((r) => r.id === id)!
      // Windows PowerShell 5.1 cannot parse PowerShell 7's syntax at all: there it is a parse error.
      const hits = bad.filter((f) => f.rule === id || (ps!.kind === 'windows-powershell' && f.rule === 'parse-error'))
      expect(hits.length, findingLines(bad).join('\n') || 'nothing flagged').toBeGreaterThan(0)
      if (hits[0]!.rule === id) expect(hits[0]!.message.startsWith(rule.message)).toBe(true)
      expect(findingLines(found.get(`good:${id}`) ?? [])).toEqual([])
    })
  })

  it.each(MORE.map(([id, text], i) => [i, id, text] as const))('case %i: %s flags %s', (i, id) => {
    expect(findingLines(found.get(`more:${i}:${id}`) ?? []).join('\n')).toContain(`[${id}]`)
  })

  it('a script handed in twice is flagged under each name; one name for two scripts keeps both findings once', () => {
    expect((found.get('twice:a') ?? []).map((f) => f.rule)).toEqual(['null-coalescing'])
    expect((found.get('twice:b') ?? []).map((f) => f.rule)).toEqual(['null-coalescing'])
    expect(found.get('twice:only') ?? []).toEqual([])
    expect((found.get('one name') ?? []).map((f) => f.rule)).toEqual(['ternary', 'psstyle'])
  })

  it('the checker keeps its own rules', () => {
    expect(findingLines(found.get('checker') ?? [])).toEqual([])
  })
})
