/** A record lookup that ignores Object.prototype, for keys that come from user input ("constructor"). */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
