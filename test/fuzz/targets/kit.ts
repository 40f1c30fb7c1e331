/**
 * Kit manifests from another PC: a real kit's manifest.json, mutated as text (cut, wrapped, injected)
 * and as JSON (members replaced with hostile paths, wrong types, prototype keys), read by `verifyKit` and
 * `importKitFolder` from a real folder. Properties: never throw; results match their schemas; a manifest
 * that names anything but a plain file inside the kit never gets a file checked.
 */
import fc from 'fast-check'
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeTrainingKit } from '../../../main/install/training-kit.ts'
import { verifyKit } from '../../../main/kit/kit-verify.ts'
import { importKitFolder } from '../../../main/kit/kit-import.ts'
import { isPlainFileName } from '../../../main/catalog/file-name.ts'
import {
  KitManifestSchema,
  KitVerifyResultSchema,
  ImportKitResultSchema,
  type KitManifest,
} from '../../../preload/model/kit.ts'
import { jsonMutant } from '../json-mutate.ts'
import { textArbitrary } from '../mutate.ts'
import { target, violated, type FuzzTarget } from '../target.ts'

export const kitTargets: FuzzTarget<unknown>[] = [
  target(
    'kit/manifest',
    'verifyKit/importKitFolder on any manifest.json: never throw, schema-valid results, nothing outside the kit checked',
    async () => {
      const root = mkdtempSync(join(tmpdir(), 'sd-fuzz-kit-'))
      const kit = join(root, 'kit')
      const packages = writeTrainingKit(kit, 'KB5086672', 'arm64')
      const manifest: KitManifest = {
        schemaVersion: KitManifestSchema.shape.schemaVersion.value,
        tool: { name: 'servicing-desk', version: '0.1.0' },
        created: '2026-11-21T08:00:00Z',
        target: { kb: 'KB5086672', arch: 'arm64', build: 26100, ubr: 1150, machine: 'PC-1', title: 'KB5086672' },
        files: packages.map((p, i) => ({
          order: i + 1,
          role: i === packages.length - 1 ? 'target' : 'checkpoint',
          kb: p.kb,
          arch: 'arm64',
          fileName: p.fileName,
          sha1: p.sha1!,
          sha256: p.sha256!,
          sizeBytes: p.sizeBytes ?? 0,
          reason: 'fuzz',
        })) as KitManifest['files'],
        notes: [],
      }
      writeFileSync(join(root, 'outside.msu'), 'outside')
      const manifestText = JSON.stringify(manifest, null, 2)
      return {
        arbitrary: fc.oneof(
          { weight: 2, arbitrary: textArbitrary([manifestText]) },
          { weight: 3, arbitrary: jsonMutant([manifest]).map((m) => JSON.stringify(m) ?? '') },
        ),
        run: async (text: string) => {
          // The same kit folder for every case; only its manifest changes.
          writeFileSync(join(kit, 'manifest.json'), text)
          const v = await verifyKit(kit)
          if (!KitVerifyResultSchema.safeParse(v).success) violated('verifyKit result off-schema')
          if (v.manifest?.files.some((f) => !isPlainFileName(f.fileName)))
            violated(`verifyKit accepted a manifest naming ${JSON.stringify(v.manifest.files.map((f) => f.fileName))}`)
          const imp = await importKitFolder(kit, 'arm64')
          if (!ImportKitResultSchema.safeParse(imp).success) violated('importKitFolder result off-schema')
          if (imp.files.some((f) => !readdirSync(kit).includes(f.fileName)))
            violated('importKitFolder listed a file that is not in the kit folder')
        },
        close: async () => {
          rmSync(root, { recursive: true, force: true })
        },
      }
    },
  ),
]
