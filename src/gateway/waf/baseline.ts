/**
 * The gateway's own compact rule set, loaded after `recommendedConfig()` for a site without a CRS directory:
 * protocol checks, limits, and a handful of SQL injection, XSS, path traversal and command injection
 * signatures, scored like CRS (critical 5, error 4, warning 3, notice 2) and blocked at an inbound anomaly
 * score of 5 or more by rule 10900 (phase 2). Ids 10000–10999, in ModSecurity's range for local rules.
 * Much smaller than CRS: full protection needs CRS (`waf.crs_dir`).
 */

/** The SecLang text of the baseline rule set. */
export function baselineRules(): string {
  const tail = (severity: 'CRITICAL' | 'ERROR' | 'WARNING' | 'NOTICE', score: number, tag: string) =>
    `log,tag:'vigil-baseline',tag:'${tag}',severity:'${severity}',` +
    `setvar:'tx.blocking_inbound_anomaly_score=+${score}'`;
  return `
SecAction "id:10000,phase:1,pass,nolog,setvar:'tx.blocking_inbound_anomaly_score=0',setvar:'tx.blocking_outbound_anomaly_score=0'"

# Protocol checks and limits
SecRule REQUEST_METHOD "!@within GET HEAD POST PUT PATCH DELETE OPTIONS" \\
  "id:10001,phase:1,pass,t:none,msg:'Method is not allowed',logdata:'%{MATCHED_VAR}',${tail('CRITICAL', 5, 'attack-protocol')}"
SecRule &REQUEST_HEADERS:Host "@eq 0" \\
  "id:10002,phase:1,pass,t:none,msg:'Request missing a Host header',${tail('WARNING', 3, 'attack-protocol')}"
SecRule REQUEST_HEADERS:Content-Length "!@rx ^\\d+$" \\
  "id:10003,phase:1,pass,t:none,msg:'Content-Length header is not numeric',logdata:'%{MATCHED_VAR}',${tail('CRITICAL', 5, 'attack-protocol')}"
SecRule &REQUEST_HEADERS:Content-Type "@gt 1" \\
  "id:10004,phase:1,pass,t:none,msg:'Multiple Content-Type request headers',${tail('CRITICAL', 5, 'attack-protocol')}"
SecRule REQUEST_URI|REQUEST_BODY "@validateUrlEncoding" \\
  "id:10005,phase:2,pass,t:none,msg:'URL encoding abuse',logdata:'%{MATCHED_VAR_NAME}',${tail('WARNING', 3, 'attack-protocol')}"
SecRule ARGS|ARGS_NAMES|REQUEST_HEADERS "@validateByteRange 1-255" \\
  "id:10006,phase:2,pass,t:none,t:urlDecodeUni,msg:'NUL byte in request',logdata:'%{MATCHED_VAR_NAME}',${tail('CRITICAL', 5, 'attack-protocol')}"
SecRule &ARGS "@gt 255" \\
  "id:10007,phase:2,pass,t:none,msg:'Too many arguments',${tail('CRITICAL', 5, 'attack-protocol')}"
SecRule ARGS "@gt 8192" \\
  "id:10008,phase:2,pass,t:none,t:length,msg:'Argument value too long',logdata:'%{MATCHED_VAR_NAME}',${tail('CRITICAL', 5, 'attack-protocol')}"

# SQL injection
SecRule REQUEST_COOKIES|ARGS_NAMES|ARGS "@detectSQLi" \\
  "id:10100,phase:2,pass,t:none,t:urlDecodeUni,t:removeNulls,msg:'SQL injection (libinjection)',logdata:'%{MATCHED_VAR_NAME}: %{MATCHED_VAR}',${tail('CRITICAL', 5, 'attack-sqli')}"
SecRule REQUEST_COOKIES|ARGS_NAMES|ARGS "@rx (?i)(?:\\bunion\\b[\\s\\S]{0,40}\\bselect\\b|'\\s*(?:or|and)\\s*'?\\w+'?\\s*(?:=|like)|;\\s*(?:drop|delete|insert|update|shutdown)\\b|\\bsleep\\s*\\(\\s*\\d|\\bbenchmark\\s*\\()" \\
  "id:10101,phase:2,pass,t:none,t:urlDecodeUni,t:compressWhitespace,msg:'SQL injection signature',logdata:'%{MATCHED_VAR_NAME}: %{MATCHED_VAR}',${tail('CRITICAL', 5, 'attack-sqli')}"

# Cross-site scripting
SecRule REQUEST_COOKIES|REQUEST_HEADERS:Referer|ARGS_NAMES|ARGS "@detectXSS" \\
  "id:10200,phase:2,pass,t:none,t:urlDecodeUni,t:htmlEntityDecode,msg:'XSS (libinjection)',logdata:'%{MATCHED_VAR_NAME}: %{MATCHED_VAR}',${tail('CRITICAL', 5, 'attack-xss')}"
SecRule REQUEST_COOKIES|ARGS_NAMES|ARGS "@rx (?i)(?:<\\s*script\\b|\\bjavascript\\s*:|<[^>]*\\bon[a-z]+\\s*=|<\\s*(?:iframe|object|embed|svg)\\b)" \\
  "id:10201,phase:2,pass,t:none,t:urlDecodeUni,t:htmlEntityDecode,t:jsDecode,msg:'XSS signature',logdata:'%{MATCHED_VAR_NAME}: %{MATCHED_VAR}',${tail('CRITICAL', 5, 'attack-xss')}"

# Path traversal and local files
SecRule REQUEST_URI_RAW|ARGS|REQUEST_HEADERS "@rx (?:^|[\\\\/])\\.\\.(?:[\\\\/]|$)" \\
  "id:10300,phase:2,pass,t:none,t:urlDecodeUni,t:urlDecodeUni,msg:'Path traversal',logdata:'%{MATCHED_VAR_NAME}: %{MATCHED_VAR}',${tail('CRITICAL', 5, 'attack-lfi')}"
SecRule REQUEST_FILENAME|ARGS "@pm etc/passwd etc/shadow proc/self/environ win.ini boot.ini .htaccess .git/config" \\
  "id:10301,phase:2,pass,t:none,t:urlDecodeUni,t:normalizePathWin,t:lowercase,msg:'Access to a sensitive file',logdata:'%{MATCHED_VAR_NAME}: %{MATCHED_VAR}',${tail('CRITICAL', 5, 'attack-lfi')}"

# Command injection
SecRule REQUEST_COOKIES|ARGS_NAMES|ARGS "@rx (?i)(?:[;|&\`]|\\$\\(|\\|\\|)\\s*(?:cat|curl|wget|nc|ncat|bash|sh|zsh|id|uname|whoami|ping|rm|chmod|python[0-9.]*|perl|php)\\b" \\
  "id:10400,phase:2,pass,t:none,t:urlDecodeUni,t:compressWhitespace,msg:'Command injection',logdata:'%{MATCHED_VAR_NAME}: %{MATCHED_VAR}',${tail('CRITICAL', 5, 'attack-rce')}"

# Anomaly evaluation
SecRule TX:BLOCKING_INBOUND_ANOMALY_SCORE "@ge 5" \\
  "id:10900,phase:2,deny,status:403,t:none,log,tag:'vigil-baseline',tag:'anomaly-evaluation',msg:'Inbound anomaly score exceeded (total score: %{TX.BLOCKING_INBOUND_ANOMALY_SCORE})',severity:'CRITICAL'"
`;
}
