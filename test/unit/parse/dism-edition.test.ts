/**
 * `DISM /Get-CurrentEdition`: the edition ID from Microsoft's documented output, null where there is none.
 */
import { describe, expect, it } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { parseDismCurrentEdition } from '../../../main/parse/dism-edition.ts'

describe('parseDismCurrentEdition', () => {
  it('reads the edition ID of the documented output', () => {
    expect(parseDismCurrentEdition(loadFixture('dism-edition/get-currentedition-professional.txt').text)).toEqual({
      edition: 'Professional',
    })
  })
  it('gives null for an error or an empty output, never a guess', () => {
    expect(parseDismCurrentEdition('Error: 50\r\n\r\nDISM does not support servicing this image.\r\n')).toEqual({
      edition: null,
    })
    expect(parseDismCurrentEdition('')).toEqual({ edition: null })
    expect(parseDismCurrentEdition('Current Edition : \r\n')).toEqual({ edition: null })
  })
})
