export { LocalObjectStore, NotFoundError } from './LocalObjectStore.js';
export type { ObjectMeta, ObjectStore } from './ObjectStore.js';
