/**
 * The version of the contract package (`@tandem/contracts`) and of the AsyncAPI document: the minor grows when an
 * event version or a compatible revision is released, the major when the package's own API breaks.
 */
export const CONTRACT_VERSION = '1.0.0';
