// A read model declared once (columns, then a pure evolve or a change table per event) and the one derivation that
// applies events to it, which the async projection runtime and inline projections on the write side both run.
export * from './columns';
export * from './event-time';
export * from './read-model';
export * from './apply-read-model';
export * from './table-shape';
export { counterModelWrites, type CounterWritesOptions } from './apply-counter-model';
