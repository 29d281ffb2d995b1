import { SUPPORTED_APIS } from '../protocol/api-keys';
import { NONE, UNSUPPORTED_VERSION } from '../protocol/error-codes';
import type { Writer } from '../protocol/writer';
import type { ApiHandler } from './types';

function writeRangesV0(w: Writer): void {
  w.array(SUPPORTED_APIS, (out, api) => out.int16(api.key).int16(api.minVersion).int16(api.maxVersion));
}

export const apiVersions: ApiHandler = (ctx, r) => {
  const version = ctx.apiVersion;
  if (version >= 3) {
    r.compactString(); // client software name
    r.compactString(); // client software version
    r.taggedFields();
    return (w) => {
      w.int16(NONE);
      w.compactArray(SUPPORTED_APIS, (out, api) =>
        out.int16(api.key).int16(api.minVersion).int16(api.maxVersion).emptyTaggedFields(),
      );
      w.int32(0).emptyTaggedFields();
    };
  }
  return (w) => {
    w.int16(NONE);
    writeRangesV0(w);
    if (version >= 1) w.int32(0);
  };
};

/**
 * KIP-511: a client asking for an ApiVersions version above ours gets UNSUPPORTED_VERSION in the v0 layout,
 * which every client can parse whatever it asked for, with our ranges so it can retry at a version we speak.
 */
export function unsupportedApiVersionsBody(w: Writer): void {
  w.int16(UNSUPPORTED_VERSION);
  writeRangesV0(w);
}
