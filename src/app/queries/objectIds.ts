/**
 * A stable number per object, for query keys that must change when the data changes (a refined
 * map replaced by the raw one) but not when an equal-looking setting does.
 */
const ids = new WeakMap<object, number>();
let next = 0;

export function objectId(value: object | null | undefined): number | null {
  if (!value) return null;
  let id = ids.get(value);
  if (id === undefined) {
    id = ++next;
    ids.set(value, id);
  }
  return id;
}
