// The question an AI SQL cell asks. A cell's source is the question itself, or, in notebooks
// written to run on any client (the starter notebooks, scheduled runs), a kernel call
// `await ask("question")` / `await ask("question", { sql: "..." })`: then the question is the
// call's first string argument, so that the assistant (an LLM in particular) never sees code.

const ASK_CALL = /^\s*(?:await\s+)?ask\(\s*("(?:[^"\\]|\\.)*")/;

/** The question in `source`: the first argument of an `ask(...)` call, else the trimmed source. */
export function questionOfSource(source: string): string {
  const m = ASK_CALL.exec(source);
  if (m) {
    try {
      return (JSON.parse(m[1]!) as string).trim();
    } catch {
      // not a JSON string literal after all: the source is the question
    }
  }
  return source.trim();
}
