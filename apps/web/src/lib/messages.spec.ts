import { fieldErrorMsg, msg, renderMsg, type Wording } from './messages';

const strings: Record<string, Record<string, string>> = {
  fr: { 'rule.too_long': 'Au plus {{max}} caractères.', 'errors.fields': 'Veuillez corriger les champs signalés.' },
  ar: { 'errors.fields': 'يرجى تصحيح الحقول المشار إليها.' },
};
const wording = (lang: string): Wording => ({
  lang,
  exists: (k) => k in strings[lang],
  t: (k, p) => strings[lang][k].replace(/\{\{(\w+)\}\}/g, (_m, n: string) => String(p?.[n])),
});

describe('messages kept as keys and params', () => {
  it('words a server field error by its rule, with its numbers formatted for the language', () => {
    const m = fieldErrorMsg({ reason: 'must be 1 to 20000 characters', rule: 'too_long', params: { max: 20000 } });
    expect(m).toEqual({ key: 'rule.too_long', params: { max: 20000 }, fallback: 'must be 1 to 20000 characters' });
    expect(renderMsg(m, wording('fr'))).toBe(`Au plus ${new Intl.NumberFormat('fr').format(20000)} caractères.`);
  });

  it("falls back to the server's English reason for a rule without words, or none", () => {
    expect(renderMsg(fieldErrorMsg({ reason: 'already taken', rule: 'duplicate' }), wording('fr'))).toBe(
      'already taken',
    );
    expect(renderMsg(fieldErrorMsg({ reason: 'not a UN Member State', rule: 'invalid' }), wording('fr'))).toBe(
      'not a UN Member State',
    );
    expect(renderMsg(fieldErrorMsg({ reason: 'odd' }), wording('fr'))).toBe('odd');
  });

  it('reads in the new language after a switch (the key is kept, not the French text)', () => {
    const banner = msg('errors.fields');
    expect(renderMsg(banner, wording('fr'))).toBe('Veuillez corriger les champs signalés.');
    expect(renderMsg(banner, wording('ar'))).toBe('يرجى تصحيح الحقول المشار إليها.');
  });
});
