// Jest 30 ignores `testTimeout` inside a `projects` entry (tests and hooks still time out at 5 s), so the
// end-to-end project sets it here.
jest.setTimeout(180_000);
