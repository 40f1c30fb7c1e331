/**
 * cheerio, loaded on first use: parsing Catalog pages is rare next to every CLI start, and cheerio's
 * module graph is the largest single cost of starting the command line (~140 ms of ~600 ms).
 */
import { createRequire } from 'node:module'
import type * as Cheerio from 'cheerio'

const requireCjs = createRequire(import.meta.url)
let cheerio: typeof Cheerio | null = null

export function loadHtml(html: string): Cheerio.CheerioAPI {
  cheerio ??= requireCjs('cheerio') as typeof Cheerio
  return cheerio.load(html)
}
