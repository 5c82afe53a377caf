// @rt-lakehouse/pipelines: the medallion pipeline definitions (bronze, silver, gold) and user
// pipelines. The definitions arrive with the streaming milestone; the package exists so the
// workspace, its build and its imports are in place.
export {};
