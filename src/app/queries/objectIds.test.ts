import { describe, expect, it } from 'vitest';
import { objectId } from './objectIds';

describe('objectId', () => {
  it('gives each object one stable id and nothing for a missing one', () => {
    const a = {};
    const b = {};
    expect(objectId(a)).toBe(objectId(a));
    expect(objectId(a)).not.toBe(objectId(b));
    expect(objectId(undefined)).toBeNull();
  });
});
