// @rt-lakehouse/services: the long-running services (producer, pipeline runner, assistant API,
// scheduler) and the `lakehouse` command-line tool. They arrive with the next milestones; the
// package exists so the workspace, its build and its imports are in place.
export {};
