// Exact-or-glob matching for rule matches and context declarations: `*` any run of characters, `?` one.

export type Matcher = (value: string) => boolean;

export function globMatcher(pattern: string): Matcher {
  if (!/[*?]/.test(pattern)) return (value) => value === pattern;
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  const re = new RegExp(`^${source}$`, "s");
  return (value) => re.test(value);
}

/** Matches when any of the patterns does. */
export function anyGlobMatcher(patterns: string | string[]): Matcher {
  const matchers = (Array.isArray(patterns) ? patterns : [patterns]).map(globMatcher);
  return matchers.length === 1 ? matchers[0]! : (value) => matchers.some((m) => m(value));
}
