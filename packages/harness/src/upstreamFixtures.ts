import fs from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { targetPaths } from '@backstage/cli-common';

/** Absolute path of a file under third_party/ (upstream CRDs and examples, see SOURCES.md). */
export function upstreamFixturePath(relative: string): string {
  return targetPaths.resolveRoot('third_party', relative);
}

/** Every YAML document of an upstream example file, as plain objects. */
export function loadUpstreamFixtures(relative: string): Record<string, any>[] {
  const text = fs.readFileSync(upstreamFixturePath(relative), 'utf8');
  return parseAllDocuments(text)
    .map(doc => {
      if (doc.errors.length > 0) {
        throw new Error(`${relative}: ${doc.errors[0].message}`);
      }
      return doc.toJS();
    })
    .filter(Boolean);
}
