/**
 * A training medium as a Host: the engine's one door for commands reaches the medium and its work
 * folder through `run`, exactly as it reaches a training machine. Each command is answered from the medium's
 * state (dism.ts) and the changed state is saved before the answer returns, so a kill after any command leaves
 * the medium as far as that command took it.
 */
import type { Readable } from 'node:stream'
import { createHash } from 'node:crypto'
import { copyFileSync, createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import {
  renderCommandLine,
  validateSpec,
  type CommandResult,
  type CommandSpec,
  type Host,
  type HostInfo,
  type RunOptions,
} from '../../host/host.ts'
import { decodePowerShellScript } from '../../host/powershell.ts'
import { answerMediaDism, answerMediaExpand, answerMediaRobocopy } from './dism.ts'
import { normPath, type TrainingMediaStore } from './state.ts'

export class TrainingMediumHost implements Host {
  private readonly store: TrainingMediaStore
  readonly name: string
  constructor(store: TrainingMediaStore, name: string) {
    this.store = store
    this.name = name
    store.load(name)
  }

  info(): HostInfo {
    return {
      kind: 'training',
      name: this.name,
      title: `Training medium ${this.name}`,
      processArch: 'x64',
      elevated: true,
    }
  }

  async run(spec: CommandSpec, options: RunOptions = {}): Promise<CommandResult> {
    validateSpec(spec)
    const state = this.store.load(this.name)
    const exe = spec.file.replace(/^.*[\\/]/, '').toLowerCase()
    const pkg = exe === 'robocopy.exe' ? this.copyPackage(spec.args) : null
    const answer = pkg
      ? pkg
      : exe === 'powershell.exe' && spec.name === 'media.guard'
        ? this.guard(spec.args)
        : exe === 'dism.exe'
          ? answerMediaDism(state, spec.args)
          : exe === 'robocopy.exe'
            ? answerMediaRobocopy(state, spec.args)
            : exe === 'expand.exe'
              ? answerMediaExpand(state, spec.args)
              : // `cmd.exe /c if not exist DIR mkdir DIR` (a mount folder, plan.ts makeFolder): the model keeps no folders, so it is there.
                exe === 'cmd.exe' && /^\/c if not exist (\S+) mkdir \1$/i.test(spec.args.join(' '))
                ? { exitCode: 0, stdout: '' }
                : { exitCode: 9009, stdout: '', stderr: `The training medium does not run ${spec.file}.` }
    const ok = (spec.successExitCodes ?? [0]).includes(answer.exitCode)
    // Reading commands leave the state as it was; a failed change leaves nothing half done (the answer did not save).
    if (ok && !/^\/Get-/i.test(spec.args.find((a) => /^\/Get-/i.test(a)) ?? '')) this.store.save(state)
    for (const line of answer.stdout.split(/\r\n|\r|\n/)) options.onLine?.(line)
    return {
      name: spec.name,
      exitCode: answer.exitCode,
      stdout: answer.stdout,
      stderr: answer.stderr ?? '',
      ok,
      timedOut: false,
      cancelled: false,
      truncated: false,
      durationMs: 0,
      commandLine: renderCommandLine(spec.file, spec.args),
    }
  }

  /**
   * The work folder's files that are real bytes: the packages copied into `<work>\\packages` (kept under the store's
   * folder, `work/<medium>/…`), so the re-hash at use reads what DISM would read.
   */
  private workFile(path: string): string | null {
    const m =
      /^C:\\ProgramData\\ServicingDesk\\work\\(media-[a-z0-9-]+\\packages\\(?:x64|arm64)\\KB\d{6,8}(?:\\[^\\/:*?"<>|]+)?)$/i.exec(
        path,
      )
    return m ? join(this.store.dir, 'work', this.name, ...m[1].toLowerCase().split('\\')) : null
  }

  /**
   * The work folder guard (main/media/work-guard.ts): the model keeps no folders and no other user, so its folders are
   * ours; the package it re-hashes is the work folder's real file, so a file changed since it was verified is refused
   * here as on a PC.
   */
  private guard(args: readonly string[]): { exitCode: number; stdout: string; stderr?: string } {
    const script = decodePowerShellScript(args) ?? ''
    for (const m of script.matchAll(/Test-SdOnlyFiles '((?:[^']|'')+)' @\('((?:[^']|'')+)'\)/g)) {
      const folder = m[1]!.replace(/''/g, "'")
      const local = this.workFile(folder)
      const extra =
        local && existsSync(local)
          ? readdirSync(local).filter((n) => n.toLowerCase() !== m[2]!.replace(/''/g, "'").toLowerCase())
          : []
      if (extra.length)
        return {
          exitCode: 1,
          stdout: '',
          stderr: `Not run: ${folder}\\${extra[0]} is not a file this step put there\r\n`,
        }
    }
    for (const m of script.matchAll(/^\s*Assert-SdFileSha256 '((?:[^']|'')+)' '([0-9A-F]{64})'$/gm)) {
      const path = m[1]!.replace(/''/g, "'")
      const local = this.workFile(path)
      const got =
        local && existsSync(local) ? createHash('sha256').update(readFileSync(local)).digest('hex').toUpperCase() : null
      if (got !== m[2])
        return {
          exitCode: 1,
          stdout: '',
          stderr: `Not run: ${path}: SHA-256 is ${got ?? 'unreadable'}, expected ${m[2]} (it changed since it was checked); nothing more runs.\r\n`,
        }
    }
    return { exitCode: 0, stdout: '' }
  }

  /** `robocopy <kits>\\<KB>-<arch> <work>\\packages\\<arch>\\<KB> *kbNNN* /R:0`: the fetched file copied (exit 1), none (0), no source (16). */
  private copyPackage(args: readonly string[]): { exitCode: number; stdout: string; stderr?: string } | null {
    const [from = '', to = '', pattern = ''] = args
    const dest = this.workFile(to)
    if (!dest) return null
    if (!existsSync(from) || !statSync(from).isDirectory())
      return {
        exitCode: 16,
        stdout: `ERROR 2 (0x00000002) Accessing Source Directory ${from}\r\nThe system cannot find the file specified.\r\n`,
      }
    const re = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
      'i',
    )
    const names = readdirSync(from).filter((n) => re.test(n) && statSync(join(from, n)).isFile())
    mkdirSync(dest, { recursive: true })
    for (const n of names) copyFileSync(join(from, n), join(dest, n.toLowerCase()))
    return { exitCode: names.length > 0 ? 1 : 0, stdout: `Files : ${names.length}\r\n` }
  }

  async openRead(path: string): Promise<Readable> {
    const local = this.workFile(path)
    if (local && existsSync(local) && existsSync(dirname(local))) return createReadStream(local)
    throw Object.assign(new Error(`The training medium has no readable file ${path}.`), { code: 'ENOENT' })
  }

  async listDir(): Promise<string[]> {
    return []
  }

  /** A mount folder that holds an image, or a .wim file of the medium or the work folder. */
  async exists(path: string): Promise<boolean> {
    const s = this.store.load(this.name)
    return s.mounts.some((m) => normPath(m.dir) === normPath(path)) || normPath(path) in s.files
  }
}
