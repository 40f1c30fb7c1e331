/**
 * The preview's key is its own port's: a browser sends 127.0.0.1's cookies to EVERY port of 127.0.0.1
 * (cookies have no port), so the session cookie the preview used to set reached any program listening on another
 * loopback port, which could replay it and read the API token. Now the printed address opens the page with the token
 * and sets no cookie; the page keeps the token in sessionStorage (its origin's alone: scheme, host and port) and takes
 * it out of the address bar. In real Chromium, as a person's browser (no token header), beside a real second server.
 */
import { test, expect } from '@playwright/test'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

test('the printed address opens the app in a tab that keeps it across a reload, and another loopback port gets nothing of it', async ({
  browser,
  baseURL,
}) => {
  const seen: Array<string | undefined> = []
  const other = createServer((req, res) => {
    seen.push(req.headers.cookie ?? (req.headers['x-sd-token'] as string | undefined))
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end('<!doctype html><title>other</title><p>another program</p>')
  })
  await new Promise<void>((ok) => other.listen(0, '127.0.0.1', ok))
  const otherPort = (other.address() as AddressInfo).port
  // As a person's browser: no token header (the config gives the tests' contexts one).
  const context = await browser.newContext({ extraHTTPHeaders: {} })
  try {
    const page = await context.newPage()
    await page.goto(`${baseURL}/?token=${process.env.SD_PREVIEW_TOKEN}`)
    await expect(page.locator('main#main')).toBeVisible()
    expect(new URL(page.url()).search, 'the token is taken out of the address bar').toBe('')
    await page.reload()
    await expect(page.locator('main#main')).toBeVisible()
    expect(await context.cookies(), 'no cookie: nothing a browser hands to other ports').toEqual([])
    // The same browser on another loopback port: no cookie arrives, and that origin's storage holds nothing.
    const elsewhere = await context.newPage()
    await elsewhere.goto(`http://127.0.0.1:${otherPort}/`)
    expect(seen).toEqual([undefined])
    expect(await elsewhere.evaluate(() => [sessionStorage.length, document.cookie])).toEqual([0, ''])
    // A new tab of the preview without the printed address: the message, not the app.
    const fresh = await context.newPage()
    await fresh.goto(`${baseURL}/`)
    await expect(fresh.locator('body')).toContainText('Open the address the preview printed')
    await expect(fresh.locator('main#main')).toHaveCount(0)
  } finally {
    await context.close()
    await new Promise<void>((ok) => other.close(() => ok()))
  }
})
