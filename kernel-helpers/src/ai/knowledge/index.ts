// The assistant's knowledge base: table docs from the Delta metadata, the glossary, example
// question → SQL pairs, embedded into a vector store and retrieved per question.
export { GLOSSARY, type GlossaryEntry, glossaryText } from './glossary.js';
export {
  type ExampleOrigin,
  KnowledgeBase,
  type KnowledgeBaseOptions,
  normaliseQuestion,
  type Retrieved,
  type RetrievedExample,
  type RetrieveOptions,
} from './KnowledgeBase.js';
export { tableEmbeddingText, tableSchemaText } from './knowledgeTexts.js';
export { type ExamplesFileResult, type FileExample, readExamplesFile } from './readExamplesFile.js';
export { readSnapshotDoc } from './readTableDocs.js';
export { SEED_EXAMPLES, type SeedExample } from './seedExamples.js';
export type { TableDoc, TableDocColumn } from './TableDoc.js';
export { type TableMetadataInput, tableDocFromMetadata } from './tableDocFromMetadata.js';
export { TABLE_NOTES, type TableNote } from './tableNotes.js';
