import i18next, { i18n } from 'i18next';
import { MAIL_LANGUAGES, MAIL_RESOURCES, MailLanguage } from './mail-templates';

export interface MailItem {
  kind: string;
  reference: string;
  params: Record<string, unknown>;
}

export interface RenderedMail {
  language: MailLanguage;
  subject: string;
  text: string;
  html: string;
}

/** Renders notification e-mails (plain text and HTML) in the recipient's UN language, English by default. */
export class MailRenderer {
  private readonly i18n: i18n;

  constructor(private readonly appBaseUrl: string) {
    this.i18n = i18next.createInstance();
    void this.i18n.init({
      resources: MAIL_RESOURCES,
      fallbackLng: 'en',
      supportedLngs: [...MAIL_LANGUAGES],
      keySeparator: false,
      nsSeparator: false,
      initAsync: false,
      interpolation: { escapeValue: false },
    });
  }

  static language(preferred: string | null | undefined): MailLanguage {
    const code = (preferred ?? '').slice(0, 2).toLowerCase();
    return (MAIL_LANGUAGES as readonly string[]).includes(code) ? (code as MailLanguage) : 'en';
  }

  link(reference: string): string {
    return `${this.appBaseUrl}/requests/${encodeURIComponent(reference)}`;
  }

  render(items: MailItem[], preferred: string | null | undefined, digest = false): RenderedMail {
    const language = MailRenderer.language(preferred);
    const t = this.i18n.getFixedT(language);
    const vars = (item: MailItem) => ({ ...item.params, reference: item.reference });
    const html = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const plain = !digest ? t(`${items[0].kind}.subject`, vars(items[0])) : t('digest', { count: items.length });
    // An urgent request says so first (a digest does when any of its items is urgent).
    const subject = items.some((i) => i.params.urgent === true) ? t('urgent', { subject: plain }) : plain;
    const blocks = items.map((item) => ({
      body: t(`${item.kind}.body`, vars(item)),
      link: this.link(item.reference),
    }));
    const text = [...blocks.map((b) => `${b.body}\n${t('open')}: ${b.link}`), `--\n${t('footer')}`].join('\n\n');
    const dir = language === 'ar' ? 'rtl' : 'ltr';
    const htmlBody = [
      `<!doctype html><html lang="${language}" dir="${dir}"><head><meta charset="utf-8"><title>${html(subject)}</title></head>`,
      '<body style="font-family:Arial,sans-serif">',
      ...blocks.map((b) => `<p>${html(b.body)}</p><p><a href="${html(b.link)}">${html(t('open'))}</a></p>`),
      `<hr><p style="color:#666;font-size:small">${html(t('footer'))}</p></body></html>`,
    ].join('\n');
    return { language, subject, text, html: htmlBody };
  }
}
