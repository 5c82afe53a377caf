// A service's answer read once: its text, and that text as JSON when it is JSON.

/** The body of `response` as text and, when it parses, as JSON (undefined otherwise or when empty). */
export async function responseBody(response: Response): Promise<{ text: string; json: unknown }> {
  const text = await response.text();
  try {
    return { text, json: text === '' ? undefined : JSON.parse(text) };
  } catch {
    return { text, json: undefined };
  }
}
