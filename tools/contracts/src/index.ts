// The contract's tools for tests elsewhere (the e2e conformance test): the scenario that makes the system publish
// every event, a reader of what it published, and the comparison of both with the AsyncAPI document.
export * from './live/every-event-scenario';
export * from './live/topic-reader';
export * from './live/asyncapi-conformance';
