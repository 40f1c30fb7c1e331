/**
 * The command line, built as the app's main process is: ESM for Node, the dependencies left to
 * node_modules, everything of ours bundled, with source maps. Output: out/cli/servicing-desk.js (the entry),
 * out/cli/analyze-worker.js, verdict-worker.js and log-scan-worker.js (worker threads, found by main/worker-url.ts from
 * the chunks one folder below), out/cli/chunks/* (what a command loads when it runs: each command's module is
 * imported only for that command, so `explain` never parses the fleet store or the Azure clients), and
 * out/cli/inputs.json: every source file the bundle holds with its size and mtime, which bin/built-cli.mjs
 * compares before the bundle is used (a changed source means the sources run, never a stale bundle).
 * out/cli/data/*.json: the knowledge data read on first use (LAZY_DATA below).
 *
 * Built by `electron-vite build` (electron.vite.config.ts runs it after the main process) and alone with
 * `vite build -c vite.cli.config.ts`.
 */
import { defineConfig, type InlineConfig, type Plugin } from 'vite'
import { builtinModules } from 'node:module'
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { basename, isAbsolute, posix, relative, resolve } from 'node:path'

const root = import.meta.dirname
export const CLI_OUT_DIR = resolve(root, 'out/cli')

const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
}
const deps = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })
/**
 * Bundled although dependencies: pure JavaScript that nearly every command loads, and whose many files cost more
 * to find and compile one by one than bundled (measured: zod's 95 files ~160 ms of CPU, commander's 7 ~60 ms).
 */
const BUNDLED = ['zod', 'commander']
/** A production dependency or one of its subpaths (`@azure/msal-node`, `undici`, `cheerio/slim`): loaded from node_modules. */
const isDependency = (id: string) => deps.some((d) => (id === d || id.startsWith(`${d}/`)) && !BUNDLED.includes(d))

/**
 * Node's built-in modules taken from `process.getBuiltinModule` instead of `import … from 'node:…'` in every chunk.
 * An ES import of a built-in goes through its ES facade, which reads every export once (`node:fs`'s streams and
 * promises, `node:util`'s TextDecoder…): measured ~9 ms of CPU for `node:fs` and ~11 for `node:util` at load 20
 * against ~0.5 taken as the CommonJS object Node already holds. Only the leading import block of a chunk is rewritten,
 * line for line (the source map's lines stay true). A built-in that costs to load and that a start rarely uses is
 * loaded on first use instead: a whole-module import of LAZY_MODULES (commander's `node:child_process`, ~10 ms, for
 * external subcommands only) becomes a stand-in that loads it on its first property read, and a named import listed in
 * LAZY_FUNCTIONS (plain functions only, always called, never constructed: `node:crypto`'s randomBytes for the atomic
 * writer's temporary name, ~9 ms) a function that loads the module when first called.
 */
const LAZY_MODULES = new Set(['node:child_process'])
const LAZY_FUNCTIONS: Record<string, readonly string[]> = {
  'node:crypto': ['createHash', 'createHmac', 'randomBytes', 'randomUUID', 'timingSafeEqual'],
  // Loaded by the fleet's command module for the subcommands that make temporary folders or read a file (~0.9 ms of
  // `fleet groups`' start by cpu-prof, which uses none of them). Its `constants` (not a function) stays eager.
  'node:fs/promises': [
    'access',
    'copyFile',
    'lstat',
    'mkdir',
    'mkdtemp',
    'open',
    'readFile',
    'readdir',
    'realpath',
    'rename',
    'rm',
    'stat',
    'statfs',
    'unlink',
    'writeFile',
  ],
  // ask.ts's only import: a command that may ask (repair, winre repair, install, fleet fix) loads it with its module,
  // and `repairs`, which lists offers and asks nothing, loaded readline with it (~2 ms of its start by cpu-prof).
  'node:readline/promises': ['createInterface'],
}
const BUILTIN_IMPORT = /^import (?:([\w$]+|\* as [\w$]+)|(?:([\w$]+), )?\{([^}]*)\}) from "(node:[\w/]+)";$/

/** The chunk's leading import lines of built-ins rewritten (see above); other lines as they were. */
export function builtinsFromProcess(code: string): string {
  const lines = code.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (line === '' || line.startsWith('#!') || line.startsWith('//')) continue
    if (!line.startsWith('import ')) break
    const m = BUILTIN_IMPORT.exec(line)
    if (!m) continue
    const [, whole, defaultName, named, spec] = m as unknown as [
      string,
      string | undefined,
      string | undefined,
      string | undefined,
      string,
    ]
    const get = `globalThis.process.getBuiltinModule(${JSON.stringify(spec)})`
    if (whole) {
      const name = whole.replace(/^\* as /, '')
      lines[i] = LAZY_MODULES.has(spec)
        ? `const ${name} = new Proxy({}, { get: (_, k) => ${get}[k], has: (_, k) => k in ${get}, ownKeys: () => Reflect.ownKeys(${get}), getOwnPropertyDescriptor: (_, k) => ({ ...Reflect.getOwnPropertyDescriptor(${get}, k), configurable: true }) });`
        : `const ${name} = ${get};`
      continue
    }
    const eager: string[] = []
    const lazy: string[] = []
    for (const part of named!
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)) {
      const [imported, local = imported] = part.split(/\s+as\s+/) as [string, string?]
      if (LAZY_FUNCTIONS[spec]?.includes(imported)) lazy.push(`const ${local} = (...a) => ${get}.${imported}(...a);`)
      else eager.push(local === imported ? imported : `${imported}: ${local}`)
    }
    // `import d, { a } from "node:x"` (a chunk holding modules that import it both ways): the default is the module.
    lines[i] = [
      ...(defaultName ? [`const ${defaultName} = ${get};`] : []),
      ...(eager.length ? [`const { ${eager.join(', ')} } = ${get};`] : []),
      ...lazy,
    ].join(' ')
  }
  return lines.join('\n')
}

function builtinsPlugin(): Plugin {
  return {
    name: 'servicing-desk:cli-builtins',
    apply: 'build',
    renderChunk: (code) => ({ code: builtinsFromProcess(code), map: null }),
  }
}

/**
 * The modules main/cli/bin.ts loads at every start (see the chunk group below), and the status words (600 bytes that
 * analyze, fleet, diagnose and winre each loaded as a chunk of their own: analyze 190.9 -> 190.2 M instructions).
 */
const START_MODULES =
  /node_modules[\\/]commander[\\/]|main[\\/](?:cli[\\/](?:cli-error|terminal-text|cli-main|run-cli|closed-pipe|std-write|output|self-command|json-text|commands[\\/]index)|errors|data-dir|security[\\/](?:sddl|data-dir-guard)|host[\\/](?:powershell|powershell-text))\.ts$|preload[\\/]model[\\/]status-words\.ts$/

/**
 * The modules `analyze` loads whatever the text (main/cli/commands/analyze.ts, the analysis without its readers, the
 * detection of main/analyze/detect-kinds.ts, the text cleaning and extraction), in one chunk: 11 chunks where it was
 * 20, 244 -> 226 M instructions for a package list. Only modules no other fast command loads, and
 * without their dependencies (those stay in their own chunks): error-codes and error-normalize are explain's too,
 * status-words fleet's, package-identity and lines the diagnosis's (in this chunk they loaded it whole into `diagnose
 * --code`, and with it the text's story and reagentc's parser). Tried and not kept: the same for `fleet groups` (its chunk of 77 KB cost 26 M more).
 */
const ANALYZE_MODULES =
  /main[\\/](?:analyze[\\/](?:analyze-core|analyze-loading|analyze-file|extract|clean-text|normalize-text|transcript|detect-kinds|kind-scores|kinds[\\/]log-errors)|cli[\\/]commands[\\/]analyze|bounded-input|knowledge[\\/]symptoms|parse[\\/]os-text)\.ts$/

/**
 * Modules a machine's diagnosis loads that analyze loads too, in a chunk of their own: the console text's unwrapping
 * (the hotfix, storage and DISM readers of a scan use it). In analyze's chunk
 * they loaded it whole (58 KB: the text cleaning, extraction, symptoms) into `diagnose --machine` and `repairs`; alone,
 * outcome-words' chunk held the text story, which loaded analyze's chunk all the same.
 */
const SHARED_TEXT_MODULES = /main[\\/]parse[\\/]console-text\.ts$/
/**
 * The outcome words and their table (68 KB of JSON, parsed when the module loads), in a chunk apart from the console
 * text's: only the text story (main/analyze/text-story.ts) reads them, and beside the console text every scan of a
 * machine parsed the table for nothing.
 */
const OUTCOME_WORDS_MODULES = /main[\\/]knowledge[\\/](?:outcome-words\.ts|data[\\/]outcome-words\.json)$/

/**
 * A machine's scan and what it runs on a training machine, in one chunk: `diagnose --machine` and `repairs` loaded
 * them as ~40 chunks of their own (the probes, the training host, its store, profiles, renderers and logs), each a
 * resolve, a read, a compile and a link. Only modules no other fast command loads (explain, knowledge, analyze,
 * diagnose --code and fleet groups load none: fast-start.test.ts), without their dependencies: the readers of Windows'
 * output (main/parse) stay in their own chunks, since analyze loads them one by one. Left out, as never loaded to
 * diagnose a training machine: a snapshot's training copy, the task cache's repair, the remote training transport,
 * the archived runs and the renderers of the commands that change a machine (main/training/commands.ts onFirstRun).
 */
const MACHINE_MODULES =
  /main[\\/](?:machine-services|machine[\\/](?:scan|probe|probes[\\/][\w-]+|read-machine-logs|cbs-persist|current-lcu|winre-commands)|training[\\/](?:training-host|store|state|commands|derived-files|sha1|renderers[\\/](?!dism-install|dism-remove|repair|wu-components|task-cache)[\w-]+|profiles[\\/][\w-]+|logs[\\/][\w-]+)|timeline[\\/]verdict-memory(?:-check)?|repair[\\/]verdict)\.ts$/

/**
 * Knowledge data the CLI reads from a file on first use instead of parsing at import: the error codes'
 * three tables (~100 KB), the servicing chains (~60 KB) and the known issues (234 KB: explain looks a citation up in
 * their sources only when the other tables lack it, and parsed them whole at every start: 212.5 -> 201.2 M; a diagnosis
 * with no KB and no text, `diagnose --code`, meets no row and reads neither file: 297.6 -> 280.0 M, known-issues.ts). In
 * the bundle a data file was one string literal that every
 * start scanned and JSON.parse'd (error codes ~7.6 M instructions, chains ~4 M; cachegrind); `analyze` of a package list
 * uses neither. Here the import becomes an object whose top-level properties are its data file's (the names are in the
 * chunk), read from out/cli/data/<name>.json (written ASCII-only, \u escapes, so it is read as Latin-1 into a one-byte
 * string) when one is first read; a property listed in LAZY_APART is written to data/<name>.<property>.json instead and
 * read alone: `explain` resolves a citation through the servicing chains' `sources` (15 KB) without reading their
 * branches and updates (37 KB; citations.ts), and cites the WU reference page (its `source`) without reading the page's
 * codes (28 KB), which only a code outside the curated entries needs (error-codes.ts). One file per property everywhere cost more reads than it saved parsing
 * (explain read 9 files for 4). A module that reads such data at import still reads it at start, as a file (~2 M less
 * than the literal); error-codes.ts reads its data only when called. Every other JSON import stays a JSON.parse in the
 * bundle.
 */
const LAZY_DATA =
  /[\\/]main[\\/]knowledge[\\/]data[\\/](?:error-codes|wu-error-reference|ms-error-tables|servicing-chains|outcome-words|known-issues)\.json$/
/** Properties of a lazily read data file written to a file of their own (see above). */
const LAZY_APART: Record<string, readonly string[]> = {
  'servicing-chains': ['sources'],
  'wu-error-reference': ['codes'],
  'outcome-words': ['noBootBitlocker'],
  'known-issues': ['sources'],
}
const LAZY_PREFIX = '\0sd-lazy-data:'
/** The module id of a lazily read data file (not ending in `.json`, which Vite's JSON plugin would parse), and back. */
const lazyId = (file: string) => `${LAZY_PREFIX}${file}.lazy.js`
const lazyFile = (id: string) => id.slice(LAZY_PREFIX.length, -'.lazy.js'.length)
const DATA_DIR_MARK = '__SD_LAZY_DATA_DIR__'

/** A lazily read data file's top-level property names (plain words: a property kept apart names a file; else the build stops). */
function lazyKeys(file: string): string[] {
  const value = JSON.parse(readFileSync(file, 'utf8')) as unknown
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${file}: lazily read data must be a JSON object`)
  const keys = Object.keys(value)
  const bad = keys.filter((k) => !/^[A-Za-z][\w-]*$/.test(k))
  if (bad.length) throw new Error(`${file}: top-level properties ${bad.join(', ')} cannot name a data file`)
  return keys
}

/** The JSON text as ASCII (each UTF-16 unit past U+007F as a \u escape): the same value, readable as Latin-1. */
export const asciiJson = (text: string) =>
  JSON.stringify(JSON.parse(text)).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )

function lazyDataPlugin(outDir: string): Plugin {
  const files = new Map<string, string>()
  return {
    name: 'servicing-desk:cli-lazy-data',
    apply: 'build',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!source.endsWith('.json') || !importer) return null
      const r = await this.resolve(source, importer, { skipSelf: true })
      return r && LAZY_DATA.test(r.id) ? lazyId(r.id) : null
    },
    load(id) {
      if (!id.startsWith(LAZY_PREFIX)) return null
      const file = lazyFile(id)
      const name = basename(file, '.json')
      const keys = lazyKeys(file)
      files.set(name, file)
      this.addWatchFile(file)
      const apart = (LAZY_APART[name] ?? []).filter((k) => keys.includes(k))
      const at = JSON.stringify(`/${DATA_DIR_MARK}/${name}`)
      // A plain object with the file's properties as its own, each value read on first use. The target is an empty
      // object, so what is not a property of the file (toString, hasOwnProperty…) is the target's, as for the JSON value.
      return [
        'const { readFileSync } = globalThis.process.getBuiltinModule("node:fs");',
        `const keys = ${JSON.stringify(keys)};`,
        `const apart = ${JSON.stringify(apart)};`,
        'const values = new Map();',
        'let rest;',
        'const own = (k) => typeof k === "string" && keys.includes(k);',
        `const file = (suffix) => JSON.parse(readFileSync(import.meta.dirname + ${at} + suffix + ".json", "latin1"));`,
        'const read = (k) => {',
        '  if (values.has(k)) return values.get(k);',
        '  if (apart.includes(k)) { const v = file("." + k); values.set(k, v); return v; }',
        '  rest ??= file("");',
        '  return rest[k];',
        '};',
        'export default new Proxy({}, {',
        '  get: (t, k, r) => (own(k) ? read(k) : Reflect.get(t, k, r)),',
        '  has: (t, k) => own(k) || k in t,',
        '  set: (t, k, v) => { if (typeof k !== "string") return Reflect.set(t, k, v); if (!keys.includes(k)) keys.push(k); values.set(k, v); return true; },',
        '  ownKeys: () => [...keys],',
        '  getOwnPropertyDescriptor: (t, k) => (own(k) ? { value: read(k), writable: true, enumerable: true, configurable: true } : Reflect.getOwnPropertyDescriptor(t, k)),',
        '});',
      ].join('\n')
    },
    renderChunk(code, chunk) {
      if (!code.includes(DATA_DIR_MARK)) return null
      const rel = posix.relative(posix.dirname(chunk.fileName), 'data') || '.'
      return { code: code.replaceAll(DATA_DIR_MARK, rel), map: null }
    },
    writeBundle() {
      mkdirSync(resolve(outDir, 'data'), { recursive: true })
      for (const [name, file] of files) {
        const value = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
        const apart = LAZY_APART[name] ?? []
        const rest = Object.fromEntries(Object.entries(value).filter(([k]) => !apart.includes(k)))
        writeFileSync(resolve(outDir, 'data', `${name}.json`), asciiJson(JSON.stringify(rest)))
        for (const k of apart)
          if (k in value)
            writeFileSync(resolve(outDir, 'data', `${name}.${k}.json`), asciiJson(JSON.stringify(value[k])))
      }
    },
  }
}

/** Writes `<outDir>/inputs.json`: each of our source files in the bundle, `[path from the project folder, size, mtimeMs]`. */
function inputsManifest(outDir: string): Plugin {
  const files = new Set<string>()
  return {
    name: 'servicing-desk:cli-inputs',
    apply: 'build',
    generateBundle() {
      for (const id of this.getModuleIds()) {
        const file = (id.startsWith(LAZY_PREFIX) ? lazyFile(id) : id).split('?')[0]!
        if (!isAbsolute(file) || file.includes('/node_modules/') || file.includes('\\node_modules\\')) continue
        const rel = relative(root, file).replace(/\\/g, '/')
        if (rel.startsWith('..')) continue
        files.add(rel)
      }
    },
    writeBundle() {
      const inputs = [...files].sort().map((rel) => {
        const s = statSync(resolve(root, rel))
        return [rel, s.size, s.mtimeMs] as const
      })
      writeFileSync(
        resolve(outDir, 'inputs.json'),
        `${JSON.stringify({ builtAt: new Date().toISOString(), inputs })}\n`,
      )
    },
  }
}

/** The CLI's build into `outDir` (out/cli; a test builds the current sources into a folder of its own). */
export const cliBuildConfig = (outDir = CLI_OUT_DIR): InlineConfig => ({
  configFile: false,
  root,
  logLevel: 'warn',
  publicDir: false,
  // Each data file (main/knowledge/data/*.json) as one JSON.parse of its text, not an object literal V8 compiles as
  // code (the error codes' 130 KB: ~4 M instructions less for explain and knowledge; test/unit/cli/fast-start.test.ts).
  json: { stringify: true, namedExports: false },
  plugins: [lazyDataPlugin(outDir), inputsManifest(outDir), builtinsPlugin()],
  ssr: { noExternal: true, target: 'node' },
  build: {
    ssr: true,
    outDir,
    emptyOutDir: true,
    target: 'node22',
    sourcemap: true,
    minify: false,
    reportCompressedSize: false,
    copyPublicDir: false,
    modulePreload: false,
    rollupOptions: {
      input: {
        'servicing-desk': resolve(root, 'main/cli/bin.ts'),
        'analyze-worker': resolve(root, 'main/analyze/analyze-worker.ts'),
        'log-scan-worker': resolve(root, 'main/diagnose/log-scan-worker.ts'),
        // The app's analyze calls (reading and verdict), served by the preview from this build too.
        'verdict-worker': resolve(root, 'main/diagnose/verdict-worker.ts'),
      },
      external: (id) => isDependency(id) || builtinModules.includes(id.replace(/^node:/, '')) || id.startsWith('node:'),
      output: {
        format: 'es',
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        // ASCII only (non-ASCII escaped in strings and patterns; comments, where a dash or arrow would stay, dropped:
        // the source maps keep them): one character past U+007F makes Node decode a whole chunk from UTF-8 into a
        // two-byte string that V8 scans two bytes a character (analyze ~12 M instructions, explain ~6 M).
        charset: 'ascii',
        comments: false,
        // What every command loads before it knows which command it is (commander, the error types, the terminal
        // escaping, the data folder and its guard with the PowerShell text it checks by) in one chunk, not eight:
        // each ES module costs Node a resolve, a read, a compile and a link of its own.
        codeSplitting: {
          groups: [
            { name: 'cli-start', test: START_MODULES },
            { name: 'shared-text', test: SHARED_TEXT_MODULES, includeDependenciesRecursively: false },
            { name: 'outcome-words', test: OUTCOME_WORDS_MODULES, includeDependenciesRecursively: false },
            { name: 'analyze-start', test: ANALYZE_MODULES, includeDependenciesRecursively: false },
            { name: 'machine', test: MACHINE_MODULES, includeDependenciesRecursively: false },
          ],
        },
      },
    },
  },
})

export default defineConfig(cliBuildConfig())
