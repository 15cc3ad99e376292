import { dropCheckedAtSubmit, hasInflightRoom } from './inflight';

describe('in-flight limits', () => {
  it('takes a task only while fewer than max_inflight are in flight', () => {
    expect(hasInflightRoom(499, 500)).toBe(true);
    expect(hasInflightRoom(500, 500)).toBe(false);
  });

  it('checks the drop rule again at submit from 80% of max_inflight', () => {
    expect(dropCheckedAtSubmit(399, 500)).toBe(false);
    expect(dropCheckedAtSubmit(400, 500)).toBe(true);
    expect(dropCheckedAtSubmit(7, 9)).toBe(false);
    expect(dropCheckedAtSubmit(8, 9)).toBe(true);
  });
});
