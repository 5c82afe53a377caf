// A set of event ids that stays small and out of the garbage collector's way at tens of
// thousands of events per second: ids in the canonical UUID form Silver stores
// (8-4-4-4-12 lower-case hex) are kept as 128-bit keys in an open-addressing table of typed
// arrays (16 bytes each, no object per id); any other id goes to a plain Set. Membership is
// exact either way. (A Map or Set of strings holds at most 2^24 entries in V8: 10 minutes of
// ids at 30,000 events/s is more than that.)

import { murmurMix } from '@rt-lakehouse/kernel-helpers';

const EMPTY = 0;
const FULL = 1;

// Hex digit values of '0'-'9' and 'a'-'f' by character code; -1 for anything else.
const HEX = new Int8Array(128).fill(-1);
for (let c = 48; c <= 57; c++) HEX[c] = c - 48;
for (let c = 97; c <= 102; c++) HEX[c] = c - 87;

/** Parses a canonical lower-case UUID into four 32-bit words; false for any other string. */
export function uuidWords(id: string, out: Uint32Array): boolean {
  if (
    id.length !== 36 ||
    id.charCodeAt(8) !== 45 ||
    id.charCodeAt(13) !== 45 ||
    id.charCodeAt(18) !== 45 ||
    id.charCodeAt(23) !== 45
  )
    return false;
  let w = 0;
  let word = 0;
  let digits = 0;
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) continue;
    const c = id.charCodeAt(i);
    const v = c < 128 ? HEX[c]! : -1;
    if (v < 0) return false;
    word = (word << 4) | v;
    if (++digits === 8) {
      out[w++] = word >>> 0;
      word = 0;
      digits = 0;
    }
  }
  return true;
}

// The four words mixed, then murmur3's finaliser: time-ordered UUIDs (v1, v7) spread too.
export function hashWords(k: Uint32Array): number {
  return hash4(k[0]!, k[1]!, k[2]!, k[3]!);
}

function hash4(k0: number, k1: number, k2: number, k3: number): number {
  return murmurMix(k0 ^ Math.imul(k1, 0x9e3779b1) ^ Math.imul(k2, 0x85ebca6b) ^ Math.imul(k3, 0xc2b2ae35));
}

export class EventIdSet {
  private keys: Uint32Array;
  private state: Uint8Array;
  private mask: number;
  private uuids = 0;
  private others: Set<string> | undefined;
  private readonly words = new Uint32Array(4);

  constructor(initialCapacity = 1024) {
    let capacity = 16;
    while (capacity < initialCapacity * 2) capacity *= 2;
    this.keys = new Uint32Array(capacity * 4);
    this.state = new Uint8Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.uuids + (this.others?.size ?? 0);
  }

  /** Slots of the UUID table (16 bytes each, half of them usable before it grows). */
  get capacity(): number {
    return this.state.length;
  }

  has(id: string): boolean {
    return uuidWords(id, this.words) ? this.hasUuid(this.words) : (this.others?.has(id) ?? false);
  }

  /** Adds `id`; false when it was already there. */
  add(id: string): boolean {
    if (uuidWords(id, this.words)) return this.addUuid(this.words);
    this.others ??= new Set();
    if (this.others.has(id)) return false;
    this.others.add(id);
    return true;
  }

  /** Whether the UUID whose words (uuidWords) are `k`, hashed `hash` (hashWords), is in the set. */
  hasUuid(k: Uint32Array, hash = hashWords(k)): boolean {
    return this.slotOf(k, hash) >= 0;
  }

  /** Adds the UUID whose words are `k`; false when it was already there. */
  addUuid(k: Uint32Array, hash = hashWords(k)): boolean {
    if (this.slotOf(k, hash) >= 0) return false;
    if ((this.uuids + 1) * 2 > this.state.length) this.grow();
    this.insert(k, hash);
    this.uuids++;
    return true;
  }

  /** Whether the non-UUID id `id` is in the set (ids uuidWords refuses). */
  hasOther(id: string): boolean {
    return this.others?.has(id) ?? false;
  }

  /** The slot holding key `k`, or -1. */
  private slotOf(k: Uint32Array, hash: number): number {
    const keys = this.keys;
    const state = this.state;
    const mask = this.mask;
    const k0 = k[0]!;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      if (state[slot] === EMPTY) return -1;
      const at = slot * 4;
      if (keys[at] === k0 && keys[at + 1] === k[1] && keys[at + 2] === k[2] && keys[at + 3] === k[3])
        return slot;
    }
  }

  private insert(k: Uint32Array, hash: number): void {
    let slot = hash & this.mask;
    while (this.state[slot] === FULL) slot = (slot + 1) & this.mask;
    this.state[slot] = FULL;
    this.keys.set(k, slot * 4);
  }

  /** Doubles the table: every key moved in one tight loop (no view or call per key). */
  private grow(): void {
    const oldKeys = this.keys;
    const oldState = this.state;
    const capacity = oldState.length * 2;
    const keys = new Uint32Array(capacity * 4);
    const state = new Uint8Array(capacity);
    const mask = capacity - 1;
    for (let from = 0; from < oldState.length; from++) {
      if (oldState[from] !== FULL) continue;
      const at = from * 4;
      const k0 = oldKeys[at]!;
      const k1 = oldKeys[at + 1]!;
      const k2 = oldKeys[at + 2]!;
      const k3 = oldKeys[at + 3]!;
      let slot = hash4(k0, k1, k2, k3) & mask;
      while (state[slot] === FULL) slot = (slot + 1) & mask;
      state[slot] = FULL;
      const to = slot * 4;
      keys[to] = k0;
      keys[to + 1] = k1;
      keys[to + 2] = k2;
      keys[to + 3] = k3;
    }
    this.keys = keys;
    this.state = state;
    this.mask = mask;
  }
}
