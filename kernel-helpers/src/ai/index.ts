// The AI assistant: the embedded NL → SQL planner and chart choice (pure), and the adapters
// around them.
export * from './chart/index.js';
export * from './planner/index.js';
