/**
 * Setup file of every unit test file (vitest.config.ts `setupFiles`): after a file's tests, no environment variable
 * holds the string "undefined". A file that saves a variable and restores it by assignment when it was unset stores
 * that string (Node turns any value into a string), and the next file in the same worker then reads it as a real value:
 * SERVICING_DESK_HOME="undefined" sent a training machine's verdict to ./undefined under the working folder. Failing
 * here names the file that left it.
 */
import { afterAll, expect } from 'vitest'

afterAll(() => {
  const left = Object.entries(process.env)
    .filter(([, v]) => v === 'undefined')
    .map(([k]) => k)
  expect(left, 'an environment variable restored by assigning undefined: delete it instead').toEqual([])
})
