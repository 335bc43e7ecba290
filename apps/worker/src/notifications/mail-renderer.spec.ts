import { NOTIFICATION_KINDS } from '@app/domain';
import { MailRenderer } from './mail-renderer';
import { MAIL_LANGUAGES, MAIL_RESOURCES } from './mail-templates';

describe('MailRenderer', () => {
  const renderer = new MailRenderer('https://ctap.example.org');

  it('has a subject and a body for every kind in each of the six UN languages', () => {
    for (const lang of MAIL_LANGUAGES) {
      for (const kind of NOTIFICATION_KINDS) {
        expect([lang, kind, typeof MAIL_RESOURCES[lang].translation[`${kind}.subject`]]).toEqual([
          lang,
          kind,
          'string',
        ]);
        expect([lang, kind, typeof MAIL_RESOURCES[lang].translation[`${kind}.body`]]).toEqual([lang, kind, 'string']);
      }
    }
  });

  it('renders in the recipient language, English when it has none or an unknown one', () => {
    const item = { kind: 'request_received', reference: 'CTAP-2026-000001', params: {} };
    expect(renderer.render([item], 'ru').subject).toBe('Новый запрос о помощи CTAP-2026-000001');
    expect(renderer.render([item], 'zh-CN').language).toBe('zh');
    expect(renderer.render([item], null).subject).toBe('New assistance request CTAP-2026-000001');
    expect(renderer.render([item], 'de').language).toBe('en');
  });

  it('writes plain text and HTML with the link; Arabic right to left; values escaped in HTML', () => {
    const mail = renderer.render([{ kind: 'overdue', reference: 'A<b>', params: { stage: 'cted_review' } }], 'ar');
    expect(mail.text).toContain('https://ctap.example.org/requests/A%3Cb%3E');
    expect(mail.html).toContain('dir="rtl"');
    expect(mail.html).not.toContain('A<b>');
    expect(mail.html).toContain('A&#60;b&#62;');
  });

  it('a digest has one subject and a block per notification', () => {
    const items = ['X-1', 'X-2'].map((reference) => ({ kind: 'reminder', reference, params: { reminder: 1 } }));
    const mail = renderer.render(items, 'fr', true);
    expect(mail.subject).toBe('Résumé quotidien CTAP : 2 notification(s)');
    expect(mail.text.match(/Ouvrir la demande/g)).toHaveLength(2);
  });

  it('says "urgent" first in the subject of an urgent request, in each of the six languages', () => {
    const item = { kind: 'overdue', reference: 'CTAP-2026-000009', params: { stage: 'cted_review', urgent: true } };
    const subjects = Object.fromEntries(MAIL_LANGUAGES.map((lang) => [lang, renderer.render([item], lang).subject]));
    expect(subjects).toEqual({
      ar: 'عاجل: متأخر: CTAP-2026-000009',
      zh: '【紧急】已逾期：CTAP-2026-000009',
      en: 'URGENT: Overdue: CTAP-2026-000009',
      fr: 'URGENT : En retard : CTAP-2026-000009',
      ru: 'СРОЧНО: Просрочено: CTAP-2026-000009',
      es: 'URGENTE: Plazo vencido: CTAP-2026-000009',
    });
    const routine = { ...item, params: { stage: 'cted_review' } };
    expect(renderer.render([routine], 'en').subject).toBe('Overdue: CTAP-2026-000009');
    expect(renderer.render([routine, item], 'en', true).subject).toBe('URGENT: CTAP daily digest: 2 notification(s)');
  });
});
