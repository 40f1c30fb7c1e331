/**
 * A sentence said in plain words in front and in full behind a "Technical details" disclosure: the
 * sentences of `text` that hold a technical word (preload/model/technical-words.ts: codes, tools' names, package
 * identities) move behind the disclosure, which keeps the whole text, so nothing is lost. `fallback`: the front when
 * no plain sentence is left (nothing in front when empty).
 */
import { splitTechnical } from '../../../preload/model/technical-words.ts'
import { strings } from '../strings.ts'

export function PlainText({
  text,
  fallback = '',
  as: Tag = 'span',
  className,
  testId,
}: {
  text: string
  fallback?: string
  as?: 'span' | 'div' | 'p'
  className?: string
  testId?: string
}) {
  const { plain, technical } = splitTechnical(text, fallback)
  return (
    <Tag className={className} data-testid={testId}>
      {plain}
      {technical && (
        <>
          {plain ? ' ' : ''}
          <details className="technical-details inline-technical">
            <summary>{strings.diagnosis.technicalDetails}</summary>
            <span className="mono technical">{technical}</span>
          </details>
        </>
      )}
    </Tag>
  )
}
