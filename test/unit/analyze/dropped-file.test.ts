/**
 * A dropped file reaches main as a one-time token for its path (preload: webUtils.getPathForFile →
 * main/app/ipc.ts registerFileTokens → main/analyze/file-tokens.ts), never as its text, and main's analysis
 * worker reads it with the CLI's bounded reader. Main reads only a path the person dropped: a token it did not
 * hand out, a path in its place, a used token, a relative or device path, a folder, are refused.
 *
 * Memory (not asserted here: a timed or sized assertion would be flaky): `npm run bench -- input-bounds` runs
 * the case "app: dropped list-50mb via analyzeFile", a child process that registers the 50 MB file's path and
 * calls `analyzeFile` through invokeCall as Electron's main process does, under `/usr/bin/time -v` (peak RSS).
 */
import { describe, expect, it, vi } from 'vitest'
import { closeSync, openSync, readFileSync, writeFileSync, ftruncateSync } from 'node:fs'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { createHandlers, invokeCall } from '../../../main/handlers.ts'
import { createFileTokens } from '../../../main/analyze/file-tokens.ts'
import { analyzeText, ANALYZE_MAX_BYTES } from '../../../main/analyze/analyze.ts'
import { registerFileTokens, type InvokeEventLike } from '../../../main/app/ipc.ts'
import { fileTokenOf } from '../../../preload/index.ts'
import { FILE_TOKEN_CHANNEL } from '../../../preload/contract.ts'
import { loadFixture } from '../../fixtures/load.ts'
import { tempDirSync } from '../temp-dirs.ts'

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: () => {} },
  ipcRenderer: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() },
  webUtils: { getPathForFile: () => '' },
}))

const dir = tempDirSync('sd-drop-')
const fixture = join(import.meta.dirname, '../../fixtures/dism-packages/en-gb-list-fod-dismtools220.txt')
const listText = readFileSync(fixture, 'utf8').split('\n').slice(1).join('\n')
const dropped = join(dir, 'packages.txt')
writeFileSync(dropped, listText)

function setUp() {
  const tokens = createFileTokens()
  const handlers = createHandlers(createServices({ dataDir: join(dir, 'home'), platform: 'linux' }), {
    fileTokens: tokens,
  })
  return { tokens, handlers }
}

describe('analyzeFile: a dropped file by its token', () => {
  it("answers what analyzeText answers for the file's text, and the token works once", async () => {
    const { tokens, handlers } = setUp()
    const file = tokens.register(dropped)
    const r = await invokeCall(handlers, 'analyzeFile', { file, kind: 'dism-packages' })
    expect(r).toEqual({ ok: true, value: JSON.parse(JSON.stringify(analyzeText(listText, 'dism-packages'))) })
    const again = await invokeCall(handlers, 'analyzeFile', { file })
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringMatching(/not dropped or chosen in this session/) },
    })
  })

  it.each([
    ['a token main never handed out', { file: 'ft-AAAAAAAAAAAAAAAAAAAAAA' }, 'forbidden'],
    ['a path in place of a token', { file: dropped }, 'invalid-input'],
    ['a text field besides the token', { file: 'ft-AAAAAAAAAAAAAAAAAAAAAA', path: dropped }, 'invalid-input'],
  ])('refuses %s', async (_label, input, code) => {
    const { handlers } = setUp()
    const r = await invokeCall(handlers, 'analyzeFile', input as never)
    expect(r).toMatchObject({ ok: false, error: { code } })
  })

  it('a token of one session (handlers) is unknown to another', async () => {
    const a = setUp()
    const b = setUp()
    const r = await invokeCall(b.handlers, 'analyzeFile', { file: a.tokens.register(dropped) })
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })

  it("refuses a file over the limit from its size, with the paste's sentence (a sparse file: nothing is read)", async () => {
    const { tokens, handlers } = setUp()
    const big = join(dir, 'big.txt')
    const fd = openSync(big, 'w')
    ftruncateSync(fd, ANALYZE_MAX_BYTES + 1)
    closeSync(fd)
    const r = await invokeCall(handlers, 'analyzeFile', { file: tokens.register(big) })
    expect(r).toMatchObject({
      ok: true,
      value: { kind: 'unknown', warnings: [expect.stringMatching(/^The text is 64\.0 MB; at most 64 MB is analysed/)] },
    })
  })
})

describe('diagnose: a dropped log by its token', () => {
  it('is read as `diagnose --log` reads it (CBS logs streamed, any size), once', async () => {
    const { tokens, handlers } = setUp()
    const log = join(dir, 'CBS.log')
    writeFileSync(log, loadFixture('cbs-log/0x800f0922-scheduled-task.log').text)
    const viaToken = await invokeCall(handlers, 'diagnose', { file: tokens.register(log) })
    const viaPath = await createServices({ dataDir: join(dir, 'home-cli'), platform: 'linux' }).diagnose({
      logFiles: [log],
    })
    expect(viaToken).toEqual({ ok: true, value: JSON.parse(JSON.stringify(viaPath)) })
    expect(JSON.stringify(viaToken)).toContain('0x800F0922')
    expect(await invokeCall(handlers, 'diagnose', { file: 'ft-AAAAAAAAAAAAAAAAAAAAAA' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
    expect(await invokeCall(handlers, 'diagnose', { file: log })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    })
  })
})

describe('registering a dropped path', () => {
  it.each([
    ['a relative path', 'packages.txt', 'invalid-input'],
    ['a device path', '\\\\.\\PhysicalDrive0', 'forbidden'],
    ['a folder', dir, 'not-found'],
    ['a missing file', join(dir, 'nope.txt'), 'not-found'],
  ])('refuses %s', (_label, path, code) => {
    expect(() => createFileTokens().register(path)).toThrow(expect.objectContaining({ code }))
  })

  it('keeps at most 16 waiting tokens: the oldest is forgotten', () => {
    const tokens = createFileTokens()
    const first = tokens.register(dropped)
    for (let i = 0; i < 16; i++) tokens.register(dropped)
    expect(() => tokens.take(first)).toThrow(expect.objectContaining({ code: 'forbidden' }))
  })
})

describe('the file-token channel (main/app/ipc.ts) and the preload side', () => {
  const fakeIpc = () => {
    const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>()
    return {
      handlers,
      handle: (c: string, l: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>) => handlers.set(c, l),
      removeHandler: (c: string) => handlers.delete(c),
    }
  }
  const event = (url: string) => ({
    senderFrame: { url, parent: null },
    sender: { id: 1, isDestroyed: () => false, send: vi.fn() },
  })

  it("gives the app's page a token for a real file, refuses another origin and a malformed request", async () => {
    const ipc = fakeIpc()
    const tokens = createFileTokens()
    const off = registerFileTokens(ipc, tokens, { trustedIds: new Set([1]) })
    const call = ipc.handlers.get(FILE_TOKEN_CHANNEL)!
    const ok = (await call(event('app://bundle/index.html'), { path: dropped })) as {
      ok: true
      value: { token: string }
    }
    expect(tokens.take(ok.value.token)).toBe(dropped)
    expect(await call(event('https://evil.example/'), { path: dropped })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
    expect(await call(event('app://bundle/index.html'), dropped)).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    })
    expect(await call(event('app://bundle/index.html'), { path: dir })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    })
    off()
    expect(ipc.handlers.size).toBe(0)
  })

  it('the preload asks main only for a File that has a path on disk', async () => {
    const invoke = vi.fn(async () => ({ ok: true, value: { token: 'ft-x' } }))
    expect(await fileTokenOf({}, () => '', invoke)).toBeNull()
    expect(
      await fileTokenOf(
        'C:\\Windows\\win.ini',
        () => {
          throw new TypeError('not a File')
        },
        invoke,
      ),
    ).toBeNull()
    expect(invoke).not.toHaveBeenCalled()
    expect(await fileTokenOf({}, () => dropped, invoke)).toBe('ft-x')
    expect(invoke).toHaveBeenCalledWith(FILE_TOKEN_CHANNEL, { path: dropped })
    expect(
      await fileTokenOf(
        {},
        () => dropped,
        async () => ({ ok: false, error: { code: 'not-found', message: 'x' } }),
      ),
    ).toBeNull()
  })
})
