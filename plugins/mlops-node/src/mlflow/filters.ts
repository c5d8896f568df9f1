/**
 * MLflow's filter parser has no escape character: a string value is whatever lies between a
 * pair of single or double quotes (`SearchUtils._strip_quotes`), and a backslash before a
 * quote confuses its tokenizer. So a name is quoted with whichever quote it does not contain;
 * a name containing both quotes (or a backslash) is matched with LIKE, every troublesome
 * character replaced by `_` (any one character), and the caller keeps only exact matches.
 */
export interface ModelNameFilter {
  filter: string;
  /** False when the filter may match other names too, and results need an exact check. */
  exact: boolean;
}

export function modelNameFilter(name: string): ModelNameFilter {
  if (!name.includes('\\')) {
    if (!name.includes("'")) {
      return { filter: `name = '${name}'`, exact: true };
    }
    if (!name.includes('"')) {
      return { filter: `name = "${name}"`, exact: true };
    }
  }
  return { filter: `name LIKE '${name.replace(/['\\]/g, '_')}'`, exact: false };
}
