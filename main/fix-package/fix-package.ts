/**
 * A fix package: one folder (and the same as a zip next to it) to send to the PC a collector file came from.
 *
 *   Fix-<host>.ps1               the one script (fix-script.ts): the whole-PC plan for that PC, then the collector
 *   README.txt                   what to do, in plain words
 *   Collect-ServicingFacts.ps1   the collector (main/collector), for the "after" file
 *   files\<KB>-<arch>.msu        the same-build repair source(s), fetched and hash-verified
 *   files\<KB>-<arch>.cab        the Safe OS update for WinRE (when WinRE is out of date)
 *   files\resize-recovery.txt    the KB5028997 diskpart script (when the recovery partition is resized)
 *   kit\                         the update kit (main/kit: MSUs in checkpoint order, Install-Kit.ps1, PLAN.md, manifest.json)
 *   kit-<KB>\                    a kit of its own for an update the cumulative one does not include (.NET)
 *   fix-manifest.json            every file above with its SHA-256 and size
 *
 * What it carries is the whole-PC plan for that PC (main/pc-plan, composed in fix-package-service.ts): its repairs
 * planned for that PC by the repair definitions, its updates as kits built by the kit builder, its WinRE repair; the
 * steps that need a person are said in README.txt. This module only assembles them (no second copy of any command).
 */
import { createHash } from 'node:crypto'
import { copyFile, mkdir, readdir, readFile, writeFile, stat } from 'node:fs/promises'
import { join, dirname } from 'node:path'
import { renderFixScript, type FixScriptInput } from './fix-script.ts'
import { powerShellFileText } from '../host/powershell-text.ts'
import { writeZip } from '../collector/zip.ts'
import type { RepairPlan } from '../../preload/model/repair.ts'
import type { RepairEnv } from '../repair/types.ts'
import type { WinreRepair } from '../../preload/model/winre.ts'
import { resizeScriptFor } from '../winre/step-builder.ts'

/** The WinRE repair a package carries, and where its Safe OS file is on this computer, in the package and on the PC. */
export interface FixWinre {
  repair: WinreRepair
  safeOs: { localPath: string; rel: string; pcPath: string } | null
}

export class FixPackageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'FixPackageError'
  }
}

export interface FixPackageInput {
  outDir: string
  machine: FixScriptInput['machine']
  takenAt: string
  version: string
  now: Date
  /** The repairs before the update (the pending restart, the repairs that block servicing), in the plan's order. */
  repairs: { plan: RepairPlan; env: RepairEnv }[]
  /** The repairs after the update and WinRE (those that do not block servicing). */
  afterRepairs?: { plan: RepairPlan; env: RepairEnv }[]
  /** The WinRE repair (after the update), or null. */
  winre: FixWinre | null
  /** Repair sources fetched on this computer: copied to files\<kb>-<arch>.msu. */
  sources: { kb: string; arch: string; localPath: string }[]
  /** Writes the kit into the folder it is given (the kit builder), or null for no update. */
  writeKit: ((dir: string) => Promise<{ kb: string; title: string }>) | null
  /** Updates after the kit, each written into a folder of its own (`kit-<KB>`). */
  moreKits?: { kb: string; write: (dir: string) => Promise<{ kb: string; title: string }> }[]
  /** The plan's steps that need a person (an ESU licence, a refused repair): README.txt says each with its instructions. */
  waits?: { title: string; why: string; instructions: string[] }[]
  collectorScript: string
  /** Notes for README.txt (what the package does not do). */
  notes: string[]
}

export interface FixPackageResult {
  dir: string
  zipPath: string
  scriptName: string
  files: { rel: string; sha256: string; bytes: number }[]
  /** What the script does, in this order, in plain words (README.txt's list). */
  doesInOrder: string[]
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')
/** A package path (Windows, relative) on this computer. */
const local = (dir: string, rel: string) => join(dir, ...rel.split('\\'))

export async function writeFixPackage(input: FixPackageInput): Promise<FixPackageResult> {
  const dir = input.outDir
  try {
    await mkdir(dir, { recursive: true })
  } catch (err) {
    throw new FixPackageError(
      `Cannot create the folder ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`,
    )
  }
  if ((await readdir(dir)).length)
    throw new FixPackageError(`${dir} is not empty; a fix package is written into an empty or new folder.`)
  const host = input.machine.name
  const packageId = `${host}-${input.now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}`.replace(
    /[^A-Za-z0-9_-]/g,
    '-',
  )

  const sources: FixScriptInput['sources'] = []
  for (const s of input.sources) {
    const rel = `files\\${s.kb}-${s.arch}.msu`
    await mkdir(dirname(local(dir, rel)), { recursive: true })
    await copyFile(s.localPath, local(dir, rel))
    sources.push({ kb: s.kb, arch: s.arch, rel })
  }
  // The WinRE repair's files: its Safe OS update, and the diskpart script as a file (ASCII, CRLF: diskpart reads ANSI).
  let winre: FixScriptInput['winre'] = null
  if (input.winre) {
    const { repair, safeOs } = input.winre
    if (safeOs) {
      await mkdir(dirname(local(dir, safeOs.rel)), { recursive: true })
      await copyFile(safeOs.localPath, local(dir, safeOs.rel))
    }
    const resize = repair.steps.find((s) => s.op === 'write-diskpart-script')?.resize ?? null
    const diskpartRel = resize ? 'files\\resize-recovery.txt' : null
    if (resize && diskpartRel) {
      await mkdir(dirname(local(dir, diskpartRel)), { recursive: true })
      await writeFile(local(dir, diskpartRel), Buffer.from(`${resizeScriptFor(resize).join('\r\n')}\r\n`, 'ascii'))
    }
    winre = { repair, safeOs: safeOs ? { rel: safeOs.rel, pcPath: safeOs.pcPath } : null, diskpartRel }
  }
  const kit = input.writeKit ? await input.writeKit(join(dir, 'kit')) : null
  const moreKits: { kb: string; title: string }[] = []
  for (const k of input.moreKits ?? []) moreKits.push(await k.write(join(dir, `kit-${k.kb}`)))
  const collectorRel = 'Collect-ServicingFacts.ps1'
  await writeFile(local(dir, collectorRel), input.collectorScript, 'utf8')

  // Every file so far, hashed: the script checks each before it starts.
  const files: FixPackageResult['files'] = []
  for (const rel of await listFiles(dir)) {
    const data = await readFile(local(dir, rel))
    files.push({ rel, sha256: sha256(data), bytes: data.length })
  }
  const scriptName = `Fix-${host}.ps1`
  const script = powerShellFileText(
    renderFixScript({
      packageId,
      machine: input.machine,
      takenAt: input.takenAt,
      version: input.version,
      createdAt: input.now.toISOString(),
      repairs: input.repairs,
      afterRepairs: input.afterRepairs ?? [],
      winre,
      sources,
      kit,
      moreKits,
      files: files.map(({ rel, sha256: h }) => ({ rel, sha256: h })),
      collectorRel,
    }),
  )
  await writeFile(local(dir, scriptName), script, 'utf8')
  await writeFile(
    local(dir, 'README.txt'),
    readme(input, scriptName, [kit, ...moreKits], packageId).replace(/\n/g, '\r\n'),
    'utf8',
  )
  for (const rel of [scriptName, 'README.txt']) {
    const data = await readFile(local(dir, rel))
    files.push({ rel, sha256: sha256(data), bytes: data.length })
  }
  const manifest = {
    packageId,
    computer: host,
    build: input.machine.build,
    ubr: input.machine.ubr,
    nativeArch: input.machine.nativeArch,
    createdAt: input.now.toISOString(),
    collectedAt: input.takenAt,
    files,
  }
  await writeFile(local(dir, 'fix-manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, 'utf8')

  const all = await listFiles(dir)
  const entries = await Promise.all(
    all.map(async (rel) => ({ name: rel.replace(/\\/g, '/'), data: await readFile(local(dir, rel)) })),
  )
  const zipPath = `${dir.replace(/[\\/]+$/, '')}.zip`
  await writeFile(zipPath, writeZip(entries, input.now))
  return { dir, zipPath, scriptName, files, doesInOrder: packageSteps(input, [kit, ...moreKits]) }
}

/** Files under dir, as Windows-relative paths, sorted. */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = []
  for (const name of (await readdir(join(dir, ...prefix.split('\\').filter(Boolean)))).sort()) {
    const rel = prefix ? `${prefix}\\${name}` : name
    if ((await stat(local(dir, rel))).isDirectory()) out.push(...(await listFiles(dir, rel)))
    else out.push(rel)
  }
  return out
}

/** What the script does, in this order, in plain words: README.txt's list, and what the app shows. */
function packageSteps(i: FixPackageInput, kits: ({ kb: string; title: string } | null)[]): string[] {
  const [kit, ...more] = kits
  return [
    ...i.repairs.map((r) => `repair: ${r.plan.title}. ${r.plan.reason}`),
    ...(kit ? [`install the update ${kit.kb} (${kit.title}), with the checkpoint updates it needs first`] : []),
    ...more.flatMap((k) => (k ? [`install the update ${k.kb} (${k.title})`] : [])),
    // What it is first, in plain words; the steps (their tools' names) in a sentence of their own, which the screen keeps
    // behind its Technical details (renderer PlainText) and README.txt lists whole.
    ...(i.winre
      ? [
          `repair the Windows Recovery Environment (WinRE). Its steps: ${i.winre.repair.steps.map((s) => s.title).join('; ')}`,
        ]
      : []),
    ...(i.afterRepairs ?? []).map((r) => `repair: ${r.plan.title}. ${r.plan.reason}`),
    'collect this PC\'s facts and logs again (the "after" file), so your technician can see that it worked',
  ]
}

function readme(
  i: FixPackageInput,
  scriptName: string,
  kits: ({ kb: string; title: string } | null)[],
  packageId: string,
): string {
  const steps = packageSteps(i, kits)
  const waits = i.waits ?? []
  return [
    `Fix package for ${i.machine.name}`,
    '='.repeat(16 + i.machine.name.length),
    '',
    `Made by your technician with Servicing Desk ${i.version} on ${i.now.toISOString().slice(0, 10)}, from the file`,
    `collected on this PC on ${i.takenAt.slice(0, 10)}. It is for ${i.machine.name} only (Windows build ${i.machine.build}, ${i.machine.nativeArch}):`,
    'on any other PC it stops before it changes anything.',
    '',
    'What it does, in this order:',
    ...steps.map((s, k) => `  ${k + 1}. ${s}`),
    '',
    'How to run it:',
    ...howToRunOnPc(scriptName).map((l, k) => `  ${k + 1}. ${l.replace(/\n/g, '\n       ')}`),
    `  5. At the end it says where the "after" file is (in C:\\ProgramData\\ServicingDesk\\fix-package\\${packageId}).`,
    '     Send that file to your technician.',
    '',
    'If it stops, it says why. The log of every step, with its exit code, is in',
    `  C:\\ProgramData\\ServicingDesk\\fix-package\\${packageId}\\Fix-${i.machine.name}.log`,
    'Send that log to your technician too. Running the script again continues where it stopped.',
    '',
    'The package checks every file it carries against its SHA-256 (listed in fix-manifest.json) before it starts.',
    ...(waits.length
      ? [
          '',
          'What needs a person (the package cannot do it):',
          ...waits.flatMap((w) => [`  - ${w.title}. ${w.why}`, ...w.instructions.map((l) => `      * ${l}`)]),
        ]
      : []),
    ...(i.notes.length ? ['', 'Notes:', ...i.notes.map((n) => `  - ${n}`)] : []),
    '',
  ].join('\n')
}

/**
 * How the person at the PC runs the package (said on the build step's screen, the CLI and README.txt alike):
 * one step a line; a step's command lines after a newline.
 */
export function howToRunOnPc(scriptName: string): string[] {
  return [
    'Save your work and close your programs. The PC may restart, maybe more than once.',
    'Copy this whole folder to the PC (for example to the Desktop). Keep the files together.',
    // The box holds only lines that run as shown: the folder's path is the person's to type, said in words;
    // Windows PowerShell by its full path (a bare name in a copied folder could start a planted copy as administrator).
    `Right-click Start and choose "Terminal (Admin)" or "Windows PowerShell (Admin)". Go to the folder: type cd, a space and the folder's path in quotes (File Explorer shows the path when you click its address bar), and press Enter. Then type:\n& (Join-Path $env:SystemRoot 'System32\\WindowsPowerShell\\v1.0\\powershell.exe') -NoProfile -ExecutionPolicy Bypass -File .\\${scriptName}`,
    'Wait. It writes what it does, step by step. If the PC restarts, sign in again: it carries on by itself.',
  ]
}
