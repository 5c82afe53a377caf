// Polls a health URL until it answers 200, the deadline passes or `give up` says so.

/** GET `url` with a short time limit: the status code, or undefined when nothing answered. */
export async function probe(url: string, timeoutMs = 5_000): Promise<number | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status;
  } catch {
    return undefined;
  }
}

export async function waitForHealth(url: string, deadline: number, giveUp: () => boolean): Promise<boolean> {
  while (Date.now() < deadline && !giveUp()) {
    if ((await probe(url)) === 200) return true;
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}
