/** The renderer's session loads app://, data: and blob: only; everything else is cancelled. */
import { describe, expect, it, vi } from 'vitest'
import { blockRemoteRequests, isRequestAllowed } from '../../../main/app/security/remote-requests.ts'

describe('blockRemoteRequests', () => {
  it.each([
    ['app://bundle/assets/index.js', false],
    ['data:image/png;base64,AAAA', false],
    ['blob:app://bundle/1234', false],
    ['https://evil.example/x.js', true],
    ['http://127.0.0.1:8080/', true],
    ['wss://evil.example/', true],
    ['file:///C:/Windows/win.ini', true],
    ['ftp://x/', true],
    ['not a url', true],
  ])('%s → cancel %s', (url, cancel) => {
    let listener: ((d: { url: string }, cb: (r: { cancel?: boolean }) => void) => void) | null = null
    const blocked = vi.fn()
    blockRemoteRequests(
      {
        webRequest: {
          onBeforeRequest: (l) => {
            listener = l
          },
        },
      },
      blocked,
    )
    const cb = vi.fn()
    listener!({ url }, cb)
    expect(cb).toHaveBeenCalledWith({ cancel })
    expect(blocked).toHaveBeenCalledTimes(cancel ? 1 : 0)
    expect(isRequestAllowed(url)).toBe(!cancel)
  })
})
