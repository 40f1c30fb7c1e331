/** A PC about which nothing is known, for the known-issue matcher's tests: each test says only what it sets. */
import type { IssueFacts } from '../../../main/knowledge/known-issues.ts'

export const issueFacts = (over: Partial<IssueFacts>): IssueFacts => ({
  branchId: null,
  failedKbs: [],
  codes: [],
  typedCode: null,
  winreVersion: null,
  installedKbs: [],
  ...over,
})
