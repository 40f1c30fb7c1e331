/**
 * Benchmark: the CLI's input boundary, measured on the real command in a child process each
 * (`/usr/bin/time -v` gives its peak RSS; without it, the wall time only). Cases:
 * - `analyze big.txt --kind dism-packages`, 50 MB made of a real DISM /Get-Packages capture repeated (table
 *   and list layouts, test/fixtures/dism-packages), and the same text piped to `analyze - --kind dism-packages`;
 * - `analyze -` fed 400 MB (piped, and redirected from a file): must be refused, quickly, with little memory;
 * - the app's path (a drop or paste): the same 50 MB as a string given to the contract's `analyze` call through
 *   invokeCall (the handler runs it in the analysis worker), in a child process that holds the string as
 *   Electron's main process does after IPC (`--app-analyze FILE KIND`, below), against that child's baseline;
 * - the app's drop: the 50 MB file's path registered as the preload does and the contract's
 *   `analyzeFile` call (main's worker reads the file, bounded), in a child that stands for Electron's main
 *   process (`--app-analyze-file FILE KIND`);
 * - the app's paste as the preload sends it (UTF-8 bytes, which main moves to the worker) to the `analyze`
 *   call (`--app-analyze-bytes FILE KIND`). Measured on 2026-11-23 (peak RSS, 3 runs each, 2 cores, load ~14),
 *   list / table layout: the CLI 246-250 / 209-213 MB; a drop 255-262 / 261-262; a paste as bytes 254-262 /
 *   257-260 (315 when the worker kept the bytes in workerData); a paste as a string 308-309 / 293-295. Earlier at
 *   load 3-10, a drop of the list: 260-273 in 7 runs of 8, one at 317.
 * Targets: 50 MB under 300 MB peak; 400 MB refused under 1 s and under 300 MB. The baseline, measured in the
 * same run: the CLI analysing a 1 KB file (start-up and module loading). Prints numbers; asserts nothing.
 * `npm run bench -- input-bounds`
 */
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { pathToFileURL } from 'node:url'
import { tmpdir, loadavg, cpus } from 'node:os'
import { join } from 'node:path'

const MB = 1024 * 1024
const root = join(import.meta.dirname, '../..')
const dir = mkdtempSync(join(tmpdir(), 'sd-input-bench-'))
const time = existsSync('/usr/bin/time') ? '/usr/bin/time' : null

function repeatFixture(name: string, bytes: number, out: string): void {
  const text = readFileSync(join(root, 'test/fixtures/dism-packages', name), 'utf8')
    .split('\n')
    .slice(1)
    .join('\n')
  const fd = openSync(out, 'w')
  const chunk = Buffer.from(text.repeat(Math.ceil(MB / text.length)))
  for (let n = 0; n < bytes; n += chunk.length) writeSync(fd, chunk)
  closeSync(fd)
}

/** Runs `sh -c CMD` (the CLI inside) and reports wall seconds, peak RSS (MB) and the exit code. */
function measure(label: string, shell: string): void {
  const env = { ...process.env, SERVICING_DESK_HOME: join(dir, 'home') }
  const cmd = time ? `${time} -f '%e %M %x' sh -c ${JSON.stringify(shell)}` : shell
  const t0 = performance.now()
  const r = spawnSync('sh', ['-c', cmd], { cwd: root, env, encoding: 'utf8', maxBuffer: 256 * MB })
  const wall = (performance.now() - t0) / 1000
  const last = r.stderr.trim().split('\n').pop() ?? ''
  const m = /^([\d.]+) (\d+) (\d+)$/.exec(last)
  const said =
    r.stderr
      .split('\n')
      .find((l) => l.startsWith('servicing-desk:'))
      ?.slice(0, 90) ?? ''
  process.stdout.write(
    `${label.padEnd(52)} ${m ? `${m[1]} s, peak ${(Number(m[2]) / 1024).toFixed(0)} MB, exit ${m[3]}` : `${wall.toFixed(2)} s (no /usr/bin/time: peak RSS not measured), exit ${r.status}`}${said ? `  "${said}"` : ''}\n`,
  )
}

/**
 * `--app-analyze FILE KIND`: the child that stands for the app's main process: FILE read as a string (its bytes
 * dropped, as IPC leaves main holding only the string), then the contract's `analyze` call through invokeCall.
 * KIND `-` detects; `none` stops after reading (the baseline). Prints the result's JSON.
 */
async function appAnalyze(file: string, kind: string): Promise<void> {
  const readText = () => {
    const b = readFileSync(file)
    return b.toString('utf8', 0, Math.min(b.length, 50_000_000))
  }
  // The contract takes at most 50,000,000 characters: the text is cut there (a sliced string would keep the rest).
  const text = readText()
  if (kind === 'none') {
    process.stdout.write(`${text.length}\n`)
    return
  }
  const { createHandlers, invokeCall } = (await import(
    pathToFileURL(join(root, 'main/handlers.ts')).href
  )) as typeof import('../../main/handlers.ts')
  const { createServices } = (await import(
    pathToFileURL(join(root, 'main/services.ts')).href
  )) as typeof import('../../main/services.ts')
  const handlers = createHandlers(createServices({ dataDir: join(dir, 'app'), platform: 'linux' }))
  const r = await invokeCall(handlers, 'analyze', kind === '-' ? { text } : { text, kind })
  process.stdout.write(`${JSON.stringify(r)}\n`)
}

/** `--app-analyze-file FILE KIND`: FILE dropped in the app: its path registered (as the preload does), then `analyzeFile`. */
async function appAnalyzeFile(file: string, kind: string): Promise<void> {
  const { createHandlers, invokeCall } = (await import(
    pathToFileURL(join(root, 'main/handlers.ts')).href
  )) as typeof import('../../main/handlers.ts')
  const { createServices } = (await import(
    pathToFileURL(join(root, 'main/services.ts')).href
  )) as typeof import('../../main/services.ts')
  const { createFileTokens } = (await import(
    pathToFileURL(join(root, 'main/analyze/file-tokens.ts')).href
  )) as typeof import('../../main/analyze/file-tokens.ts')
  const fileTokens = createFileTokens()
  const handlers = createHandlers(createServices({ dataDir: join(dir, 'app'), platform: 'linux' }), { fileTokens })
  const token = fileTokens.register(file)
  const r = await invokeCall(handlers, 'analyzeFile', kind === '-' ? { file: token } : { file: token, kind })
  process.stdout.write(`${JSON.stringify(r)}\n`)
}

/** `--app-analyze-bytes FILE KIND`: a paste sent as bytes (as the preload sends it): main moves them to the worker. */
async function appAnalyzeBytes(file: string, kind: string): Promise<void> {
  const { createHandlers, invokeCall } = (await import(
    pathToFileURL(join(root, 'main/handlers.ts')).href
  )) as typeof import('../../main/handlers.ts')
  const { createServices } = (await import(
    pathToFileURL(join(root, 'main/services.ts')).href
  )) as typeof import('../../main/services.ts')
  const handlers = createHandlers(createServices({ dataDir: join(dir, 'app'), platform: 'linux' }))
  // What Electron's IPC hands main: a Uint8Array that owns its buffer (at most 50,000,000 bytes, as the contract takes).
  const readBytes = () => {
    const b = readFileSync(file)
    return new Uint8Array(b.subarray(0, Math.min(b.length, 50_000_000)))
  }
  const r = await invokeCall(handlers, 'analyze', kind === '-' ? { text: readBytes() } : { text: readBytes(), kind })
  process.stdout.write(`${JSON.stringify(r)}\n`)
}

const appBytesArg = process.argv.indexOf('--app-analyze-bytes')
if (appBytesArg !== -1) {
  try {
    await appAnalyzeBytes(process.argv[appBytesArg + 1]!, process.argv[appBytesArg + 2]!)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  process.exit(0)
}
const appArg = process.argv.indexOf('--app-analyze')
const appFileArg = process.argv.indexOf('--app-analyze-file')
if (appFileArg !== -1) {
  try {
    await appAnalyzeFile(process.argv[appFileArg + 1]!, process.argv[appFileArg + 2]!)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
} else if (appArg !== -1) {
  try {
    await appAnalyze(process.argv[appArg + 1]!, process.argv[appArg + 2]!)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
} else
  try {
    const node = JSON.stringify(process.execPath)
    const small = join(dir, 'small.txt')
    repeatFixture('en-us-table-24h2-openssh2282.txt', 1, small)
    const table = join(dir, 'table-50mb.txt')
    const list = join(dir, 'list-50mb.txt')
    repeatFixture('en-us-table-24h2-openssh2282.txt', 50 * MB, table)
    repeatFixture('en-gb-list-fod-dismtools220.txt', 50 * MB, list)
    const big = join(dir, '400mb.txt')
    repeatFixture('en-us-table-24h2-openssh2282.txt', 400 * MB, big)
    process.stdout.write(`load ${loadavg()[0].toFixed(1)} on ${cpus().length} cores\n`)
    measure(
      'baseline: analyze 1 KB file',
      `${node} main/cli/bin.ts analyze ${small} --kind dism-packages --json > /dev/null`,
    )
    for (const [name, f] of [
      ['table', table],
      ['list', list],
    ] as const) {
      measure(
        `analyze ${name}-50mb.txt --kind dism-packages`,
        `${node} main/cli/bin.ts analyze ${f} --kind dism-packages --json > /dev/null`,
      )
      measure(
        `cat ${name}-50mb.txt | analyze - --kind dism-packages`,
        `cat ${f} | ${node} main/cli/bin.ts analyze - --kind dism-packages --json > /dev/null`,
      )
    }
    const self = JSON.stringify(join(root, 'test/bench/input-bounds.bench.ts'))
    measure(
      'app baseline: 50 MB read as a string, not analysed',
      `${node} ${self} --app-analyze ${table} none > /dev/null`,
    )
    for (const [name, f] of [
      ['table', table],
      ['list', list],
    ] as const) {
      measure(
        `app: analyze call, ${name}-50mb, kind dism-packages`,
        `${node} ${self} --app-analyze ${f} dism-packages > /dev/null`,
      )
    }
    for (const [name, f] of [
      ['table', table],
      ['list', list],
    ] as const) {
      measure(
        `app: dropped ${name}-50mb via analyzeFile, dism-packages`,
        `${node} ${self} --app-analyze-file ${f} dism-packages > /dev/null`,
      )
      measure(
        `app: pasted ${name}-50mb as bytes, dism-packages`,
        `${node} ${self} --app-analyze-bytes ${f} dism-packages > /dev/null`,
      )
    }
    measure('app: analyze call, table-50mb, kind detected', `${node} ${self} --app-analyze ${table} - > /dev/null`)
    measure('analyze - < 400mb.txt (redirected)', `${node} main/cli/bin.ts analyze - < ${big} > /dev/null`)
    measure('cat 400mb.txt | analyze - (piped)', `cat ${big} | ${node} main/cli/bin.ts analyze - > /dev/null`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
