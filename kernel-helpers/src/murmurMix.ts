// MurmurHash3's 32-bit finaliser: spreads the bits of a 32-bit value (hash tables, feature hashing).

/** MurmurHash3's finaliser (fmix32) of `h`, as an unsigned 32-bit integer. */
export function murmurMix(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}
