/**
 * The error-code normaliser and explain(): every form a code takes, and anything else.
 * Property: a normalised code is always `0x` + 8 upper-case hex digits; explain() returns
 * `{ok: true}` with a schema-valid ExplainResult or `{ok: false}` with a message, never throws.
 */
import fc from 'fast-check'
import { normalizeErrorCode } from '../../../main/knowledge/error-normalize.ts'
import { explain, normalizeCode } from '../../../main/knowledge/error-explain.ts'
import { allErrorCodes } from '../../../main/knowledge/error-codes.ts'
import { classifyExitCode } from '../../../main/knowledge/error-exit-codes.ts'
import { decodeHresult } from '../../../main/knowledge/error-decode.ts'
import { ExplainResultSchema } from '../../../preload/model/diagnosis.ts'
import { weirdPiece } from '../mutate.ts'
import { target, violated, mustSerialise, type FuzzTarget } from '../target.ts'

const CODE_RE = /^0x[0-9A-F]{8}$/

/** Real code forms (servicing-facts §1.3), then mangled. */
function codeText(): fc.Arbitrary<string> {
  const known = allErrorCodes().flatMap((e) => [e.code, e.name ?? ''].filter(Boolean))
  const forms = fc.oneof(
    fc.constantFrom(...known),
    fc.integer({ min: -0x80000000, max: 0xffffffff }).map(String),
    fc.integer({ min: 0, max: 0xffffffff }).map((n) => `0x${n.toString(16)}`),
    fc.integer({ min: 0, max: 0xffffffff }).map((n) => n.toString(16)),
    fc.constantFrom(
      '0x80\n0f0922',
      '[HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]',
      'hr:0x80070002',
      '0xC1900208 - 0x4000C',
      'Error: 14098',
      'HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)',
      'CBS_E_PENDING',
      '0x',
      '-',
      '0x-1',
      '1e400',
      `0x${'f'.repeat(200)}`,
      '9'.repeat(400),
    ),
  )
  return fc.oneof(
    { weight: 4, arbitrary: forms },
    {
      weight: 2,
      arbitrary: fc.tuple(forms, weirdPiece, fc.boolean()).map(([f, w, before]) => (before ? w + f : f + w)),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(forms, fc.integer({ min: 1, max: 20_000 }))
        .map(([f, n]) => ' '.repeat(n) + f + '\t'.repeat(n)),
    },
  )
}

export const knowledgeTargets: FuzzTarget<unknown>[] = [
  target(
    'knowledge/normalize',
    'normalizeErrorCode/normalizeCode: null or 0x+8 upper hex, on any value and context',
    () => ({
      arbitrary: fc.tuple(
        fc.oneof(
          { weight: 5, arbitrary: codeText() },
          { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) },
          { weight: 1, arbitrary: fc.double() },
        ),
        fc.constantFrom('auto', 'hresult', 'win32'),
      ),
      run: ([v, ctx]) => {
        for (const r of [normalizeErrorCode(v, ctx as 'auto'), normalizeCode(v, ctx as 'auto')]) {
          if (r === null) continue
          if (!CODE_RE.test(r.code)) violated(`normalised code '${r.code}' is not 0x + 8 upper-case hex`)
          if (r.extend !== null && !/^0x[0-9A-F]{1,8}$/.test(r.extend)) violated(`extend '${r.extend}' malformed`)
          if (!Number.isInteger(r.raw) || r.raw < 0 || r.raw > 0xffffffff)
            violated(`raw ${r.raw} is not an unsigned 32-bit value`)
        }
      },
    }),
  ),
  target(
    'knowledge/explain',
    'explain(): schema-valid result or a clear refusal; decode and exit-code classifier total',
    () => ({
      arbitrary: fc.tuple(
        codeText(),
        fc.constantFrom('dism.exe', 'wusa.exe', 'reagentc.exe', 'powershell.exe', '', 'x'),
        fc.integer({ min: -0x80000000, max: 0xffffffff }),
      ),
      run: ([text, tool, exit]) => {
        const r = explain(text)
        if (r.ok) {
          const p = ExplainResultSchema.safeParse(r.value)
          if (!p.success) violated(`explain('${text.slice(0, 40)}') result off-schema: ${p.error.issues[0]?.message}`)
          if (!CODE_RE.test(r.value.code)) violated(`explain code '${r.value.code}' malformed`)
        } else if (typeof r.error !== 'string' || r.error.length === 0) violated('explain refusal without a message')
        mustSerialise(
          [decodeHresult(CODE_RE.test(text) ? text : '0x80070002'), classifyExitCode(tool, exit)],
          'decode/classify',
        )
      },
    }),
  ),
]
