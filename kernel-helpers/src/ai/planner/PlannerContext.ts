// What the planner is given (the schema, the conversation so far) and what it answers.
import type { Plan } from './Plan.js';

/** A lakehouse table as the planner sees it: from the Delta metadata (`engine.tables()` fits). */
export interface TableSchema {
  name: string;
  /** Columns with their Delta types (`string`, `double`, `timestamp`, ...). */
  columns: readonly { name: string; type: string }[];
}

/** An earlier turn of the conversation that the planner answered. */
export interface PlannedTurn {
  question: string;
  plan: Plan;
}

export interface PlannerContext {
  tables: readonly TableSchema[];
  /** Earlier turns, oldest first; follow-ups refine the last one. */
  conversation: readonly PlannedTurn[];
  /** Retrieved question → SQL examples: hints only, the embedded planner does not need them. */
  examples?: readonly { question: string; sql: string }[];
  /** The clock for the explanation's dates (the SQL itself uses `now()` and `current_date`). */
  now?: Date;
}

export type PlanResult =
  | {
      success: true;
      sql: string;
      plan: Plan;
      /** One line of plain English: what was computed, over what, with which filters and time range. */
      explanation: string;
    }
  | { success: false; reason: string; suggestions: string[] };
