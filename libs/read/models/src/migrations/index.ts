import { ReadSchema1764380000000 } from './1764380000000-read-schema.migration';

/** Every read-DB migration, in order. Listed explicitly: the apps are bundled, so globs find nothing. */
export const READ_MIGRATIONS = [ReadSchema1764380000000];
