/**
 * The files a target update needs on one architecture, in install order: checkpoint(s) first.
 *
 * Since Windows 11 24H2 the download dialog of an LCU lists its prior checkpoint MSUs too ("The download
 * pop-up shows all prior checkpoints for the update", learn.microsoft.com/windows/deployment/update/
 * catalog-checkpoint-cumulative-updates). Order comes from the servicing-chain knowledge
 * (`checkpointChain`), else from the KB number (older first); a required checkpoint missing from the
 * dialog is fetched by its own search. Architecture: title, details page and every file name must agree.
 */
import type { CatalogFile, CatalogUpdate, ChainFile, UpdateChain } from '../../preload/model/catalog.ts'
import type { MachineArch } from '../../preload/model/common.ts'
import { branchById, checkpointChain, knownUpdate } from '../knowledge/servicing-chains.ts'
import type { CatalogClient } from './catalog-client.ts'
import { CatalogError } from './catalog-error.ts'
import { crossCheckArch } from './arch-tokens.ts'

export interface ChainOptions {
  signal?: AbortSignal
  /** Prefer rows whose title contains this (e.g. "24H2"); defaults to the target's branch. */
  titleHint?: string
}

/** Picks the Catalog row for a KB on one architecture; several candidates are narrowed by the hint. */
export function pickUpdateRow(
  rows: CatalogUpdate[],
  kb: string,
  arch: MachineArch,
  hint?: string,
): { row: CatalogUpdate | null; notes: string[] } {
  const notes: string[] = []
  const forKb = rows.filter((r) => r.kb === kb)
  const forArch = forKb.filter((r) => r.arch === arch)
  if (forArch.length === 0) {
    const others = [...new Set(forKb.map((r) => r.arch ?? 'unnamed'))]
    if (forKb.length) notes.push(`${kb} is listed for ${others.join(', ')} but not for ${arch}.`)
    return { row: null, notes }
  }
  const hinted = hint ? forArch.filter((r) => r.title.includes(hint)) : []
  const pool = hinted.length ? hinted : forArch
  const preferred = pool.filter((r) => !/\bServer\b|Dynamic Update/i.test(r.title) || /Dynamic Update/i.test(kb))
  const row = preferred[0] ?? pool[0]
  if (pool.length > 1) notes.push(`${pool.length} rows match ${kb} for ${arch}; using "${row.title}".`)
  return { row, notes }
}

function hintFor(kb: string): string | undefined {
  const u = knownUpdate(kb)
  const branch = u?.branchIds.map(branchById).find((b) => b !== null)
  return branch?.displayVersion
}

/** Checks that a file is for `arch` by its name (and, when the name says nothing, trusts the update row). */
function checkFileArch(file: CatalogFile, arch: MachineArch, detailsArches: MachineArch[]): void {
  const check = crossCheckArch({ fileName: file.fileName, detailsArches: file.arch ? [] : detailsArches })
  if (!check.ok) throw new CatalogError('arch-mismatch', `${file.fileName}: ${check.error}`)
  if (check.arch && check.arch !== arch) {
    throw new CatalogError(
      'arch-mismatch',
      `${file.fileName} is for ${check.arch} (by its ${check.sources.join(' and ')}), not ${arch}.`,
    )
  }
}

export async function resolveUpdateChain(
  client: CatalogClient,
  kb: string,
  arch: MachineArch,
  options: ChainOptions = {},
): Promise<UpdateChain> {
  const notes: string[] = []
  const { update, files } = await filesFor(client, kb, arch, options, notes)
  const checkpoints = checkpointChain(kb)
  const byKb = new Map<string, CatalogFile>()
  for (const f of files) if (f.kb && !byKb.has(f.kb)) byKb.set(f.kb, f)
  for (const cp of checkpoints) {
    if (byKb.has(cp.kb)) continue
    notes.push(`The dialog of ${kb} does not list checkpoint ${cp.kb}; fetched it by its own search.`)
    const extra = await filesFor(client, cp.kb, arch, { signal: options.signal }, notes)
    const f = extra.files.find((x) => x.kb === cp.kb)
    if (!f) throw new CatalogError('not-found', `Checkpoint ${cp.kb} for ${arch} has no file named for it.`)
    byKb.set(cp.kb, f)
  }
  const ordered: ChainFile[] = []
  const target = byKb.get(kb)
  if (!target)
    throw new CatalogError('not-found', `The download dialog of ${kb} (${arch}) has no file named for ${kb}.`)
  for (const cp of checkpoints) {
    const f = byKb.get(cp.kb) as CatalogFile
    ordered.push({
      ...f,
      role: 'checkpoint',
      order: 0,
      reason: `checkpoint ${cp.baseBuild}.${cp.ubr} (${cp.kb}) required before ${kb} (${cp.source})`,
    })
  }
  // Files the knowledge does not name: the dialog lists prior checkpoints (S19), so an older KB is
  // treated as a checkpoint, ordered by KB number; anything else is kept but said plainly.
  const known = new Set([kb, ...checkpoints.map((c) => c.kb)])
  const unknown = [...byKb.values()]
    .filter((f) => f.kb && !known.has(f.kb))
    .sort((a, b) => kbNumber(a.kb) - kbNumber(b.kb))
  for (const f of unknown) {
    if (kbNumber(f.kb) < kbNumber(kb)) {
      ordered.push({
        ...f,
        role: 'checkpoint',
        order: 0,
        reason: `listed in ${kb}'s download dialog; not in the servicing-chain knowledge, ordered by KB number`,
      })
      notes.push(
        `${f.kb} is listed with ${kb} but not in the servicing-chain knowledge; placed before the target by KB number.`,
      )
    }
  }
  ordered.push({ ...target, role: 'target', order: 0, reason: `the update requested (${update.title})` })
  for (const f of files) {
    if (ordered.some((o) => o.sha1 === f.sha1)) continue
    ordered.push({
      ...f,
      role: 'other',
      order: 0,
      reason: 'listed in the download dialog; not part of the checkpoint chain',
    })
  }
  ordered.forEach((f, i) => {
    f.order = i + 1
  })
  return { targetKb: kb, arch, update, files: ordered, notes }
}

function kbNumber(kb: string | null): number {
  return kb ? Number(kb.slice(2)) : Number.MAX_SAFE_INTEGER
}

async function filesFor(
  client: CatalogClient,
  kb: string,
  arch: MachineArch,
  options: ChainOptions,
  notes: string[],
): Promise<{ update: CatalogUpdate; files: CatalogFile[] }> {
  const result = await client.search(kb, { maxPages: 2, signal: options.signal })
  const { row, notes: pickNotes } = pickUpdateRow(result.updates, kb, arch, options.titleHint ?? hintFor(kb))
  notes.push(...pickNotes)
  if (!row)
    throw new CatalogError(
      'not-found',
      `The Catalog lists no ${kb} for ${arch}.${pickNotes.length ? ` ${pickNotes.join(' ')}` : ''}`,
    )
  const details = await client.details(row.updateId, options.signal)
  const check = crossCheckArch({ title: row.title, detailsArches: details.architectures })
  if (!check.ok) throw new CatalogError('arch-mismatch', `${row.title}: ${check.error}`)
  const { files } = await client.files(row.updateId, options.signal)
  for (const f of files) checkFileArch(f, arch, details.architectures)
  return { update: row, files }
}
