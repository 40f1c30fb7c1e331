/**
 * Kits come from another PC on a USB stick: their manifest and file names are untrusted. A manifest
 * that points outside the kit (absolute paths, `..`, UNC shares, drive letters, device names) is refused
 * as a whole with a clear reason, and a folder's files with hostile names are not accepted for install.
 * (The kit owner's tests cover one `../` escape, links and a corrupted byte; these are the other forms.)
 */
import { describe, it, expect, beforeAll } from 'vitest'
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { verifyKit } from '../../../main/kit/kit-verify.ts'
import { importKitFolder } from '../../../main/kit/kit-import.ts'
import { KitManifestSchema, type KitManifest } from '../../../preload/model/kit.ts'
import { tempDirSync } from '../temp-dirs.ts'

const bytes = Buffer.from('not really an msu')
const sha1 = createHash('sha1').update(bytes).digest('hex')
const sha256 = createHash('sha256').update(bytes).digest('hex')
const goodName = `windows11.0-kb5043080-x64_${sha1}.msu`
let root: string

function manifestWith(fileName: string): KitManifest {
  return {
    schemaVersion: KitManifestSchema.shape.schemaVersion.value,
    tool: { name: 'servicing-desk', version: '0.1.0' },
    created: '2026-11-21T08:00:00Z',
    target: { kb: 'KB5043080', arch: 'x64', build: 26100, ubr: 1, machine: null, title: 'KB5043080' },
    files: [
      {
        order: 1,
        fileName,
        role: 'target',
        kb: 'KB5043080',
        arch: 'x64',
        sha1,
        sha256,
        sizeBytes: bytes.length,
        reason: 'target',
      },
    ],
    notes: [],
  } as KitManifest
}

beforeAll(() => {
  root = tempDirSync('sd-hostile-kit-')
  // A file outside every kit folder that a hostile manifest would like us to pick up.
  writeFileSync(join(root, 'outside.msu'), bytes)
})

const outside = [
  '/etc/passwd',
  '../outside.msu',
  '..\\outside.msu',
  'sub/../../outside.msu',
  './../outside.msu',
  '\\\\server\\share\\x.msu',
  '\\\\?\\C:\\Windows\\x.msu',
  'C:\\Windows\\System32\\x.msu',
  'C:x.msu',
  'c:/x.msu',
  '%SystemRoot%\\x.msu',
  '~/x.msu',
  'CON',
  'CON.msu',
  'nul.msu',
  'COM1.cab',
  'LPT1',
  'x.msu\u0000.txt',
  `${'a'.repeat(300)}.msu`,
  'x.msu.',
  '.hidden.msu',
  '',
]

describe('a kit manifest that points outside the kit is refused', () => {
  for (const fileName of outside) {
    it(`refuses ${JSON.stringify(fileName.slice(0, 60))}`, async () => {
      const dir = mkdtempSync(join(root, 'kit-'))
      writeFileSync(join(dir, goodName), bytes)
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifestWith(fileName)))
      const r = await verifyKit(dir)
      expect(r.ok).toBe(false)
      expect(r.checkedFiles).toBe(0)
      expect(r.problems[0]?.problem).toMatch(/Refused: the manifest is invalid.*plain names inside the kit/)
      // Imported as a folder, the invalid manifest is ignored (said so) and nothing outside is read.
      const imp = await importKitFolder(dir, 'x64')
      expect(imp.problems.join(' ')).toMatch(/manifest\.json is invalid and was ignored/)
      expect(imp.files.map((f) => f.fileName)).toEqual([goodName])
    })
  }

  it('accepts the same kit with a plain name (the test is not refusing everything)', async () => {
    const dir = mkdtempSync(join(root, 'kit-'))
    writeFileSync(join(dir, goodName), bytes)
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifestWith(goodName)))
    const r = await verifyKit(dir)
    expect(r.problems.filter((p) => /invalid|outside|refused/i.test(p.problem))).toEqual([])
    expect(r.checkedFiles).toBe(1)
  })
})

describe('files with hostile names in a kit folder are not accepted for install', () => {
  const hostile = [
    'a&calc-kb5043080-x64.msu',
    'a;calc-kb5043080-x64.msu',
    'a|calc-kb5043080-x64.msu',
    "a'b-kb5043080-x64.msu",
    'a"b-kb5043080-x64.msu',
    'a\u2019;Invoke-Evil;\u2019-kb5043080-x64.msu',
    '$(calc)-kb5043080-x64.msu',
    'CON.kb5043080-x64.msu',
    'a\nb-kb5043080-x64.msu',
    '-kb5043080-x64.msu',
    '.kb5043080-x64.msu',
  ]
  it('each is listed with a reason and not accepted', async () => {
    const dir = mkdtempSync(join(root, 'folder-'))
    for (const n of hostile) writeFileSync(join(dir, n), bytes)
    mkdirSync(join(dir, 'nested-kb5043080-x64.msu'))
    const r = await importKitFolder(dir, 'x64')
    const accepted = r.files.filter((f) => f.accepted).map((f) => f.fileName)
    expect(accepted).toEqual([])
    expect(r.problems.join('\n')).toMatch(/nested-kb5043080-x64\.msu: not a regular file/)
  })
})
