// The seeded random source of the event generator: pure-rand's xoroshiro128+ behind the few
// draws the generator needs. Same seed, same sequence, on every platform.

import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** Draws from one seeded stream; every method advances it. */
export interface Random {
  /** Uniform in [0, 1), 32 bits of randomness. */
  float(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** Exponential with mean 1. */
  exponential(): number;
  /** An index drawn from cumulative weights (ascending, last = total). */
  weighted(cumulative: ArrayLike<number>): number;
  /** 32 random bits as an unsigned integer. */
  uint32(): number;
}

const TWO_TO_MINUS_32 = 2 ** -32;
// Seeds that differ in a few low bits start xoroshiro128+ in nearby states; the first outputs
// are discarded so that seeds 1 and 2 give unrelated streams from the first draw on.
const WARM_UP = 64;

/**
 * A Random seeded with `seed`, any safe integer (its high bits are folded into the 32-bit seed
 * of the generator). Streams 0, 1, 2... of one seed are independent: each starts 2^64 draws
 * after the previous one (xoroshiro128+'s jump).
 */
export function createRandom(seed: number, stream = 0): Random {
  const high = Math.floor(seed / 2 ** 32);
  const rng = xoroshiro128plus((seed ^ Math.imul(high, 0x9e3779b1)) | 0);
  for (let i = 0; i < stream; i++) rng.jump();
  for (let i = 0; i < WARM_UP; i++) rng.next();
  const uint32 = () => rng.next() >>> 0;
  const float = () => uint32() * TWO_TO_MINUS_32;
  return {
    float,
    uint32,
    int: (n) => Math.floor(float() * n),
    chance: (p) => float() < p,
    exponential: () => -Math.log(1 - float()),
    weighted(cumulative) {
      const target = float() * cumulative[cumulative.length - 1]!;
      // Binary search for the first bucket whose cumulative weight exceeds the target.
      let low = 0;
      let high = cumulative.length - 1;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (cumulative[middle]! > target) high = middle;
        else low = middle + 1;
      }
      return low;
    },
  };
}
