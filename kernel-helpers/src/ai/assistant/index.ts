export type { Answer, AnswerPath, AskResult, Unanswerable } from './Answer.js';
export type { AskOptions, Assistant, SqlOptions, VerifiedExample } from './Assistant.js';
