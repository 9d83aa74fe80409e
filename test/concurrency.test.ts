import { forEachLimit } from '../client/concurrency';

const tick = () => new Promise((r) => setImmediate(r));

test('runs every item once with its index, never more than the limit at once', async () => {
  let inFlight = 0;
  let most = 0;
  const seen: [string, number][] = [];
  await forEachLimit(['a', 'b', 'c', 'd', 'e', 'f', 'g'], 3, async (item, i) => {
    inFlight++;
    most = Math.max(most, inFlight);
    await tick();
    seen.push([item, i]);
    inFlight--;
  });
  expect(most).toBe(3);
  expect(seen.sort()).toEqual([['a', 0], ['b', 1], ['c', 2], ['d', 3], ['e', 4], ['f', 5], ['g', 6]]);
});

test('no items: resolves without calling; an error rejects with it', async () => {
  const fn = jest.fn(async () => undefined);
  await forEachLimit([], 8, fn);
  expect(fn).not.toHaveBeenCalled();
  await expect(forEachLimit([1, 2, 3], 2, async (n) => { if (n === 2) throw new Error('two'); })).rejects.toThrow('two');
});
