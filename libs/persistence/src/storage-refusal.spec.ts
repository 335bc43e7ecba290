import { storageRefusal, unstorablePath } from './storage-refusal';

describe('storage refusals', () => {
  it('treats data exceptions, check and not-null violations as final', () => {
    for (const code of ['22P05', '22008', '22001', '23514', '23502', '54000']) {
      expect(storageRefusal({ driverError: { code } })?.sqlState).toBe(code);
    }
  });

  it('keeps retrying outages, deadlocks, unique violations and plain errors', () => {
    for (const err of [{ code: '57P01' }, { code: '40P01' }, { code: '08006' }, { code: '23505' }, new Error('x')]) {
      expect(storageRefusal(err)).toBeUndefined();
    }
  });

  it('names the payload field holding text Postgres cannot store', () => {
    expect(unstorablePath({ questions: ['fine', 'Which\u0000 ministry?'] })).toBe('questions[1]');
    expect(unstorablePath({ activities: [{ title: 'a\uD800b' }] })).toBe('activities[0].title');
    expect(unstorablePath({ ok: 'emoji \uD83D\uDE00 is fine' })).toBeUndefined();
    expect(storageRefusal({ code: '22P05' }, { answer: '\u0000' })).toEqual({ sqlState: '22P05', field: 'answer' });
    expect(storageRefusal({ code: '22008', column: 'start_date' })).toEqual({ sqlState: '22008', field: 'startDate' });
  });
});
