import { describe, expect, it } from 'vitest'
import type { Page } from '@playwright/test'
import { screenshot } from '../../e2e/screenshot.ts'

/** A page whose captures answer with `answers` in turn (an Error is thrown, a string is the picture). */
function pageAnswering(answers: Array<Error | string>): { page: Page; calls: () => number } {
  let n = 0
  const page = {
    screenshot: async () => {
      const a = answers[n++]
      if (a instanceof Error) throw a
      return Buffer.from(a ?? '')
    },
    waitForTimeout: async () => {},
  } as unknown as Page
  return { page, calls: () => n }
}

const refused = () =>
  new Error('page.screenshot: Protocol error (Page.captureScreenshot): Unable to capture screenshot')

describe("the specs' evidence screenshots", () => {
  it('ask Chromium once more after its transient refusal, and keep that picture', async () => {
    const { page, calls } = pageAnswering([refused(), 'picture'])
    expect((await screenshot(page, { path: 'x.png' })).toString()).toBe('picture')
    expect(calls()).toBe(2)
  })

  it('a second refusal fails the test', async () => {
    const { page, calls } = pageAnswering([refused(), refused(), 'never'])
    await expect(screenshot(page, {})).rejects.toThrow('Unable to capture screenshot')
    expect(calls()).toBe(2)
  })

  it('any other error is not retried', async () => {
    const { page, calls } = pageAnswering([new Error('Target page, context or browser has been closed'), 'never'])
    await expect(screenshot(page, {})).rejects.toThrow('has been closed')
    expect(calls()).toBe(1)
  })
})
