import * as prettier from 'prettier';
import { renderFeatureMap } from './feature-map';

/** The map as the repository keeps it: formatted by Prettier with the project's settings, as `npm run format` would. */
export async function formattedFeatureMap(path: string): Promise<string> {
  const options = (await prettier.resolveConfig(path)) ?? {};
  return prettier.format(renderFeatureMap(), { ...options, filepath: path });
}
