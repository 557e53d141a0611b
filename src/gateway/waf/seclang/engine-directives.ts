/**
 * Directives that set engine-wide settings (the ModSecurity configuration placed before CRS). Each returns
 * the reason its arguments are invalid, if they are. Directives accepted without effect are listed apart.
 */
import type { EngineMode, EngineSettings } from '../settings.ts';

export type EngineDirective = (args: readonly string[], settings: EngineSettings) => string | undefined;

const onOff =
  (set: (s: EngineSettings, on: boolean) => void): EngineDirective =>
  (args, s) => {
    const v = (args[0] ?? '').toLowerCase();
    if (v !== 'on' && v !== 'off') return `expected On or Off, got ${args[0]}`;
    set(s, v === 'on');
    return undefined;
  };

const count =
  (set: (s: EngineSettings, n: number) => void): EngineDirective =>
  (args, s) => {
    const n = Number(args[0]);
    if (!Number.isInteger(n) || n < 0) return `expected a non-negative integer, got ${args[0]}`;
    set(s, n);
    return undefined;
  };

export const engineDirectives = {
  secruleengine: (args, s) => {
    const v = (args[0] ?? '').toLowerCase();
    if (v !== 'on' && v !== 'off' && v !== 'detectiononly') return `expected On, Off or DetectionOnly, got ${args[0]}`;
    s.ruleEngine = v as EngineMode;
    return undefined;
  },
  secrequestbodyaccess: onOff((s, on) => {
    s.requestBodyAccess = on;
  }),
  secresponsebodyaccess: onOff((s, on) => {
    s.responseBodyAccess = on;
  }),
  secresponsebodymimetype: (args, s) => {
    s.responseBodyMimeTypes = args.flatMap((a) => a.toLowerCase().split(/\s+/)).filter(Boolean);
    return undefined;
  },
  secresponsebodymimetypesclear: (_args, s) => {
    s.responseBodyMimeTypes = [];
    return undefined;
  },
  secrequestbodylimit: count((s, n) => {
    s.requestBodyLimitBytes = n;
  }),
  secrequestbodynofileslimit: count((s, n) => {
    s.requestBodyNoFilesLimitBytes = n;
  }),
  secrequestbodylimitaction: (args, s) => {
    const v = (args[0] ?? '').toLowerCase();
    if (v !== 'reject' && v !== 'processpartial') return `expected Reject or ProcessPartial, got ${args[0]}`;
    s.requestBodyLimitAction = v;
    return undefined;
  },
  secresponsebodylimit: count((s, n) => {
    s.responseBodyLimitBytes = n;
  }),
  secargumentslimit: count((s, n) => {
    s.argumentsLimit = n;
  }),
  secrequestbodyjsondepthlimit: count((s, n) => {
    s.jsonDepthLimit = n;
  }),
  secargumentseparator: (args, s) => {
    if (args[0] === undefined || args[0].length !== 1) return `expected one character, got ${args[0]}`;
    s.argumentSeparator = args[0];
    return undefined;
  },
  seccomponentsignature: (args, s) => {
    s.componentSignatures.push(args[0] ?? '');
    return undefined;
  },
} satisfies Record<string, EngineDirective>;

/** Accepted and without effect here: audit logging, storage, limits enforced elsewhere, … */
export const ignoredDirectives = new Set(
  (
    'secresponsebodylimitaction secpcrematchlimit ' +
    'secpcrematchlimitrecursion sectmpdir secdatadir secauditengine secauditlogrelevantstatus secauditlogparts ' +
    'secauditlogtype secauditlogformat secauditlog secauditlogstoragedir seccookieformat secunicodemapfile ' +
    'secstatusengine secdebuglog secdebugloglevel secuploaddir secuploadkeepfiles secuploadfilelimit ' +
    'secuploadfilemode seccollectiontimeout secserversignature secwebappid sechttpblkey secgeolookupdb ' +
    'sectmpsaveuploadedfiles secxmlexternalentity secrequestbodyinmemorylimit secconnengine secremoterules ' +
    'secruleperftime secsensorid'
  ).split(' '),
);
