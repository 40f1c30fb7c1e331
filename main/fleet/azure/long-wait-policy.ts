/**
 * An Azure SDK pipeline policy (added through the clients' own `additionalPolicies` option, per retry): a 429 or 503
 * whose Retry-After asks for more than a person waits at a prompt ends the call at once with that wait said, instead of
 * the SDK's retry policy sleeping it out (it honours any Retry-After, an hour included). Shorter waits are left to the
 * SDK's retry policy, as the services' throttling guidance asks.
 */
import type { PipelinePolicy } from '@azure/core-rest-pipeline'
import { problemOfStatus, retryAfterSeconds, type ServiceWords } from './azure-problem.ts'

export const MAX_RETRY_WAIT_SECONDS = 60

export function longWaitPolicy(svc: ServiceWords, maxSeconds = MAX_RETRY_WAIT_SECONDS): PipelinePolicy {
  return {
    name: 'servicingDeskLongWait',
    async sendRequest(request, next) {
      const res = await next(request)
      if (res.status === 429 || res.status === 503) {
        const ms = Number(res.headers.get('retry-after-ms') ?? res.headers.get('x-ms-retry-after-ms'))
        const s =
          Number.isFinite(ms) && ms > 0 ? Math.ceil(ms / 1000) : retryAfterSeconds(res.headers.get('retry-after'))
        if (s !== null && s > maxSeconds) throw problemOfStatus(429, svc, String(s), null)
      }
      return res
    },
  }
}
