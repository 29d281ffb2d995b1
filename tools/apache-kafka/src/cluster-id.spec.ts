import { clusterId } from './apache-kafka';

// Found in CI: one start in 64 drew an id starting with '-', which the storage tool read as an option and refused.
it('never draws a cluster id that a command line would take for an option', () => {
  for (let i = 0; i < 5_000; i++) {
    const id = clusterId();
    expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  }
});
