/**
 * Decodes a dropped text file: UTF-16 (with or without a byte-order mark — `Out-File` in Windows
 * PowerShell 5.1 writes UTF-16 LE with a BOM), UTF-8 (BOM stripped). Pure and total.
 */
export function decodeTextBytes(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return new TextDecoder('utf-16le').decode(bytes.subarray(2))
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return new TextDecoder('utf-16be').decode(bytes.subarray(2))
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return new TextDecoder('utf-8').decode(bytes.subarray(3))
  // No BOM: text of mostly ASCII in UTF-16 has a zero in every other byte.
  const sample = bytes.subarray(0, Math.min(bytes.length, 4096))
  let evenZeros = 0
  let oddZeros = 0
  for (let i = 0; i < sample.length; i++)
    if (sample[i] === 0) {
      if (i % 2 === 0) evenZeros++
      else oddZeros++
    }
  const half = sample.length / 2
  if (half >= 2 && oddZeros > half * 0.3 && evenZeros < half * 0.05) return new TextDecoder('utf-16le').decode(bytes)
  if (half >= 2 && evenZeros > half * 0.3 && oddZeros < half * 0.05) return new TextDecoder('utf-16be').decode(bytes)
  return new TextDecoder('utf-8').decode(bytes)
}
