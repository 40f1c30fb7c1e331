/**
 * The command line that starts fast: built by the build (vite.cli.config.ts) into out/cli, one entry and
 * the chunks each command loads; run by bin/servicing-desk.mjs when current, the sources otherwise. Checked here:
 * - `electron-vite build` builds it beside the app, with source maps and the list of sources it holds;
 * - it answers as the sources do (text, JSON, an error and its exit code);
 * - a command loads only what it uses: `explain`, `knowledge`, `analyze`, `diagnose --code` and `fleet groups` load none of pg, Azure's
 *   clients, cheerio, undici or the services (the modules a child loaded, listed by a module hook, not timed);
 * - its worker threads start from the bundle (the log scan's worker, seen through Node's worker_threads channel);
 * - a reader that closes the pipe early ends the command quietly (exit 0, nothing on stderr);
 * - the launcher runs the sources, saying so in one line, when the build is missing or older than a source.
 * The build tested is out/cli when it is current (npm test builds first), else these sources built here into a
 * folder of this file's own, so the file passes alone on any tree.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { spawn, spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import dc from 'node:diagnostics_channel'
import { builtCli } from '../../../bin/built-cli.mjs'
import { tempDirSync } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

const ROOT = join(import.meta.dirname, '../../..')
const SOURCES = join(ROOT, 'main/cli/bin.ts')
const home = tempDirSync('sd-fast-cli-')
/** A hang detector only: each test starts CLI children, some from the TypeScript sources (about 1 s of CPU each). */
const HANG = hangMs(600_000)

/** The built CLI of these sources: out/cli when current, else built now into a temp folder. */
let built: Promise<string> | undefined
let tmpBuild = ''
afterAll(() => {
  if (tmpBuild) rmSync(tmpBuild, { recursive: true, force: true })
})
function currentBuild(): Promise<string> {
  built ??= (async () => {
    const here = builtCli(ROOT)
    if (here.path) return here.path
    // Inside the tree (node_modules/.cache), not the temp folder: the bundle imports its production dependencies
    // (iconv-lite, execa…) from node_modules, which Node finds only above the bundle's own folder.
    mkdirSync(join(ROOT, 'node_modules/.cache'), { recursive: true })
    const dir = mkdtempSync(join(ROOT, 'node_modules/.cache/sd-cli-build-'))
    tmpBuild = dir
    const [{ build }, { cliBuildConfig }] = await Promise.all([import('vite'), import('../../../vite.cli.config.ts')])
    await build(cliBuildConfig(dir))
    const again = builtCli(ROOT, dir)
    if (!again.path) throw new Error(`the CLI built into ${dir} is not current: ${again.reason}`)
    return again.path
  })()
  return built
}

/**
 * A module hook for a child process: it writes every module the child loaded (file: URLs; with `builtins`, Node's own
 * as node: too, from process.moduleLoadList, since the bundle takes built-ins from process.getBuiltinModule, unseen by
 * the hook) to $SD_MODULES_OUT when it exits; and a small hotfix list for `analyze`.
 */
function moduleHook(dir: string, builtins: boolean): { hook: string; small: string } {
  const hook = join(dir, 'list-modules.mjs')
  const list = builtins
    ? "[...seen, ...process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => 'node:' + m.slice(13))]"
    : 'seen'
  writeFileSync(
    hook,
    [
      // Built-ins from process.getBuiltinModule, as the bundle takes them: an ES import of node:fs here would load its
      // ES facade, and with it Node's streams, into every child it lists.
      "const { registerHooks } = process.getBuiltinModule('node:module')",
      "const { writeFileSync } = process.getBuiltinModule('node:fs')",
      'const seen = []',
      'registerHooks({ load(url, context, next) { seen.push(url); return next(url, context) } })',
      `process.on('exit', () => writeFileSync(process.env.SD_MODULES_OUT, ${list}.join('\\n')))`,
    ].join('\n'),
  )
  const small = join(dir, 'hotfixes.txt')
  writeFileSync(small, 'KB5043080 KB5044284\n')
  return { hook, small }
}

function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [script, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, SERVICING_DESK_HOME: home, ...env },
    input: '',
    timeout: hangMs(300_000),
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('the built CLI', () => {
  it('electron-vite build builds it beside the app: entry, workers, source maps, the sources it holds', {
    timeout: HANG,
  }, () => {
    const main = join(ROOT, 'out/main/index.js')
    if (!existsSync(main)) return // no build in this tree: the build step of npm test comes first and checks this
    const out = join(ROOT, 'out/cli')
    for (const f of [
      'servicing-desk.js',
      'servicing-desk.js.map',
      'log-scan-worker.js',
      'analyze-worker.js',
      'inputs.json',
    ])
      expect(existsSync(join(out, f)), f).toBe(true)
    const manifest = JSON.parse(readFileSync(join(out, 'inputs.json'), 'utf8')) as {
      builtAt: string
      inputs: [string, number, number][]
    }
    // Built by the same run as the app's main process (right after it), not left from an earlier one.
    expect(Date.parse(manifest.builtAt)).toBeGreaterThanOrEqual(statSync(main).mtimeMs - 1000)
    const files = manifest.inputs.map(([f]) => f)
    expect(files).toContain('main/cli/bin.ts')
    expect(files).toContain('main/cli/commands/explain.ts')
    expect(files).toContain('main/diagnose/log-scan-worker.ts')
    expect(files.filter((f) => f.includes('node_modules'))).toEqual([])
  })

  it("takes Node's built-ins from process.getBuiltinModule in every chunk: no ES import of a node: module is left", {
    timeout: HANG,
  }, async () => {
    // An ES import of a built-in costs its ES facade (~10 ms for node:fs or node:util); vite.cli.config.ts rewrites each
    // form the bundler writes (`import x`, `import { a }`, `import x, { a }`, names with `$`). A form it missed stays an
    // import here (seen: `import process$1 from "node:process"` once commander shared a chunk with our modules).
    const cli = await currentBuild()
    const dir = dirname(cli)
    const chunks = [
      cli,
      ...readdirSync(join(dir, 'chunks'))
        .filter((f) => f.endsWith('.js'))
        .map((f) => join(dir, 'chunks', f)),
    ]
    const left = chunks.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => /^import\b.*\bfrom "node:/.test(l))
        .map((l) => `${relative(dir, f)}: ${l}`),
    )
    expect(left).toEqual([])
  })

  it('is ASCII with its data as JSON text: V8 reads each chunk one byte a character, the knowledge tables by JSON.parse', {
    timeout: HANG,
  }, async () => {
    // One character past U+007F anywhere in a chunk (a comment's dash included) and Node decodes the whole file as
    // UTF-8 to a two-byte string that V8 then scans two bytes a character (vite.cli.config.ts: charset 'ascii',
    // comments: false). A JSON file bundled as an object literal is compiled as code; as JSON text it is parsed once.
    const cli = await currentBuild()
    const dir = dirname(cli)
    const chunks = [
      cli,
      ...readdirSync(join(dir, 'chunks'))
        .filter((f) => f.endsWith('.js'))
        .map((f) => join(dir, 'chunks', f)),
    ]
    const wide = chunks.filter((f) => /[^\x00-\x7f]/.test(readFileSync(f, 'utf8'))).map((f) => relative(dir, f))
    expect(wide).toEqual([])
    const winre = chunks.find((f) => readFileSync(f, 'utf8').includes('var winre_targets_default = '))
    expect(winre, 'the chunk holding the WinRE targets').toBeDefined()
    expect(readFileSync(winre!, 'utf8')).toMatch(/^var winre_targets_default = (?:\/\*#__PURE__\*\/ )?JSON\.parse\("/m)
    // The error codes' tables and the servicing chains are files beside the bundle, read when first used
    // (vite.cli.config.ts LAZY_DATA): in no chunk, ASCII (read as Latin-1), together the same value as the sources'
    // JSON: data/<name>.json, and data/<name>.<property>.json for a property kept apart (the chains' sources).
    // The known issues (234 KB) too: explain cites their sources only when a key reaches that table, and parsed them
    // whole at every start; a diagnosis reads them from the file when its rule first matches.
    const apart: Record<string, string[]> = {
      'servicing-chains': ['sources'],
      'wu-error-reference': ['codes'],
      'known-issues': ['sources'],
    }
    for (const name of ['error-codes', 'wu-error-reference', 'ms-error-tables', 'servicing-chains', 'known-issues']) {
      const texts = [`${name}.json`, ...(apart[name] ?? []).map((k) => `${name}.${k}.json`)].map((f) =>
        readFileSync(join(dir, 'data', f), 'latin1'),
      )
      for (const text of texts) expect(/[^\x00-\x7f]/.test(text), name).toBe(false)
      const value = JSON.parse(texts[0]!) as Record<string, unknown>
      for (const [i, k] of (apart[name] ?? []).entries()) {
        expect(value, `${name}.json without ${k}`).not.toHaveProperty(k)
        value[k] = JSON.parse(texts[i + 1]!)
      }
      const source = readFileSync(join(ROOT, 'main/knowledge/data', `${name}.json`), 'utf8')
      expect(value, name).toEqual(JSON.parse(source))
      const about = JSON.parse(source) as { description?: string; about?: string; sourceText?: string }
      const words = JSON.stringify((about.description ?? about.about ?? about.sourceText)!.slice(0, 40)).slice(1, -1)
      expect(
        chunks.filter((f) => readFileSync(f, 'utf8').includes(words)).map((f) => relative(dir, f)),
        name,
      ).toEqual([])
      expect(
        chunks.some((f) => {
          const code = readFileSync(f, 'utf8')
          return code.includes(`/data/${name}"`) && code.includes('"latin1"')
        }),
        `${name} is read from its file`,
      ).toBe(true)
    }
  })

  it('answers as the sources do: text, JSON, an unknown code, a bad option and a diagnosis by code', {
    timeout: HANG,
  }, async () => {
    const cli = await currentBuild()
    for (const args of [
      ['explain', '0x800f0922'],
      ['explain', '-2146498270', '--json'],
      ['explain', 'nonsense'],
      ['knowledge', '--json', '--today', '2026-11-22'],
      ['explain', '--no-such-option', '1'],
      // The advice gate's step kinds (main/knowledge/remedy-steps.ts) decide which remedies these offer.
      ['diagnose', '--code', '0x80073712'],
      ['diagnose', '--code', '0x800f0922', '--json'],
    ]) {
      const a = run(cli, args)
      const b = run(SOURCES, args)
      expect(a, args.join(' ')).toEqual(b)
    }
    expect(run(cli, ['explain', '0x800f0922']).stdout).toMatch(/^0x800F0922 {2}CBS_E_INSTALLERS_FAILED/)
  })

  it("answers as the sources do for a machine's diagnosis and its repairs: text and JSON, the same bytes", {
    timeout: HANG,
  }, async () => {
    // The machine's commands load their modules in chunks of their own (vite.cli.config.ts MACHINE_MODULES) and the
    // renderers of commands that change a machine on first use (main/training/commands.ts): the same answers as the
    // sources, with a remembered verdict the second time. Each side runs in the same fresh data folder (its path is in
    // the repairs' text); a rename's time stamp is the only thing that may differ.
    const cli = await currentBuild()
    const data = tempDirSync('sd-cli-machine-')
    const stamp = (t: string) => t.replace(/\b(\d{8})-(\d{6})\b/g, 'STAMP')
    const sequence = (script: string) => {
      rmSync(data, { recursive: true, force: true })
      mkdirSync(data)
      return [
        ['diagnose', '--machine', 'x64-component-store-corrupt', '--json'],
        ['repairs', '--machine', 'x64-component-store-corrupt'],
        ['diagnose', '--machine', 'x64-component-store-corrupt'],
        ['repairs', '--machine', 'x64-wu-components-broken', '--json'],
      ].map((args) => {
        const r = run(script, args, { SERVICING_DESK_HOME: data })
        return { args: args.join(' '), code: r.code, stdout: stamp(r.stdout), stderr: r.stderr }
      })
    }
    const built = sequence(cli)
    expect(built.map((r) => r.code)).toEqual([0, 0, 0, 0])
    expect(built[1]!.stdout).toMatch(/^Repairs for x64-component-store-corrupt:/)
    expect(sequence(SOURCES)).toEqual(built)
  })

  it('loads only what the command uses: no pg, Azure, cheerio, undici or services for explain, knowledge, analyze, diagnose --code, fleet groups', {
    timeout: HANG,
  }, async () => {
    const cli = await currentBuild()
    const dir = tempDirSync('sd-cli-modules-')
    const { hook, small } = moduleHook(dir, false)
    let n = 0
    const loaded = (args: string[]) => {
      const list = join(dir, `modules-${++n}.txt`)
      const r = spawnSync(process.execPath, ['--import', pathToFileURL(hook).href, cli, ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, SERVICING_DESK_HOME: home, SD_MODULES_OUT: list },
        input: '',
      })
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0)
      return readFileSync(list, 'utf8').split('\n')
    }
    const heavy =
      /\/node_modules\/(pg|pg-[a-z]+|@azure|cheerio|undici|execa|fast-xml-parser)\/|\/chunks\/services-|\/main\/services\.ts$/
    for (const args of [
      ['explain', '0x800f0922'],
      ['knowledge'],
      ['analyze', small, '--kind', 'hotfix-list', '--json'],
      ['fleet', 'groups'],
    ]) {
      const urls = loaded(args)
      expect(
        urls.some((u) => u.endsWith('/servicing-desk.js')),
        'the list holds the entry itself',
      ).toBe(true)
      expect(
        urls.filter((u) => heavy.test(u)),
        args.join(' '),
      ).toEqual([])
    }
    // The check sees a command that does load the services (so an empty list above means something).
    expect(loaded(['machines', '--json']).filter((u) => heavy.test(u)).length).toBeGreaterThan(0)
  })

  it("reads only the data files a command uses: explain the chains' sources, never their branches and updates", {
    timeout: HANG,
  }, async () => {
    // citations.ts looks a key up in the servicing chains' sources before the error codes' (the order that gives the chains' dates precedence), so
    // explain reads data/servicing-chains.sources.json; the rest of the chains (data/servicing-chains.json) is for
    // the commands that read branches and updates. Seen by a hook that records each data file node:fs reads.
    const cli = await currentBuild()
    const dir = tempDirSync('sd-cli-data-reads-')
    const hook = join(dir, 'list-reads.mjs')
    writeFileSync(
      hook,
      [
        "import fs from 'node:fs'",
        'const seen = []',
        'const read = fs.readFileSync',
        "fs.readFileSync = function (p, ...rest) { if (typeof p === 'string' && /[\\\\/]data[\\\\/][^\\\\/]+\\.json$/.test(p)) seen.push(p.replace(/^.*[\\\\/]/, '')); return read.call(this, p, ...rest) }",
        "process.on('exit', () => fs.writeFileSync(process.env.SD_READS_OUT, seen.join('\\n')))",
      ].join('\n'),
    )
    const reads = (args: string[]) => {
      const out = join(dir, 'reads.txt')
      const r = spawnSync(process.execPath, ['--import', pathToFileURL(hook).href, cli, ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, SERVICING_DESK_HOME: home, SD_READS_OUT: out },
        input: '',
      })
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0)
      return readFileSync(out, 'utf8').split('\n').filter(Boolean).sort()
    }
    expect(reads(['explain', '0x800f0922'])).toEqual([
      'error-codes.json',
      'ms-error-tables.json',
      'servicing-chains.sources.json',
      'wu-error-reference.json',
    ])
    // The whole chains where a command uses them (knowledge lists the branches' newest updates).
    expect(reads(['knowledge'])).toContain('servicing-chains.json')
    // The known issues where the diagnosis's rule can meet a row: a KB with its code (explain above reads neither of
    // their files, nor does a diagnosis of a code alone, which names no KB: main/knowledge/known-issues.ts).
    expect(reads(['diagnose', '--code', '0x80073712'])).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^known-issues\./)]),
    )
    const told = join(dir, 'known-issue.txt')
    writeFileSync(
      told,
      'Installation Failure: Windows failed to install the following update with error 0x80073712: 2026-03 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5079391).\n',
    )
    expect(reads(['diagnose', '--log', told])).toEqual(
      expect.arrayContaining(['known-issues.json', 'known-issues.sources.json']),
    )
  })

  it("keeps Node's compile cache in the user's cache folder, and a changed chunk runs as changed, never from the cache", {
    timeout: HANG,
  }, async () => {
    // main/cli/compile-cache.ts: the first start writes V8's code of each chunk it loaded; later starts read it. Node
    // keys an entry by the file's path and a hash of its text (V8 checks only the length): a chunk changed in place,
    // even to text of the same length, is compiled from its new text. Checked on a copy of the build (inside the tree,
    // where Node finds node_modules), with a cache root of this test's own.
    const built = dirname(await currentBuild())
    mkdirSync(join(ROOT, 'node_modules/.cache'), { recursive: true })
    const copy = mkdtempSync(join(ROOT, 'node_modules/.cache/sd-cli-cache-copy-'))
    try {
      cpSync(built, copy, { recursive: true })
      const xdg = tempDirSync('sd-cli-xdg-')
      // Node takes NODE_DISABLE_COMPILE_CACHE set to anything, even empty, as off: left out unless a run sets it.
      const { NODE_COMPILE_CACHE: _cache, NODE_DISABLE_COMPILE_CACHE: _off, ...base } = process.env
      const run = (env: NodeJS.ProcessEnv = {}) => {
        const r = spawnSync(process.execPath, [join(copy, 'servicing-desk.js'), 'explain', '0x800f0922'], {
          cwd: ROOT,
          encoding: 'utf8',
          env: { ...base, SERVICING_DESK_HOME: home, XDG_CACHE_HOME: xdg, ...env },
          input: '',
        })
        expect(r.status, r.stderr).toBe(0)
        return r.stdout
      }
      // <cache root>/servicing-desk/compile-cache/<this build>/<Node's version tag>/<one file per module>
      const cacheFiles = () => {
        const dir = join(xdg, 'servicing-desk/compile-cache')
        return existsSync(dir)
          ? readdirSync(dir).flatMap((build) =>
              readdirSync(join(dir, build)).flatMap((tag) => readdirSync(join(dir, build, tag))),
            )
          : []
      }
      // Turned off: no cache is written.
      const first = run({ NODE_DISABLE_COMPILE_CACHE: '1' })
      expect(cacheFiles()).toEqual([])
      expect(run()).toBe(first)
      const written = cacheFiles()
      // The entry's imports and the command's chunks: one file each (the entry itself is compiled before it can ask).
      expect(written.length).toBeGreaterThanOrEqual(8)
      expect(run()).toBe(first)
      const chunk = readdirSync(join(copy, 'chunks'))
        .map((f) => join(copy, 'chunks', f))
        .find((f) => f.endsWith('.js') && readFileSync(f, 'utf8').includes('Likely causes:'))!
      expect(chunk, 'the chunk that prints "Likely causes:"').toBeDefined()
      const text = readFileSync(chunk, 'utf8')
      writeFileSync(chunk, text.replace('Likely causes:', 'Likely CAUSES:'))
      expect(readFileSync(chunk, 'utf8').length).toBe(text.length)
      const changed = run()
      expect(changed).toContain('Likely CAUSES:')
      expect(changed).toBe(first.replace('Likely causes:', 'Likely CAUSES:'))
      // One folder for this build; the entry rewritten (another build) gets a folder of its own.
      expect(readdirSync(join(xdg, 'servicing-desk/compile-cache'))).toHaveLength(1)
      writeFileSync(join(copy, 'servicing-desk.js'), `${readFileSync(join(copy, 'servicing-desk.js'), 'utf8')}\n`)
      expect(run()).toBe(changed)
      expect(readdirSync(join(xdg, 'servicing-desk/compile-cache'))).toHaveLength(2)
    } finally {
      rmSync(copy, { recursive: true, force: true })
    }
  })

  it("pins what each fast command loads (a machine's diagnosis and repairs too): the sources behind the chunks it loads, by the source maps", {
    timeout: HANG,
  }, async () => {
    const cli = await currentBuild()
    const dir = tempDirSync('sd-cli-pinned-')
    const { hook, small } = moduleHook(dir, true)
    const fleetHome = tempDirSync('sd-cli-pinned-home-')
    let n = 0
    /** The project's source files (from each loaded chunk's source map) and the built-ins a command's process loaded. */
    // Without npm test's NODE_OPTIONS (its type-stripping cache hook hashes with node:crypto in every child): what the
    // command itself loads, as a technician's start has it.
    const sourcesOf = (args: string[]) => {
      const list = join(dir, `modules-${++n}.txt`)
      const r = spawnSync(process.execPath, ['--import', pathToFileURL(hook).href, cli, ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        env: {
          ...process.env,
          SERVICING_DESK_HOME: fleetHome,
          SD_MODULES_OUT: list,
          NODE_OPTIONS: '',
          SD_TS_CACHE: '',
        },
        input: '',
      })
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0)
      const urls = readFileSync(list, 'utf8').split('\n').filter(Boolean)
      const files = new Set<string>()
      for (const u of urls.filter((x) => x.startsWith('file:') && x.endsWith('.js'))) {
        if (!existsSync(`${fileURLToPath(u)}.map`)) {
          // A dependency loaded from node_modules (iconv-lite, execa…): listed by its own path.
          if (u.includes('/node_modules/')) files.add(relative(ROOT, fileURLToPath(u)).replace(/\\/g, '/'))
          continue // else a chunk of re-exports only: no source of its own
        }
        const map = JSON.parse(readFileSync(`${fileURLToPath(u)}.map`, 'utf8')) as { sources: string[] }
        for (const src of map.sources)
          files.add(relative(ROOT, resolve(dirname(fileURLToPath(u)), src)).replace(/\\/g, '/'))
      }
      return { files: [...files], builtins: urls.filter((x) => x.startsWith('node:')) }
    }
    // Never on these starts: the single-PC diagnosis and the services, the fleet's intake readers and fix/report code,
    // zod (every preload/model schema file holds zod schemas), pg/csv-parse/Azure/undici, and the streams of stdout.
    const never = [
      /^main\/diagnose\//,
      /^main\/services\.ts$/,
      /^main\/fleet\/(intake\/(intune-|wufb|detect|csv|read-export|source)|fleet-service|fix|report|detect-cause|line-diagnosis)/,
      /node_modules\/zod\//,
      /node_modules\/(pg|csv-parse|@azure|undici|execa|cheerio)\//,
    ]
    /** What the whole services (main/services.ts) add to a machine's: none of it for a machine's diagnosis or repairs. */
    const WHOLE_SERVICES = [
      /^main\/(?:pc-plan|fix-package|media|kit)\//,
      /^main\/catalog\/(?!file-name|arch-tokens)/,
      /^main\/install\/(?:install-service|fetch-packages)\.ts$/,
      /^main\/winre\/winre-service\.ts$/,
      /^main\/collector\/collect-from-host\.ts$/,
      /^main\/machine\/training-from-snapshot\.ts$/,
    ]
    /** What runs a repair, never loaded to list them: the runner, the locks, the journal store, a saved script. */
    const NOT_RUNNING = [
      /^main\/repair\/(?:runner|journal|script)\.ts$/,
      /^main\/runner\//,
      /^main\/install\/(?:run-lock|journal)\.ts$/,
    ]
    /**
     * A remote PC's Host, transport and scripts, with the console's code pages (iconv-lite): the machine services load
     * them to scan a remote PC (machine-services.ts loadRemote), never for a training machine.
     */
    const NOT_REMOTE = [
      /^main\/host\/(?:remote-host|remote-script|remote-preflight|transport|transport-powershell|windows-host|output-collector)\.ts$/,
      /^main\/remote-hosts\.ts$/,
      /^main\/training\/transport-training\.ts$/,
      /node_modules\/iconv-lite\//,
    ]
    /** analyze's own start: never loaded by a machine's diagnosis or its repairs. */
    const NOT_ANALYZE = [/^main\/analyze\//, /^main\/bounded-input\.ts$/, /^main\/knowledge\/symptoms\.ts$/]
    /**
     * The outcome words' tables (68 KB of JSON and the patterns built from them at load): read by a text's story only.
     * A diagnosis without a text asks the BitLocker recovery screen's words alone (knowledge/bitlocker-words.ts), and
     * only for a text that tells a failed start.
     */
    const NOT_OUTCOME_WORDS = [/^main\/knowledge\/outcome-words\.ts$/, /^main\/knowledge\/data\/outcome-words\.json$/]
    const expected: Record<
      string,
      { args: string[]; has: string[]; not?: RegExp[]; allow?: RegExp; anyBuiltins?: true; notBuiltins?: RegExp }
    > = {
      explain: {
        args: ['explain', '0x800f0922'],
        has: ['main/knowledge/error-explain.ts', 'main/cli/commands/explain.ts'],
        not: [/^main\/fleet\//, /^main\/analyze\//, /^main\/knowledge\/overlay\.ts$/],
      },
      knowledge: {
        args: ['knowledge'],
        has: ['main/knowledge/freshness.ts', 'main/knowledge/overlay-path.ts'],
        not: [/^main\/knowledge\/overlay\.ts$/, /^main\/atomic-write\.ts$/, /^main\/fleet\//, /^main\/analyze\//],
      },
      // The reading alone (--reading-only): the diagnosis's verdict, which loads the rules and every reader, is off.
      analyze: {
        args: ['analyze', small, '--kind', 'hotfix-list', '--json', '--reading-only'],
        has: ['main/analyze/analyze-core.ts', 'main/analyze/kinds/hotfix-list.ts'],
        not: [/^main\/fleet\//, /^main\/knowledge\/overlay\.ts$/],
      },
      // Detection loads the reader whose kind the text can be, not every reader (main/analyze/detect-kinds.ts).
      'analyze (package list)': {
        args: [
          'analyze',
          join(ROOT, 'test/fixtures/dism-packages/en-us-table-24h2-openssh2282.txt'),
          '--json',
          '--reading-only',
        ],
        has: ['main/analyze/detect-kinds.ts', 'main/analyze/kinds/dism-packages.ts'],
        not: [
          /^main\/fleet\//,
          /^main\/analyze\/(?:registry|analyze)\.ts$/,
          /^main\/analyze\/kinds\/(?!dism-packages|log-errors)/,
          /^main\/parse\/(?:systeminfo|computer-info|os-blocks|update-lists|cmtrace-log|windowsupdate-log|reagentc|wu-event|setupdiag|setup-log|dism-output|cbs-log|dism-log|hotfix-list)\.ts$/,
        ],
      },
      // A code alone: the rules and the diagnosis service, without the services, zod, the log files' readers or the
      // pasted text's (diagnosis-service.ts loads them only for a request that has them), nor analyze's start.
      'diagnose --code': {
        args: ['diagnose', '--code', '0x80073712'],
        has: ['main/diagnose/diagnosis-service.ts', 'main/diagnose/diagnose-core.ts', 'main/cli/commands/diagnose.ts'],
        allow: /^main\/diagnose\//,
        not: [
          /^main\/fleet\//,
          /^main\/analyze\//,
          /^main\/diagnose\/(?:diagnose|pasted-text|local-log|log-stream|log-scan-file)\.ts$/,
          /^main\/parse\/(?:reagentc|wu-event|setupdiag|setup-log|dism-output|dism-log)\.ts$/,
          /^main\/knowledge\/overlay\.ts$/,
          ...NOT_OUTCOME_WORDS,
        ],
      },
      // A machine's diagnosis and its repairs: the machine services (main/machine-services.ts), never the whole
      // services' install engine, WinRE service, whole-PC plan, fix package, media or the Catalog's client; the
      // diagnosis loads no repair engine either (the repairs load it for `repairs`).
      'diagnose --machine': {
        args: ['diagnose', '--machine', 'x64-component-store-corrupt'],
        has: ['main/machine-services.ts', 'main/diagnose/diagnose-core.ts', 'main/training/training-host.ts'],
        // No zod either: a PC with no remembered verdict has no file to check (main/timeline/verdict-memory.ts).
        allow: /^main\/diagnose\//,
        // A machine's scan runs through its Host (child processes, hashes, a lock file): its built-ins are not pinned,
        // but for a file read as a stream (node:internal/fs/streams): a training machine's files are read as one chunk
        // each (main/training/training-host.ts openRead). Node's streams themselves come with node:v8, which the built
        // entry loads to compile each chunk whole (main/cli/bin.ts; ~1.3 ms of CPU, against the ~30 ms it saves here).
        anyBuiltins: true,
        notBuiltins: /^node:internal\/fs\/streams$/,
        not: [
          ...WHOLE_SERVICES,
          /^main\/repair\/(?:repair-service|runner)\.ts$/,
          /^main\/collector\/archive\.ts$/,
          // A PC the app never changed has no journal: their reader is not loaded (main/report/app-runs.ts).
          /^main\/report\/journals\.ts$/,
          // Nor analyze's start (its text cleaning, extraction, symptoms, the bounded reader of a file handed over):
          // a scan's readers share only the console text's unwrapping and the outcome words with it.
          ...NOT_ANALYZE,
          ...NOT_REMOTE,
          ...NOT_OUTCOME_WORDS,
        ],
      },
      // Again, now with the verdict the first run remembered: its file, as this app wrote it, is checked without zod
      // (main/timeline/verdict-memory-check.ts; zod's schema only for a file that is not as written).
      'diagnose --machine (a remembered verdict)': {
        args: ['diagnose', '--machine', 'x64-component-store-corrupt'],
        has: ['main/machine-services.ts', 'main/timeline/verdict-memory-check.ts'],
        allow: /^main\/diagnose\//,
        anyBuiltins: true,
        not: [/^main\/timeline\/verdict-memory-schema\.ts$/, ...WHOLE_SERVICES, ...NOT_ANALYZE, ...NOT_REMOTE],
      },
      // Listing offers runs nothing: no runner, no locks, no saved script, and no journal store for a PC with no
      // repair journal (main/repair/repair-service.ts loads them on first use). Its steps' command lines need the
      // step kinds, whose parameters are zod schemas.
      repairs: {
        args: ['repairs', '--machine', 'x64-component-store-corrupt'],
        has: ['main/machine-services.ts', 'main/repair/repair-service.ts', 'main/repair/step-kinds.ts'],
        allow: /^main\/diagnose\/|node_modules\/zod\//,
        anyBuiltins: true,
        // Nor readline: the listing asks nothing (main/cli/ask.ts loads it when a question is first asked).
        notBuiltins: /^node:(?:internal\/fs\/streams|readline(?:\/promises)?)$/,
        not: [...WHOLE_SERVICES, ...NOT_RUNNING, ...NOT_ANALYZE, ...NOT_REMOTE, ...NOT_OUTCOME_WORDS],
      },
      // A PC whose findings offer no Fix-it repair of the app's own (only an install and WinRE's, run elsewhere): no
      // step to show, so no step kinds, and no zod at all.
      'repairs (none of its own)': {
        args: ['repairs', '--machine', 'arm64-missing-checkpoint'],
        has: ['main/machine-services.ts', 'main/repair/repair-service.ts', 'main/cli/commands/repair.ts'],
        allow: /^main\/diagnose\//,
        anyBuiltins: true,
        not: [...WHOLE_SERVICES, ...NOT_RUNNING, ...NOT_ANALYZE, ...NOT_REMOTE, /^main\/repair\/step-kinds\.ts$/],
      },
      'fleet groups': {
        args: ['fleet', 'groups'],
        has: ['main/fleet/store.ts', 'main/cli/commands/fleet.ts'],
        not: [/^main\/analyze\//, /^main\/knowledge\/error-explain\.ts$/],
      },
    }
    for (const [name, e] of Object.entries(expected)) {
      const { files, builtins } = sourcesOf(e.args)
      for (const f of e.has) expect(files, `${name} loads ${f}`).toContain(f)
      expect(
        files.filter(
          (f) => never.some((re) => re.test(f) && !e.allow?.test(f)) || (e.not ?? []).some((re) => re.test(f)),
        ),
        `${name}: sources it should not load`,
      ).toEqual([])
      // Node's stdout/stderr streams are not made (for a pipe: net; a terminal: tty): the program writes to the descriptors
      // (std-write.ts); crypto, child_process and fs/promises load on first use (vite.cli.config.ts), which these commands
      // never make (fs/promises with its webstreams: ~19 M instructions of fleet groups' start).
      if (process.platform !== 'win32' && !e.anyBuiltins)
        expect(
          builtins.filter((b) => /^node:(net|tty|crypto|child_process|fs\/promises)$/.test(b)),
          `${name}: built-ins`,
        ).toEqual([])
      if (e.notBuiltins)
        expect(
          builtins.filter((b) => e.notBuiltins!.test(b)),
          `${name}: built-ins`,
        ).toEqual([])
    }
  })

  it('starts its worker threads from the bundle: the log scan of a file in blocks', { timeout: HANG }, async () => {
    const cli = await currentBuild()
    const chunks = join(cli, '..', 'chunks')
    const file = readdirSync(chunks).find(
      (f) =>
        f.endsWith('.js') &&
        readFileSync(join(chunks, f), 'utf8').includes('workerScriptUrl(import.meta.url, "log-scan-worker")'),
    )
    expect(file, 'the chunk that starts the log scan worker').toBeDefined()
    const mod = (await import(pathToFileURL(join(chunks, file!)).href)) as Record<string, unknown>
    const scanLogFile = Object.values(mod).find((v) => typeof v === 'function' && v.name === 'scanLogFile') as (
      path: string,
      onLine: (l: string) => void,
      o: { filter: RegExp },
      t: { workers: number; mainThread: boolean; minBytes: number; blockBytes: number },
    ) => Promise<{ lines: number; passed: number }>
    expect(scanLogFile).toBeTypeOf('function')
    const log = join(tempDirSync('sd-cli-log-'), 'CBS.log')
    writeFileSync(
      log,
      Array.from(
        { length: 400 },
        (_, i) =>
          `2026-11-20 10:00:${String(i % 60).padStart(2, '0')}, Info  CBS    line ${i}${i % 7 === 0 ? ' Failed' : ''}`,
      ).join('\r\n'),
    )
    const started: string[] = []
    const seen = (m: unknown) => {
      started.push(String((m as { worker: { threadId: number } }).worker.threadId))
    }
    dc.subscribe('worker_threads', seen)
    const passed: string[] = []
    try {
      const stats = await scanLogFile(
        log,
        (l) => passed.push(l),
        { filter: /Failed/ },
        { workers: 2, mainThread: false, minBytes: 0, blockBytes: 4096 },
      )
      expect(stats.lines).toBe(400)
    } finally {
      dc.unsubscribe('worker_threads', seen)
    }
    expect(started.length).toBeGreaterThan(0)
    expect(passed).toHaveLength(Math.ceil(400 / 7))
  })
})

describe('a reader that stops reading', () => {
  /**
   * The CLI writes to a pipe whose reader has already gone: `sh` waits for a line on stdin before it starts the CLI,
   * and that line is sent only after this end of the pipe is closed, so every write the CLI makes fails with EPIPE.
   */
  function closedEarly(
    script: string,
    args: string[],
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
    const line = [process.execPath, script, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ')
    const child = spawn('sh', ['-c', `read go; exec ${line}`], {
      cwd: ROOT,
      env: { ...process.env, SERVICING_DESK_HOME: home },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (t: string) => {
      stderr += t
    })
    child.stdout.destroy()
    child.stdin.end('go\n')
    return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })))
  }

  it('ends the command quietly: exit 0 and no EPIPE stack, built or from the sources', { timeout: HANG }, async () => {
    const cli = await currentBuild()
    for (const [script, args] of [
      [cli, ['knowledge']],
      [cli, ['machines', '--json']],
      [cli, ['knowledge', '--json']],
      [SOURCES, ['explain', '0x800f0922']],
    ] as const) {
      const r = await closedEarly(script, [...args])
      expect({ code: r.code, signal: r.signal, stderr: r.stderr }, `${script} ${args.join(' ')}`).toEqual({
        code: 0,
        signal: null,
        stderr: '',
      })
    }
  })
})

describe('the launcher (npm run cli, the package bin)', () => {
  it('runs the sources, saying so in one line, when the build is missing or a source changed since; the build when current', {
    timeout: HANG,
  }, async () => {
    const cli = await currentBuild()
    // A copy of the launcher beside a copy of the build: the real out/cli and sources are never touched.
    const root = tempDirSync('sd-cli-launcher-')
    mkdirSync(join(root, 'bin'))
    for (const f of ['servicing-desk.mjs', 'built-cli.mjs']) cpSync(join(ROOT, 'bin', f), join(root, 'bin', f))
    symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'))
    const launch = (...args: string[]) => run(join(root, 'bin/servicing-desk.mjs'), args)
    // No build, no sources in this copy: the launcher says why and tries the sources (missing here: it fails).
    const none = launch('explain', '740')
    expect(none.stderr.split('\n')[0]).toBe(
      'servicing-desk: running from the TypeScript sources (slower start): the CLI is not built (out/cli); `npm run build` builds it.',
    )
    // A current build: it runs, silently.
    cpSync(join(cli, '..'), join(root, 'out/cli'), { recursive: true })
    const manifest = JSON.parse(readFileSync(join(root, 'out/cli/inputs.json'), 'utf8')) as {
      inputs: [string, number, number][]
    }
    for (const [rel] of manifest.inputs) cpSync(join(ROOT, rel), join(root, rel), { preserveTimestamps: true })
    const ok = launch('explain', '740')
    expect(ok).toEqual({ code: 0, stdout: run(SOURCES, ['explain', '740']).stdout, stderr: '' })
    // One source touched since: the sources run (the copy's own), after the one line.
    const t = new Date(Date.now() + 5000)
    utimesSync(join(root, 'main/cli/commands/explain.ts'), t, t)
    const stale = launch('explain', '740')
    expect(stale.stderr).toBe(
      'servicing-desk: running from the TypeScript sources (slower start): main/cli/commands/explain.ts changed since the CLI was built; `npm run build` builds it.\n',
    )
    expect(stale.stdout).toBe(ok.stdout)
    expect(stale.code).toBe(0)
  })
})
