import { describe, expect, it } from 'vitest';
import { collectImages, parseShard, shardPositions } from './imageInputs';
import { outputNames } from './outputNames';

describe('outputNames', () => {
  it('mirrors the tree below the common folder, without extensions', () => {
    const names = outputNames(['/data/city/a/frame_1.png', '/data/city/b/frame_1.png']);
    expect(names).toEqual([{ key: 'a/frame_1' }, { key: 'b/frame_1' }]);
    expect(outputNames(['/data/x.jpg'])).toEqual([{ key: 'x' }]);
  });

  it('gives names that still collide their extension, and says so', () => {
    const names = outputNames(['/d/x.png', '/d/x.webp', '/d/X.PNG', '/d/y.png']);
    expect(names.map((name) => name.key)).toEqual(['x_png', 'x_webp', 'X_PNG_2', 'y']);
    expect(names[1]?.collision).toMatch(
      /"x" names several images; this one's outputs are "x_webp"/,
    );
    expect(names[3]?.collision).toBeUndefined();
  });
});

describe('shards', () => {
  it('partition the sorted list: every image in exactly one shard, counts within one', () => {
    const total = 11;
    const shards = [1, 2, 3].map((index) => shardPositions(total, { index, count: 3 }));
    expect(shards.flat().sort((a, b) => a - b)).toEqual([...Array(total).keys()]);
    expect(shards.map((positions) => positions.length)).toEqual([4, 4, 3]);
    expect(shardPositions(3, undefined)).toEqual([0, 1, 2]);
  });

  it('parse K/N and refuse anything else', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '2', 'a/b', '1/0']) expect(parseShard(bad)).toBeUndefined();
  });

  it('see one order whatever order the arguments come in', () => {
    expect(collectImages(['/x/b.png', '/x/a.png', '/x/b.png'])).toEqual(['/x/a.png', '/x/b.png']);
  });
});
