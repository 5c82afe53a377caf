// Conversations in memory: a bounded LRU of conversations, each a bounded list of turns (the
// answer and, when the planner read the question, its Plan for follow-ups), plus a turn index
// for feedback.
import type { Plan } from '../planner/Plan.js';
import type { Answer } from './Answer.js';

export interface Turn {
  answer: Answer;
  /** The planner's reading of the question (what follow-ups refine), when it had one. */
  plan: Plan | undefined;
}

export class ConversationStore {
  private readonly conversations = new Map<string, Turn[]>();
  private readonly turnIndex = new Map<string, { conversationId: string; turn: Turn }>();

  constructor(
    private readonly maxConversations: number,
    private readonly maxTurns: number,
  ) {}

  /** The turns of a conversation, oldest first (marks it recently used). */
  turns(conversationId: string): readonly Turn[] {
    const turns = this.conversations.get(conversationId);
    if (!turns) return [];
    this.conversations.delete(conversationId);
    this.conversations.set(conversationId, turns);
    return turns;
  }

  has(conversationId: string): boolean {
    return this.conversations.has(conversationId);
  }

  /** Appends a turn; forgets the oldest turns and least recently used conversations past the bounds. */
  add(conversationId: string, turn: Turn): void {
    const turns = [...this.turns(conversationId), turn];
    while (turns.length > this.maxTurns) this.turnIndex.delete(turns.shift()!.answer.turnId);
    this.conversations.delete(conversationId);
    this.conversations.set(conversationId, turns);
    this.turnIndex.set(turn.answer.turnId, { conversationId, turn });
    while (this.conversations.size > this.maxConversations) {
      const [oldest, dropped] = this.conversations.entries().next().value as [string, Turn[]];
      this.conversations.delete(oldest);
      for (const t of dropped) this.turnIndex.delete(t.answer.turnId);
    }
  }

  turn(turnId: string): { conversationId: string; turn: Turn } | undefined {
    return this.turnIndex.get(turnId);
  }

  get size(): number {
    return this.conversations.size;
  }
}
