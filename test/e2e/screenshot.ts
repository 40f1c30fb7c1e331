import type { Page, PageScreenshotOptions } from '@playwright/test'

/**
 * `page.screenshot` for the pictures the specs keep as evidence, asked a second time when Chromium refuses a
 * capture with "Unable to capture screenshot": a transient refusal of the browser, not of the page (seen once
 * in a clean-clone CI run here, on the first capture of a test; robotframework-browser#5237 counts 21 in 287
 * CI runs and the same picture taken when asked again). Any other error, or a second refusal, fails the test.
 */
export async function screenshot(page: Page, options: PageScreenshotOptions): Promise<Buffer> {
  try {
    return await page.screenshot(options)
  } catch (err) {
    if (!(err instanceof Error) || !err.message.includes('Unable to capture screenshot')) throw err
    await page.waitForTimeout(250)
    return page.screenshot(options)
  }
}
