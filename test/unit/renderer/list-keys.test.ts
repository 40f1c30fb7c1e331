/** List keys from each item's content: stable for the same items, distinct for repeats, never the position. */
import { describe, expect, it } from 'vitest'
import { withContentKeys } from '../../../renderer/src/components/list-keys.ts'

describe('withContentKeys', () => {
  it('keys each item by its content, a repeat numbered, in the order given', () => {
    const keyed = withContentKeys(['a', 'b', 'a', 'a'])
    expect(keyed.map(([, v]) => v)).toEqual(['a', 'b', 'a', 'a'])
    const keys = keyed.map(([k]) => k)
    expect(new Set(keys).size).toBe(4)
    expect(keys[0]).toBe('a')
    expect(keys[1]).toBe('b')
  })

  it('gives an item the same key wherever it stands, and objects their JSON', () => {
    const [[first]] = withContentKeys([{ id: 1 }, { id: 2 }])
    const [, [moved]] = withContentKeys([{ id: 2 }, { id: 1 }])
    expect(first).toBe(moved)
    expect(first).toBe('{"id":1}')
  })

  it('takes the content from the caller when given', () => {
    expect(withContentKeys([{ id: 'x', n: 1 }], (f) => f.id)[0]![0]).toBe('x')
  })
})
