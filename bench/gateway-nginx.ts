/**
 * nginx for bench/gateway.bench.ts, configured in a temp dir: its own nginx.conf (`daemon off`, one worker,
 * logs in the dir, a loopback listener, keep-alive proxy_pass to the backend) and, with ModSecurity, Debian's
 * module loaded with an engine configuration like ModSecurity's recommended one (rule engine On) followed by
 * CRS in the order CRS documents (crs-setup.conf.example, plugins, rules/*.conf), paranoia level 1.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

export const modsecurityModule = '/usr/share/nginx/modules/ngx_http_modsecurity_module.so';
/** The module needs libmodsecurity's unicode map; Debian ships it beside its recommended config. */
const unicodeMapping = '/etc/nginx/unicode.mapping';

export interface NginxOptions {
  /** The temp dir for this instance's config, logs and temp paths (created). */
  dir: string;
  port: number;
  backendPort: number;
  /** PEM certificate and key: listen with TLS. */
  tls?: { cert: string; key: string };
  /** The CRS directory: run ModSecurity v3 with CRS at paranoia level 1, blocking. */
  crsDir?: string;
}

/**
 * ModSecurity's engine settings (Debian's /etc/nginx/modsecurity.conf, i.e. modsecurity.conf-recommended,
 * with SecRuleEngine On, the response MIME types vigil inspects, and paths in `dir`), then CRS.
 */
function modsecurityRules(dir: string, crsDir: string): string {
  return `SecRuleEngine On
SecRequestBodyAccess On
SecRule REQUEST_HEADERS:Content-Type "@rx ^(?:application(?:/soap\\+|/)|text/)xml" \\
  "id:200000,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML"
SecRule REQUEST_HEADERS:Content-Type "@rx ^application/json" \\
  "id:200001,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"
SecRequestBodyLimit 13107200
SecRequestBodyNoFilesLimit 131072
SecRequestBodyLimitAction Reject
SecRequestBodyJsonDepthLimit 512
SecArgumentsLimit 1000
SecRule &ARGS "@ge 1000" \\
  "id:200007,phase:2,t:none,log,deny,status:400,msg:'Failed to fully parse request body due to large argument count',severity:2"
SecRule REQBODY_ERROR "!@eq 0" \\
  "id:200002,phase:2,t:none,log,deny,status:400,msg:'Failed to parse request body.',logdata:'%{reqbody_error_msg}',severity:2"
SecRule MULTIPART_STRICT_ERROR "!@eq 0" \\
  "id:200003,phase:2,t:none,log,deny,status:400,msg:'Multipart request body failed strict validation.'"
SecRule MULTIPART_UNMATCHED_BOUNDARY "@eq 1" \\
  "id:200004,phase:2,t:none,log,deny,msg:'Multipart parser detected a possible unmatched boundary.'"
SecPcreMatchLimit 1000
SecPcreMatchLimitRecursion 1000
SecRule TX:/^MSC_/ "!@streq 0" \\
  "id:200005,phase:2,t:none,deny,msg:'ModSecurity internal error flagged: %{MATCHED_VAR_NAME}'"
SecResponseBodyAccess On
SecResponseBodyMimeType text/plain text/html text/xml application/json
SecResponseBodyLimit 524288
SecResponseBodyLimitAction ProcessPartial
SecTmpDir ${dir}
SecDataDir ${dir}
SecAuditEngine RelevantOnly
SecAuditLogRelevantStatus "^(?:5|4(?!04))"
SecAuditLogParts ABIJDEFHZ
SecAuditLogType Serial
SecAuditLog ${join(dir, 'modsec_audit.log')}
SecArgumentSeparator &
SecCookieFormat 0
SecUnicodeMapFile ${unicodeMapping} 20127
SecStatusEngine Off

Include ${join(crsDir, 'crs-setup.conf.example')}
SecAction "id:900000,phase:1,pass,t:none,nolog,tag:'OWASP_CRS',ver:'OWASP_CRS/4.28.0',setvar:tx.blocking_paranoia_level=1"
Include ${join(crsDir, 'plugins')}/*-config.conf
Include ${join(crsDir, 'plugins')}/*-before.conf
Include ${join(crsDir, 'rules')}/*.conf
Include ${join(crsDir, 'plugins')}/*-after.conf
`;
}

function nginxConf(o: NginxOptions): string {
  const d = o.dir;
  const modsec = o.crsDir !== undefined;
  return `${modsec ? `load_module ${modsecurityModule};\n` : ''}daemon off;
master_process on;
worker_processes 1;
pid ${join(d, 'nginx.pid')};
error_log ${join(d, 'error.log')} info;
events { worker_connections 1024; }
http {
  access_log ${join(d, 'access.log')};
  client_body_temp_path ${join(d, 'client_body')};
  proxy_temp_path ${join(d, 'proxy')};
  fastcgi_temp_path ${join(d, 'fastcgi')};
  uwsgi_temp_path ${join(d, 'uwsgi')};
  scgi_temp_path ${join(d, 'scgi')};
  keepalive_requests 1000000;
  upstream backend {
    server 127.0.0.1:${o.backendPort};
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${o.port}${o.tls ? ' ssl' : ''};
    server_name _;
${o.tls ? `    ssl_certificate ${o.tls.cert};\n    ssl_certificate_key ${o.tls.key};\n` : ''}${
  modsec ? `    modsecurity on;\n    modsecurity_rules_file ${join(d, 'modsecurity.conf')};\n` : ''
}    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
    }
  }
}
`;
}

/** A self-signed ECDSA P-256 certificate for app.test made by `openssl` (vigil's own is ECDSA P-256 too). */
export function selfSignedCert(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2'],
      ...['-subj', '/CN=app.test', '-addext', 'subjectAltName=DNS:app.test', '-keyout', key, '-out', cert],
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

export interface RunningNginx {
  child: ChildProcess;
  dir: string;
  /** The error log so far (ModSecurity writes rule matches there). */
  errorLog(): string;
}

/** Writes the config, checks it with `nginx -t`, starts nginx in the foreground and waits for its port. */
export async function startNginx(o: NginxOptions): Promise<RunningNginx> {
  mkdirSync(o.dir, { recursive: true });
  chmodSync(o.dir, 0o755); // workers run as an unprivileged user
  if (o.crsDir !== undefined) writeFileSync(join(o.dir, 'modsecurity.conf'), modsecurityRules(o.dir, o.crsDir));
  const conf = join(o.dir, 'nginx.conf');
  writeFileSync(conf, nginxConf(o));
  const argv = ['-p', o.dir, '-c', conf, '-e', join(o.dir, 'error.log')];
  execFileSync('nginx', ['-t', '-q', ...argv], { stdio: 'pipe' });
  const child = spawn('nginx', argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d;
  });
  const errorLog = () => {
    const f = join(o.dir, 'error.log');
    return existsSync(f) ? readFileSync(f, 'utf8') : '';
  };
  const deadline = Date.now() + 30_000;
  while (!(await portOpen(o.port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`nginx did not start:\n${stderr}\n${errorLog().slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, dir: o.dir, errorLog };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
