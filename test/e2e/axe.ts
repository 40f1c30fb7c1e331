/**
 * axe-core run inside the page, injected once per document. The same rules, tags and impact filter as
 * `new AxeBuilder({ page }).withTags(AXE_TAGS).analyze()`, without what makes that slow on a 2-core machine:
 * @axe-core/playwright evaluates axe's 600 kB source twice per call and opens a blank page (a new renderer)
 * for axe.finishRun every time. Its partial run exists for cross-origin frames; the app has no frames
 * (asserted below), so axe.run in the page sees exactly what the partial run saw. Only violations are
 * asked for (resultTypes): passes and incomplete results are not used and are the costly part to build.
 */
import axe from 'axe-core'
import type { Page } from '@playwright/test'

/** The WCAG 2.0/2.1 A and AA rules and axe's best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']

/**
 * The rules among AXE_TAGS whose verdict depends on colours (axe's own category `cat.color`): today
 * color-contrast and link-in-text-block. Read from axe, so a new colour rule joins without an edit here.
 */
export const COLOUR_RULES = axe
  .getRules(AXE_TAGS)
  .filter((r) => r.tags.includes('cat.color'))
  .map((r) => r.ruleId)

export interface Violation {
  id: string
  impact: string | null | undefined
  help: string
  nodes: string[]
}

/**
 * The serious and critical violations on the page as shown now: of every rule in AXE_TAGS, or only of
 * `rules` (which must be among them) when given.
 */
export async function seriousViolations(page: Page, rules?: readonly string[]): Promise<Violation[]> {
  if (page.frames().length !== 1)
    throw new Error(
      `axe runs in the page's own document only, and this page has ${page.frames().length - 1} frame(s): use @axe-core/playwright's AxeBuilder for pages with frames`,
    )
  if (COLOUR_RULES.length === 0)
    throw new Error('axe-core lists no colour rule (cat.color) among the tags: the light/dark split needs revisiting')
  if (!(await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object')))
    await page.evaluate(axe.source)
  const runOnly = rules ? { type: 'rule', values: [...rules] } : { type: 'tag', values: AXE_TAGS }
  return page.evaluate(async (runOnly) => {
    const a = (window as unknown as { axe: typeof axe }).axe
    const result = await a.run(document, { runOnly: runOnly as axe.RunOptions['runOnly'], resultTypes: ['violations'] })
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      }))
  }, runOnly)
}
