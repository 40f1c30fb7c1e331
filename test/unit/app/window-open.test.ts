/** New windows are always denied; allowlisted links go to the browser through the one helper. */
import { describe, expect, it, vi } from 'vitest'
import { denyNewWindows } from '../../../main/app/security/window-open.ts'

describe('denyNewWindows', () => {
  it.each([
    'https://evil.example/',
    'https://learn.microsoft.com/x',
    'app://bundle/index.html',
    'about:blank',
    'file:///etc/passwd',
  ])('denies a window for %s', (url) => {
    let handler: ((d: { url: string }) => { action: string }) | undefined
    const openExternal = vi.fn()
    denyNewWindows(
      {
        setWindowOpenHandler: (h) => {
          handler = h
        },
      },
      openExternal,
    )
    expect(handler!({ url })).toEqual({ action: 'deny' })
    expect(openExternal).toHaveBeenCalledWith(url)
  })
})
