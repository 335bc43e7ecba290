import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './ports';

export interface ReceivedMail {
  messageId: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

/**
 * A real SMTP server for tests (smtp-server). Like a real MTA, it takes responsibility for a message
 * only when it answers 250 to the end of DATA: a client that disconnects before then (a killed
 * worker) leaves no message behind. `delayMs` holds that answer back, so kills land mid-send.
 */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  /** Messages whose sender vanished before the 250 (not delivered). */
  aborted = 0;
  /** When the held-back 250 of each message received in full will be answered. */
  private readonly holding = new Set<number>();
  private server?: SMTPServer;
  /** While paused, no 250 is answered (see pause()). */
  private gate: Promise<void> = Promise.resolve();
  private open?: () => void;
  port = 0;

  constructor(private readonly delayMs: () => number = () => 0) {}

  async start(): Promise<this> {
    this.port = await freePort();
    const closed = new Set<string>();
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onClose: (session) => closed.add(session.id),
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const delay = this.delayMs();
          const answerAt = Date.now() + delay;
          this.holding.add(answerAt);
          setTimeout(async () => {
            await this.gate;
            this.holding.delete(answerAt);
            if (closed.has(session.id)) {
              this.aborted++;
              return callback(new Error('connection closed'));
            }
            const mail = await simpleParser(Buffer.concat(chunks));
            const headers: Record<string, string> = {};
            for (const [k, v] of mail.headers) headers[k] = typeof v === 'string' ? v : JSON.stringify(v);
            this.messages.push({
              messageId: mail.messageId ?? '',
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              headers,
            });
            callback();
          }, delay);
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    return this;
  }

  /**
   * Holds back every 250 until resume(), so a client killed now is killed before them: a process
   * with hundreds of MB to free can take longer to close its sockets than a held answer's margin
   * on a loaded machine, and a 250 written to a dying client's still open socket counts as sent.
   */
  pause(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  resume(): void {
    this.open?.();
  }

  /** True while a message received in full will not be answered 250 for at least `ms`. */
  holdingFor(ms: number): boolean {
    const now = Date.now();
    return [...this.holding].some((at) => at - now >= ms);
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Messages about one request (X-CTAP-Reference header). */
  about(reference: string): ReceivedMail[] {
    return this.messages.filter((m) => m.headers['x-ctap-reference'] === reference);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
