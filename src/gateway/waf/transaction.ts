/**
 * One HTTP exchange through the WAF: feed it the request head, the request body, the response head and
 * body, then close it with the logging phase. Each step runs its phase (1–5) and returns the interruption,
 * if the rules decided one; a step after an interruption does nothing but return it. Nothing here throws
 * on request or response data.
 */
import { randomBytes } from 'node:crypto';
import { type BodyProcessor, bodyProcessors } from './body/index.ts';
import type { PhaseOutcome, PhasePlan } from './evaluate.ts';
import { runPhase } from './evaluate.ts';
import { buildEvent, type Interruption, type SecurityEvent } from './event.ts';
import { formatLogLine } from './log-line.ts';
import type { RuleMatch } from './match.ts';
import type { RecentTransforms } from './recent-transforms.ts';
import { fillRequest, type RequestHead, updateCombinedSize } from './request.ts';
import type { EngineSettings } from './settings.ts';
import { TxState } from './state.ts';

export interface TransactionOptions {
  /** Request id; a random one when absent. */
  id?: string;
  clientIp: string;
  clientPort?: number;
  serverIp?: string;
  serverPort?: number;
  /** The site (virtual host) name the request was for. @default '' */
  site?: string;
  /** Clock, milliseconds since the epoch. @default Date.now */
  now?: () => number;
  /** Rule engine mode for this transaction, overriding SecRuleEngine (as `ctl:ruleEngine` would). */
  ruleEngine?: 'on' | 'off' | 'detectiononly';
  /** TX variables set before phase 1 (e.g. `blocking_paranoia_level`, which CRS keeps when already set). */
  tx?: Readonly<Record<string, string>>;
}

/** What the engine hands a transaction: its compiled phases and settings. */
export interface CompiledEngine {
  readonly settings: EngineSettings;
  readonly phases: readonly PhasePlan[];
  /** Transformation results shared by the engine's transactions. */
  readonly recentTransforms?: RecentTransforms;
  /** The same for `multiMatch` rules. */
  readonly recentAllTransforms?: RecentTransforms<readonly string[]>;
}

export class Transaction {
  readonly id: string;
  readonly state = new TxState();
  /** Logged rule matches, in evaluation order. */
  readonly matches: RuleMatch[] = [];
  interruption: Interruption | null = null;
  private readonly startMs: number;
  private readonly site: string;
  private allowedAll = false;
  private allowedRequest = false;
  private responseStatus = 0;
  private lastPhase = 0;
  private wouldBlock = false;

  constructor(
    private readonly engine: CompiledEngine,
    private readonly options: TransactionOptions,
  ) {
    this.id = options.id ?? randomBytes(12).toString('hex');
    this.startMs = (options.now ?? Date.now)();
    this.site = options.site ?? '';
    const sc = this.state.scalars;
    sc.set('UNIQUE_ID', this.id);
    sc.set('REMOTE_ADDR', options.clientIp);
    sc.set('REMOTE_HOST', options.clientIp);
    sc.set('REMOTE_PORT', String(options.clientPort ?? 0));
    sc.set('SERVER_ADDR', options.serverIp ?? '');
    sc.set('SERVER_PORT', String(options.serverPort ?? 0));
    sc.set('TIME_EPOCH', String(Math.floor(this.startMs / 1000)));
    sc.set('REQBODY_ERROR', '0');
    sc.set('REQBODY_PROCESSOR_ERROR', '0');
    this.state.engineMode = options.ruleEngine ?? engine.settings.ruleEngine;
    this.state.recentTransforms = engine.recentTransforms;
    this.state.recentAllTransforms = engine.recentAllTransforms;
    for (const [k, v] of Object.entries(options.tx ?? {})) this.state.setTx(k, v);
  }

  private phase(n: number): Interruption | null {
    if (this.interruption !== null) return this.interruption;
    if (this.state.engineMode === 'off') return null;
    if (this.allowedAll && n < 5) return null;
    if (this.allowedRequest && n <= 2) return null;
    this.lastPhase = n;
    const plan = this.engine.phases[n] as PhasePlan;
    const outcome: PhaseOutcome = runPhase(this.state, plan, this.matches);
    if (this.matches.some((m) => m.disruptive)) this.wouldBlock = true;
    if (outcome.allowed !== undefined) {
      if (outcome.allowed === '') this.allowedAll = true;
      else if (outcome.allowed === 'request') this.allowedRequest = true;
    }
    const r = outcome.disruptedBy;
    if (r !== undefined) {
      this.interruption = {
        status: r.status ?? 403,
        ruleId: r.id,
        phase: n,
        action: r.disruptive === 'drop' ? 'drop' : r.disruptive === 'redirect' ? 'redirect' : 'deny',
      };
    }
    return this.interruption;
  }

  /** Phase 1. */
  processRequestHeaders(head: RequestHead): Interruption | null {
    const s = this.engine.settings;
    fillRequest(this.state, head, s.argumentSeparator, s.argumentsLimit);
    const host = head.headers.find(([n]) => n.toLowerCase() === 'host')?.[1] ?? '';
    this.state.scalars.set('SERVER_NAME', host.replace(/:\d+$/, ''));
    return this.phase(1);
  }

  /**
   * Runs the body processor, then phase 2. `body` is raw bytes (a string is read as Latin-1); `truncated`
   * says the sender had more than was buffered. A body past SecRequestBodyLimit is refused with 413 when
   * the limit action is Reject and the engine is On; otherwise its first bytes are inspected and rules see
   * INBOUND_DATA_ERROR.
   */
  processRequestBody(body: Buffer | string, truncated = false): Interruption | null {
    if (this.interruption !== null) return this.interruption;
    const st = this.state;
    const settings = this.engine.settings;
    let text = typeof body === 'string' ? body : body.toString('latin1');
    st.scalars.set('REQUEST_BODY_LENGTH', String(text.length));
    // A body without file parts is held to SecRequestBodyNoFilesLimit too (every byte of it is inspected).
    const limit =
      st.bodyProcessor === 'MULTIPART'
        ? settings.requestBodyLimitBytes
        : Math.min(settings.requestBodyLimitBytes, settings.requestBodyNoFilesLimitBytes);
    if (truncated || text.length > limit) {
      if (settings.requestBodyAccess && settings.requestBodyLimitAction === 'reject' && st.engineMode === 'on') {
        this.interruption = { status: 413, ruleId: 0, phase: 2, action: 'deny' };
        return this.interruption;
      }
      text = text.slice(0, limit);
      st.scalars.set('INBOUND_DATA_ERROR', '1');
    }
    if (settings.requestBodyAccess && text.length > 0) {
      const name = st.bodyProcessor;
      if (name !== undefined) st.scalars.set('REQBODY_PROCESSOR', name);
      const proc = name === undefined ? undefined : (bodyProcessors as Record<string, BodyProcessor>)[name];
      if (proc !== undefined) {
        const ct = st.member('REQUEST_HEADERS').find((p) => p.key.toLowerCase() === 'content-type')?.value ?? '';
        let error: string | undefined;
        try {
          error = proc(text, ct, st, settings);
        } catch (err) {
          error = `body processor failed: ${(err as Error).message}`;
        }
        if (error !== undefined) {
          st.scalars.set('REQBODY_ERROR', '1');
          st.scalars.set('REQBODY_ERROR_MSG', error);
          st.scalars.set('REQBODY_PROCESSOR_ERROR', '1');
          st.scalars.set('REQBODY_PROCESSOR_ERROR_MSG', error);
        }
        if (name === 'MULTIPART') {
          // What is not file content is held to SecRequestBodyNoFilesLimit, as a body without files is.
          let files = 0;
          for (const p of st.member('FILES_SIZES')) files += Number(p.value) || 0;
          if (text.length - files > settings.requestBodyNoFilesLimitBytes) {
            if (settings.requestBodyLimitAction === 'reject' && st.engineMode === 'on') {
              this.interruption = { status: 413, ruleId: 0, phase: 2, action: 'deny' };
              return this.interruption;
            }
            st.scalars.set('INBOUND_DATA_ERROR', '1');
          }
        }
      }
      if (name === 'URLENCODED' || name === undefined || st.forceRequestBodyVariable)
        st.scalars.set('REQUEST_BODY', text);
      updateCombinedSize(st);
    }
    return this.phase(2);
  }

  /** Phase 3. Header names keep their case; values Latin-1. */
  processResponseHeaders(
    status: number,
    protocol: string,
    headers: ReadonlyArray<readonly [string, string]>,
  ): Interruption | null {
    this.responseStatus = status;
    const sc = this.state.scalars;
    sc.set('RESPONSE_STATUS', String(status));
    sc.set('RESPONSE_PROTOCOL', protocol);
    sc.set('STATUS_LINE', `${protocol} ${status}`);
    const rh = this.state.member('RESPONSE_HEADERS');
    for (const [k, v] of headers) {
      rh.push({ key: k, value: v });
      if (k.toLowerCase() === 'content-type') sc.set('RESPONSE_CONTENT_TYPE', v);
      if (k.toLowerCase() === 'content-length') sc.set('RESPONSE_CONTENT_LENGTH', v);
    }
    return this.phase(3);
  }

  /** Phase 4: the body is inspected when response body access is on and its MIME type is listed. */
  processResponseBody(body: Buffer | string): Interruption | null {
    if (this.interruption !== null) return this.interruption;
    const s = this.engine.settings;
    const type = this.state.scalar('RESPONSE_CONTENT_TYPE');
    const semi = type.indexOf(';');
    const mime = (semi < 0 ? type : type.slice(0, semi)).trim().toLowerCase();
    if (s.responseBodyAccess && s.responseBodyMimeTypes.includes(mime)) {
      const text = typeof body === 'string' ? body : body.toString('latin1');
      this.state.scalars.set('RESPONSE_BODY', text.slice(0, s.responseBodyLimitBytes));
    }
    return this.phase(4);
  }

  /** Phase 5: runs whatever happened before. */
  processLogging(): void {
    const saved = this.interruption;
    this.interruption = null;
    this.phase(5);
    this.interruption = saved;
  }

  /** The log lines of the logged matches, in ModSecurity's error-log format. */
  logLines(): string[] {
    const uri = this.state.scalar('REQUEST_URI');
    const hostname = this.state.scalar('SERVER_NAME');
    return this.matches.map((m) =>
      formatLogLine(m, {
        hostname,
        uri,
        uniqueId: this.id,
        deniedWith:
          this.interruption !== null && this.interruption.ruleId === m.id
            ? { status: this.interruption.status, phase: this.interruption.phase }
            : undefined,
      }),
    );
  }

  /** Whether some matched rule would have interrupted with the engine On (true too when it did). */
  get wouldInterrupt(): boolean {
    return this.wouldBlock;
  }

  /**
   * The security event of this transaction, or null when no logged rule matched and nothing interrupted
   * (the engine itself interrupts a body past its limit). A rule that matched
   * several variables appears once, with its first match.
   */
  event(): SecurityEvent | null {
    return buildEvent(this.matches, this.state, {
      timeMs: this.startMs,
      site: this.site,
      clientIp: this.options.clientIp,
      requestId: this.id,
      interruption: this.interruption,
      responseStatus: this.responseStatus,
    });
  }

  /** The last phase run (1–5), 0 before the first. */
  get phaseReached(): number {
    return this.lastPhase;
  }
}
