export type { Answer, AnswerPath, AskResult, Unanswerable } from './Answer.js';
export type { AskOptions, Assistant, SqlOptions, VerifiedExample } from './Assistant.js';
export { AssistantError } from './AssistantError.js';
export {
  type AssistantConfig,
  assistantConfigFromEnv,
  type EmbeddingSettings,
  type LlmSettings,
} from './assistantConfigFromEnv.js';
export { ConversationStore, type Turn } from './ConversationStore.js';
export {
  type AssistantStatus,
  type CreateAssistantOptions,
  createAssistant,
  type LakehouseAssistant,
  restingExample,
} from './createAssistant.js';
export { normaliseSql } from './normaliseSql.js';
export {
  type ReplayOptions,
  type ReplayOutcome,
  type ReplayReport,
  replayVerifiedExamples,
} from './replayVerifiedExamples.js';
export { type ResultsMatch, type ResultTable, resultsMatch } from './resultsMatch.js';
